/** Shared by the Zeek TSV and JSON readers: which host a record is about, and its time. */

/**
 * The originating host, the one a responder looks at: `id.orig_h` (flat, Zeek's default JSON and TSV
 * names, or nested `id.orig_h` from JSON writers that nest records), else files.log's receiver.
 */
export function zeekHost(data: Record<string, unknown>): string | undefined {
  const flat = data['id.orig_h'];
  if (typeof flat === 'string') return flat;
  const id = data.id;
  if (id !== null && typeof id === 'object') {
    const nested = (id as Record<string, unknown>).orig_h;
    if (typeof nested === 'string') return nested;
  }
  // files.log before Zeek 5 had no id: the receiving host of a download is rx_hosts.
  const rx = data.rx_hosts;
  if (Array.isArray(rx) && typeof rx[0] === 'string') return rx[0];
  return undefined;
}

/** Zeek `ts`: epoch seconds (default) or an ISO 8601 string (`LogAscii::json_timestamps`). */
export function zeekTime(ts: unknown): string | undefined {
  if (typeof ts === 'number') return epochToIso(ts);
  if (typeof ts === 'string') return isoOf(ts);
  return undefined;
}

/**
 * `epochToIso` for a stream of nearly sorted times: the date part of the last second is reused, so a
 * log line costs a string concatenation instead of a Date (Date formatting is ~0.6 µs a call).
 */
export function createEpochFormatter(): (seconds: number) => string | undefined {
  let lastSecond = Number.NaN;
  let prefix = '';
  return (seconds: number) => {
    if (!Number.isFinite(seconds)) return undefined;
    const ms = Math.round(seconds * 1000);
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      const iso = epochToIso(second);
      if (iso === undefined) return undefined;
      lastSecond = second;
      prefix = iso.slice(0, -4); // "YYYY-MM-DDTHH:MM:SS."
    }
    const frac = ms - second * 1000;
    return `${prefix}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
  };
}

export function epochToIso(seconds: number): string | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

/**
 * A date as ISO 8601 UTC; undefined when it cannot be read. Times without a zone are UTC: abuse.ch feeds
 * (`first_seen_utc`), Suricata's and Zeek's logs all write UTC, and JavaScript would otherwise read them
 * in the machine's local zone.
 */
export function isoOf(text: string): string | undefined {
  // Feeds and logs repeat the same stamps (a Feodo dump has a few hundred distinct dates for 100k
  // rows): a small cache saves a regular expression and two Date conversions per value.
  const cached = isoCache.get(text);
  if (cached !== undefined || isoCache.has(text)) return cached;
  const iso = parseIso(text);
  if (isoCache.size >= ISO_CACHE_SIZE) isoCache.clear();
  isoCache.set(text, iso);
  return iso;
}

const ISO_CACHE_SIZE = 4096;
const isoCache = new Map<string, string | undefined>();

function parseIso(text: string): string | undefined {
  const m = DATE_TIME.exec(text.trim());
  let date: Date;
  if (m) {
    const zone =
      m[3] === undefined || /^(z|utc|gmt)$/i.test(m[3])
        ? 'Z'
        : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    date = new Date(`${m[1]}T${m[2] ?? '00:00:00'}${zone}`);
  } else {
    date = new Date(text);
  }
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
