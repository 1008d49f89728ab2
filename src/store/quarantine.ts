import type { Verdict } from '../core/index.js';

export const QUARANTINE_STATUSES = ['held', 'released', 'deleted'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];

/**
 * One quarantined message. The bytes stay in the quarantine folder, content-addressed by `sha256`
 * (apps/smtp QuarantineDir); the row is what the dashboard, `quarantine list` and audits query.
 */
export interface QuarantineRow {
  /** The folder's id: `<yyyymmddhhmmss>-<8 hex>`. */
  id: string;
  sha256: string;
  size: number;
  receivedAt: Date;
  /** SMTP envelope sender and recipients. */
  sender: string;
  recipients: string[];
  subject: string;
  verdict: Verdict;
  /** The policy action that put it here: quarantine, disarm (the original of a disarmed copy) … */
  action: string;
  reasons: string[];
  findings: string[];
  /** The quarantine folder that holds the bytes. */
  folder: string;
  status: QuarantineStatus;
  closedAt?: Date;
  /** Who released or deleted it (a user name, or `emoguard` for the filter itself). */
  closedBy?: string;
  closeReason?: string;
}

export interface QuarantineClose {
  status: Exclude<QuarantineStatus, 'held'>;
  actor: string;
  reason?: string;
  at?: Date;
}

/** Reached as `store.quarantine`; one transaction per call. */
export interface QuarantineStore {
  /** Records a quarantined message; a row with the same id is left as it is (idempotent). */
  add(row: Omit<QuarantineRow, 'status' | 'closedAt' | 'closedBy' | 'closeReason'>): Promise<void>;
  get(id: string): Promise<QuarantineRow | undefined>;
  /** Oldest first. */
  list(query?: {
    status?: QuarantineStatus;
    limit?: number;
    offset?: number;
  }): Promise<QuarantineRow[]>;
  /** Marks a held message released or deleted; false when there is no such held message. */
  close(id: string, close: QuarantineClose): Promise<boolean>;
}
