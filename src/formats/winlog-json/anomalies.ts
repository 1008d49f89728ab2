import type { Anomaly, ErrorCode } from '../../core/index.js';
import type { WinlogItem } from './types.js';

/** Anomalies reported per file before the rest are only counted (a garbage file must not flood output). */
export const MAX_WINLOG_ANOMALIES = 1000;

/**
 * The anomaly accounting of one file: the per-file cap, one E_WINLOG_NO_MAPPING per source, and the
 * closing summary of lines that are not Windows events. One file read whole and the same file read
 * as line ranges (by several threads, replayed here in order) report the same anomalies.
 */
export class WinlogAnomalyLog {
  private count = 0;
  private unknown = 0;
  private firstUnknown = 0;
  private readonly said = new Set<string>();

  constructor(private readonly path: string) {}

  add(out: WinlogItem[], code: ErrorCode, message: string, line: number, always = false): void {
    if (code === 'E_WINLOG_NO_MAPPING') {
      if (this.said.has(message)) return;
      this.said.add(message);
    }
    if (++this.count > MAX_WINLOG_ANOMALIES && !always) return;
    const anomaly: Anomaly = { code, message, location: `${this.path}:${line}` };
    out.push({ type: 'anomaly', anomaly, line });
  }

  /** `count` objects or lines that are not Windows events, the first at `first`. */
  unknownLines(count: number, first: number): void {
    if (count > 0 && this.unknown === 0) this.firstUnknown = first;
    this.unknown += count;
  }

  finish(out: WinlogItem[]): void {
    if (this.unknown > 0) {
      this.add(
        out,
        'E_WINLOG_UNKNOWN_SOURCE',
        `${this.unknown} object(s) or line(s) are not Windows events and were skipped`,
        this.firstUnknown,
        true,
      );
    }
    if (this.count > MAX_WINLOG_ANOMALIES) {
      out.push({
        type: 'anomaly',
        anomaly: {
          code: 'E_WINLOG_TOO_MANY_ANOMALIES',
          message: `${this.count - MAX_WINLOG_ANOMALIES} more anomalies not reported`,
          location: this.path,
        },
      });
    }
  }
}
