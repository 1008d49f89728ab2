/**
 * Timestamps in snapshots: ISO 8601 / RFC 3339 with up to 9 fractional digits (.NET "o" writes 7, Go's
 * RFC3339Nano 9). EmoCheck v5 compares FILETIMEs at 100 ms, so sub-second digits must survive: times are
 * kept as microseconds since the Unix epoch, which a double holds exactly until the year 2255.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
// PowerShell 5.1's ConvertTo-Json writes a DateTime as "\/Date(1714526430123)\/" (ms since the epoch).
const DOTNET_DATE = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Microseconds since 1970-01-01T00:00:00Z, or null when `text` is not a timestamp. No zone means UTC. */
export function parseTimestampMicros(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) {
    const dotnet = DOTNET_DATE.exec(text);
    return dotnet ? Number(dotnet[1]) * 1000 : null;
  }
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  const ms = Date.UTC(Number(m[1]), month - 1, day, hour, minute, Math.min(second, 59));
  const digits = m[7];
  const fraction = digits === undefined ? 0 : Math.floor(Number(`${digits}000000`.slice(0, 6)));
  return ms * 1000 + fraction - offsetMinutes(m[8]) * 60_000_000;
}

const SHAPE =
  /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?\s*(?:[Zz]|[+-]\d\d(?::?\d\d)?)?$|^\/Date\(/;

/** Whether `text` has a timestamp's shape (cheap: no captures; ranges are checked when it is read). */
export function isTimestamp(text: string): boolean {
  return SHAPE.test(text);
}

/**
 * The local date and time as written in the timestamp, ignoring its zone: EmoCheck's reports show the
 * host's local time, which is what a collector writing "2024-05-01T10:20:30+09:00" recorded.
 */
export function wallClockOf(input: string | RegExpExecArray): WallClock | null {
  const m = typeof input === 'string' ? ISO.exec(input) : input;
  if (!m) {
    const micros = typeof input === 'string' ? parseTimestampMicros(input) : null;
    return micros === null ? null : wallClockOfMicros(micros);
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  return { year, month, day, hour, minute, second: Math.min(second, 59) };
}

/** UTC wall clock of a microsecond timestamp. */
export function wallClockOfMicros(micros: number): WallClock {
  const d = new Date(Math.floor(micros / 1000));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** ISO 8601 in UTC with microseconds, for times that arrive as numbers. */
export function isoFromMicros(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  const fraction = String(Math.round(micros - seconds * 1_000_000)).padStart(6, '0');
  return `${base}.${fraction}Z`;
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.replace(':', '');
  const hours = Number(digits.slice(1, 3));
  const minutes = digits.length >= 5 ? Number(digits.slice(3, 5)) : 0;
  const sign = digits[0] === '-' ? -1 : 1;
  return sign * (hours * 60 + minutes);
}
