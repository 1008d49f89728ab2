/**
 * Text forms of BinXml values, as Windows and evtx-rs print them: FILETIME/SYSTEMTIME as ISO 8601 UTC with
 * microseconds, GUIDs upper-case without braces, SIDs as S-R-A-S1-…, hex integers unpadded (`0x3e7`),
 * binary as upper-case hex.
 */

const HEX_UPPER: string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).toUpperCase().padStart(2, '0'),
);
/** Seconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const EPOCH_DIFF_SECONDS = 11_644_473_600;
const TICKS_PER_SECOND = 10_000_000;
/** 2^32 = 429 * 10^7 + 4_967_296: splits hi * 2^32 so that no product leaves the exact double range. */
const HI_SECONDS = 429;
const HI_TICKS_REST = 4_967_296;
const HI_FAST_LIMIT = 0x20000000;

let lastSecond = Number.NaN;
let lastPrefix = '';

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DDTHH:MM:SS` of seconds since 1601 (proleptic Gregorian, as Windows counts). */
function secondPrefix(secondsSince1601: number): string {
  // Records in a chunk are close in time: one conversion per distinct second, by arithmetic (civil date
  // from a day count, H. Hinnant's algorithm) rather than a Date object per record.
  if (secondsSince1601 === lastSecond) return lastPrefix;
  lastSecond = secondsSince1601;
  const unix = secondsSince1601 - EPOCH_DIFF_SECONDS;
  const days = Math.floor(unix / 86400);
  const rest = unix - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const yearText =
    year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : `+${String(year).padStart(6, '0')}`;
  lastPrefix =
    `${yearText}-${two(month)}-${two(day)}T${two(Math.floor(rest / 3600))}:` +
    `${two(Math.floor(rest / 60) % 60)}:${two(rest % 60)}`;
  return lastPrefix;
}

function pad6(n: number): string {
  return n >= 100_000 ? String(n) : String(n).padStart(6, '0');
}

/** A FILETIME (100 ns ticks since 1601, as two little-endian u32 halves) as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function formatFiletime(lo: number, hi: number): string {
  let seconds: number;
  let rest: number;
  if (hi < HI_FAST_LIMIT) {
    const low = hi * HI_TICKS_REST + lo;
    seconds = hi * HI_SECONDS + Math.floor(low / TICKS_PER_SECOND);
    rest = low % TICKS_PER_SECOND;
  } else {
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    seconds = Number(ticks / 10_000_000n);
    rest = Number(ticks % 10_000_000n);
  }
  return `${secondPrefix(seconds)}.${pad6(Math.floor(rest / 10))}Z`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** MS-EVEN6 2.2.13 SYSTEMTIME: year, month, day of week, day, hour, minute, second, milliseconds (u16 each). */
export function formatSystemtime(view: DataView, at: number): string {
  const year = view.getUint16(at, true);
  const month = view.getUint16(at + 2, true);
  const day = view.getUint16(at + 6, true);
  const hour = view.getUint16(at + 8, true);
  const minute = view.getUint16(at + 10, true);
  const second = view.getUint16(at + 12, true);
  const ms = view.getUint16(at + 14, true);
  return (
    `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:` +
    `${pad(second, 2)}.${pad(ms * 1000, 6)}Z`
  );
}

/** A GUID (data1–3 little-endian) as upper-case `D1-D2-D3-D4[0..2]-D4[2..8]`, without braces. */
export function formatGuid(bytes: Uint8Array, at: number): string {
  let text = '';
  for (let i = 0; i < 16; i++) {
    // Data1–3 are little-endian: bytes 3 2 1 0 - 5 4 - 7 6, then 8–15 in order.
    const j = i < 4 ? 3 - i : i < 6 ? 9 - i : i < 8 ? 13 - i : i;
    if (i === 4 || i === 6 || i === 8 || i === 10) text += '-';
    text += HEX_UPPER[bytes[at + j] ?? 0];
  }
  return text;
}

/**
 * A SID: revision, sub-authority count, 48-bit big-endian authority, little-endian u32 sub-authorities.
 * Returns the SID text and the bytes it used; sub-authorities past `size` are not read.
 */
export function formatSid(
  view: DataView,
  at: number,
  size: number,
): { text: string; used: number } {
  if (size < 8) return { text: 'S-?', used: size };
  const revision = view.getUint8(at);
  const count = Math.min(view.getUint8(at + 1), Math.floor((size - 8) / 4));
  const authority = view.getUint16(at + 2) * 0x100000000 + view.getUint32(at + 4);
  let text = `S-${revision}-${authority}`;
  for (let i = 0; i < count; i++) text += `-${view.getUint32(at + 8 + 4 * i, true)}`;
  return { text, used: 8 + 4 * count };
}

/** Windows prints win:HexInt32/64 lower-case without padding: `0x3e7`, `0x8000000000000000`. */
export function formatHex32(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

export function formatHex64(lo: number, hi: number): string {
  if (hi === 0) return `0x${(lo >>> 0).toString(16)}`;
  return `0x${(hi >>> 0).toString(16)}${(lo >>> 0).toString(16).padStart(8, '0')}`;
}

export function formatBinary(bytes: Uint8Array, at: number, size: number): string {
  if (size <= 64) {
    let text = '';
    for (let i = 0; i < size; i++) text += HEX_UPPER[bytes[at + i] ?? 0];
    return text;
  }
  const parts = new Array<string>(size);
  for (let i = 0; i < size; i++) parts[i] = HEX_UPPER[bytes[at + i] ?? 0] as string;
  return parts.join('');
}

/** The shortest text that reads back as the same binary32 value, as evtx-rs prints Real32. */
export function formatReal32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(value);
}

export function formatReal64(value: number): string {
  return String(value);
}

/** A u64 from two halves: a number when exact, else its decimal text (JSON numbers lose 64-bit precision). */
export function uint64Value(lo: number, hi: number): number | string {
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

export function int64Value(lo: number, hi: number): number | string {
  if (hi >= 0xffe00000) return (hi - 0x100000000) * 0x100000000 + lo; // small negatives, exact
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}
