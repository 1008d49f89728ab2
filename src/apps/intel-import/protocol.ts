import type { IntelAnomaly, IntelFormat, IntelSummary } from '../../formats/intel/index.js';
import type { IntelRows } from '../../store/index.js';

/** What a feed read needs; the same for the worker and the in-thread reader. */
export interface FeedRequest {
  file: string;
  format: IntelFormat | 'auto';
  source?: string;
  ttlDays?: number;
  /** Epoch ms of the import (default expiries count from it). */
  now: number;
  batchRows: number;
}

/** The parser's account of a feed, once it is read. */
export interface FeedOutcome {
  summary: IntelSummary;
  anomalies: IntelAnomaly[];
}

export type WorkerMessage =
  | { kind: 'rows'; batch: IntelRows }
  | ({ kind: 'end' } & FeedOutcome)
  | { kind: 'error'; message: string };

/** Main thread → worker: one batch consumed. */
export const ACK = 'ack';
