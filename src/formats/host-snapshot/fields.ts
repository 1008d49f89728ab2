import type { Anomaly, ErrorCode } from '../../core/index.js';
import { isoFromMicros, isTimestamp } from './time.js';
import type { SnapshotLimits } from './types.js';

/**
 * Collects anomalies up to a cap, then only counts them: a snapshot with a million broken rows must not
 * become a million anomalies.
 */
export class AnomalySink {
  readonly list: Anomaly[] = [];
  private dropped = 0;

  constructor(private readonly max: number) {}

  add(code: ErrorCode, message: string, location?: string): void {
    if (this.list.length >= this.max) {
      this.dropped++;
      return;
    }
    this.list.push(location === undefined ? { code, message } : { code, message, location });
  }

  /** The kept anomalies and, when some were dropped, one more that says how many. */
  finish(): Anomaly[] {
    if (this.dropped === 0) return this.list;
    return [
      ...this.list,
      {
        code: 'E_LIMIT_SNAPSHOT_ANOMALIES',
        message: `${this.dropped} more anomalies were not kept (maxAnomalies = ${this.max})`,
      },
    ];
  }
}

/**
 * Where a value sits (`input.processes[3]`), built into a string only when an anomaly needs it: a
 * snapshot has hundreds of thousands of fields and almost never an anomaly.
 */
export class At {
  constructor(
    readonly list: string,
    readonly index: number,
  ) {}

  toString(): string {
    return `${this.list}[${this.index}]`;
  }
}

export type Where = string | At;

/** `where.field`, or `where` alone. */
export function locate(where: Where, field?: string): string {
  return field === undefined ? String(where) : `${String(where)}.${field}`;
}

/** Reads fields of untrusted objects into bounded, typed values; what does not fit becomes an anomaly. */
export class FieldReader {
  constructor(
    readonly sink: AnomalySink,
    readonly limits: Readonly<SnapshotLimits>,
  ) {}

  /** A string field: strings are cut at maxStringChars, numbers and booleans are written out. */
  str(value: unknown, where: Where, field?: string): string {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return this.clip(value, where, field);
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.sink.add(
      'E_SNAPSHOT_FIELD_TYPE',
      `expected a string, got ${kindOf(value)}`,
      locate(where, field),
    );
    return '';
  }

  clip(text: string, where: Where, field?: string): string {
    if (text.length <= this.limits.maxStringChars) return text;
    this.sink.add(
      'E_LIMIT_SNAPSHOT_STRING',
      `string of ${text.length} characters cut to ${this.limits.maxStringChars}`,
      locate(where, field),
    );
    return text.slice(0, this.limits.maxStringChars);
  }

  /** A non-negative integer below 2^53 (PIDs, sizes), from a number or a decimal string. */
  int(value: unknown, where: Where, field?: string): number | null {
    if (value === undefined || value === null || value === '') return null;
    const n = typeof value === 'string' && /^\s*\d{1,16}\s*$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
    this.sink.add(
      'E_SNAPSHOT_FIELD_TYPE',
      `expected a non-negative integer, got ${kindOf(value)}`,
      locate(where, field),
    );
    return null;
  }

  bool(value: unknown, where: Where, field?: string): boolean | null {
    if (value === undefined || value === null) return null;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'True' || value === 1) return true;
    if (value === 'false' || value === 'False' || value === 0) return false;
    this.sink.add(
      'E_SNAPSHOT_FIELD_TYPE',
      `expected a boolean, got ${kindOf(value)}`,
      locate(where, field),
    );
    return null;
  }

  /** An ISO 8601 string kept as written (sub-second digits matter), or epoch seconds turned into one. */
  time(value: unknown, where: Where, field?: string): string | null {
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e11) {
      return isoFromMicros(Math.round(value * 1_000_000));
    }
    if (typeof value === 'string' && value.length <= 64) {
      if (isTimestamp(value)) return value;
      const trimmed = value.trim();
      if (isTimestamp(trimmed)) return trimmed;
    }
    this.sink.add('E_SNAPSHOT_TIME', `not a timestamp: ${preview(value)}`, locate(where, field));
    return null;
  }

  /** An array of at most `max` items; more are dropped with a limit anomaly, a non-array is empty. */
  array(value: unknown, max: number, where: Where, field?: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.sink.add(
        'E_SNAPSHOT_FIELD_TYPE',
        `expected an array, got ${kindOf(value)}`,
        locate(where, field),
      );
      return [];
    }
    if (value.length <= max) return value;
    this.sink.add(
      'E_LIMIT_SNAPSHOT_ITEMS',
      `${value.length} items; only the first ${max} were read`,
      locate(where, field),
    );
    return value.slice(0, max);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The volume serial as a u32: hex as the collectors write it (`1A2B3C4D`, `0x1a2b3c4d`, `1A2B-3C4D` as
 * `vol` prints it) or a decimal number.
 */
export function parseVolumeSerial(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : null;
  }
  if (typeof value !== 'string') return null;
  const hex = value
    .trim()
    .replace(/^0x/i, '')
    .replace(/^([0-9a-f]{4})-([0-9a-f]{4})$/i, '$1$2');
  return /^[0-9a-f]{1,8}$/i.test(hex) ? Number.parseInt(hex, 16) : null;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${preview(value)}`;
}

// SECURITY: never stringify an untrusted value whole; it may be a million levels deep.
function preview(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
