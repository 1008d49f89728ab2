import type { ErrorCode } from './errors.js';

/**
 * Something malformed that a parser saw and survived (a truncated stream, a looping chain, a bad length).
 * Parsers return anomalies beside their partial result instead of throwing; engines may turn them into
 * findings, since malware is malformed on purpose.
 */
export interface Anomaly {
  code: ErrorCode;
  message: string;
  /** Byte offset in the parsed input, when known. */
  offset?: number;
  /** Stream, member or record the anomaly is about. */
  location?: string;
}
