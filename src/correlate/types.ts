import type { Severity, Step } from '../core/index.js';
import type { FindingRecord, Host, Incident, IncidentNote } from '../store/index.js';

/**
 * What correlation hands to reports, the dashboard and the CLI: one incident seen whole. Plain JSON-able
 * data (times are ISO-8601 strings); strings are raw input from mail, logs and files, so every renderer
 * escapes them for its own format.
 */

/** The layer that produced a finding, from its engine (the part of the finding id before the dot). */
export const LAYERS = [
  'mail',
  'document',
  'disarm',
  'endpoint',
  'network',
  'memory',
  'response',
] as const;
export type Layer = (typeof LAYERS)[number];

/** Kill-chain progression of one incident: one row per step ①…⑥ and post, in order, observed or not. */
export interface StepObservation {
  step: Step;
  observed: boolean;
  /** Layers whose findings evidence the step, in LAYERS order. */
  layers: Layer[];
  /** Earliest and latest event time of those findings (null when no event time is known). */
  firstSeen: string | null;
  lastSeen: string | null;
  findings: number;
  worstSeverity: Severity | null;
  /** A layer stopped the step (gateway reject/quarantine, disarm). */
  blocked: boolean;
}

export interface TimelineEntry {
  /** Event time when a layer knows it (mail Date, log record time, snapshot time), else the finding's store time. */
  at: string;
  /** True when `at` is an event time, false when it fell back to the store time. */
  isEventTime: boolean;
  step: Step;
  layer: Layer;
  severity: Severity;
  findingId: number;
  ruleId: string;
  title: string;
  host: string | null;
  artifactPath: string;
  artifactSha256: string;
  /** One line for a timeline row, from the first evidence. */
  summary: string;
}

export interface ExternalContact {
  address: string;
  /**
   * Why this address is exposed (JPCERT/CC Emotet FAQ): `correspondent` — mail threads with it sat in a
   * stolen mailbox and may be replayed to it; `address-book` — listed in a stolen address book; `impersonated`
   * — its name/address was used as the sender of attack mail.
   */
  reasons: Array<'correspondent' | 'address-book' | 'impersonated'>;
  /** Mailboxes or hosts the exposure comes from. */
  via: string[];
}

export interface LateralEdge {
  from: string;
  to: string;
  protocol: 'smb' | 'rdp' | 'wmi' | 'other';
  firstSeen: string | null;
  findingIds: number[];
}

/** Another host or mailbox that shares an indicator with this incident. */
export interface SharedIndicator {
  kind: 'c2' | 'attachment-sha256' | 'url' | 'domain';
  value: string;
  /** Hosts and mailboxes outside this incident that saw it. */
  others: string[];
}

/**
 * A mail store or address book on one of the incident's hosts (from a triage file listing): the data
 * Emotet steals to write to the owner's contacts. Paths only; no address is read from or guessed for it.
 */
export interface AffectedData {
  host: string;
  path: string;
  kind: 'mail-store' | 'address-book';
  findingId: number;
}

export interface IncidentScope {
  hosts: string[];
  /** Local user accounts seen in the chain (process owners, logon events). */
  users: string[];
  mailboxes: string[];
  externalContacts: ExternalContact[];
  lateral: LateralEdge[];
  shared: SharedIndicator[];
  /** Mail stores and address books on the hosts (absent in views built before it existed). */
  affectedData?: AffectedData[];
}

export interface ProcessNode {
  pid: number | null;
  image: string;
  commandLine: string | null;
  user: string | null;
  startedAt: string | null;
  children: ProcessNode[];
  /** Findings raised on this process. */
  findingIds: number[];
}

export interface IncidentIoc {
  kind: 'url' | 'domain' | 'ip' | 'email' | 'sha256' | 'file';
  value: string;
  /** Finding row ids or artifact paths it came from (at most a handful). */
  sources: string[];
  /** Feeds that list it, from the intel store. */
  feeds: string[];
}

export interface IncidentTechnique {
  id: string;
  name: string;
  steps: Step[];
  findings: number;
}

export interface IncidentView {
  incident: Incident;
  host: Host | null;
  progression: StepObservation[];
  /** Oldest first. */
  timeline: TimelineEntry[];
  scope: IncidentScope;
  processTree: ProcessNode[];
  iocs: IncidentIoc[];
  techniques: IncidentTechnique[];
  /** The linked findings, oldest first. */
  findings: FindingRecord[];
  /** The analysts' notes, oldest first (absent in views built before notes existed). */
  notes?: IncidentNote[];
  /** Mails that delivered artifacts of this incident, with their attachments. */
  mails: Array<{
    artifactId: number;
    subject: string | null;
    from: string | null;
    to: string[];
    date: string | null;
    messageId: string | null;
    attachments: Array<{ name: string; sha256: string; verdict: string }>;
  }>;
}

/** What one `correlate()` pass did. */
export interface CorrelationSummary {
  created: number[];
  updated: number[];
  /** Findings linked in this pass. */
  linked: number;
}
