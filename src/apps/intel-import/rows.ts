/**
 * Parsed indicators to `IntelRows` cells (the store's stored form) without an object per row: the
 * parser's Ioc objects die young in the thread that made them, and what crosses to the writing thread
 * is one flat array of strings, numbers and nulls per batch.
 */
import { withDefaultExpiry, type Ioc } from '../../formats/intel/index.js';
import type { IntelRows } from '../../store/index.js';

/** Distinct dates remembered; feeds repeat a few. */
const TIME_CACHE = 4096;

export class RowBuilder {
  #cells: (string | number | null)[] = [];
  #rows = 0;
  readonly #iso = new Map<string, string>();
  readonly #tags = new WeakMap<readonly string[], string>();
  readonly #now: Date;
  readonly #ttlDays: number | undefined;

  constructor(now: Date, ttlDays: number | undefined) {
    this.#now = now;
    this.#ttlDays = ttlDays;
  }

  get rows(): number {
    return this.#rows;
  }

  /** Feed times (ISO 8601 in any precision) as `Date.toISOString()` writes them, as IntelRows wants. */
  #time(text: string | undefined): string | null {
    if (text === undefined) return null;
    let iso = this.#iso.get(text);
    if (iso === undefined) {
      const ms = Date.parse(text);
      // An unreadable time goes through as is: the store refuses the row with its line.
      iso = Number.isNaN(ms) ? text : new Date(ms).toISOString();
      if (this.#iso.size >= TIME_CACHE) this.#iso.clear();
      this.#iso.set(text, iso);
    }
    return iso;
  }

  /** JSON of a tag list by identity: the feed readers share one array per distinct tag set. */
  #tagsText(tags: readonly string[]): string {
    if (tags.length === 0) return '[]';
    let text = this.#tags.get(tags);
    if (text === undefined) {
      text = JSON.stringify(tags);
      this.#tags.set(tags, text);
    }
    return text;
  }

  /** Adds iocs[from, to). */
  add(iocs: readonly Ioc[], from = 0, to = iocs.length): void {
    for (let i = from; i < to; i++) {
      const ioc = withDefaultExpiry(iocs[i]!, this.#now, this.#ttlDays);
      this.#cells.push(
        ioc.type,
        ioc.value,
        ioc.source,
        this.#time(ioc.firstSeen),
        this.#time(ioc.lastSeen),
        ioc.confidence ?? null,
        this.#tagsText(ioc.tags),
        ioc.malware ?? null,
        ioc.reference ?? null,
        this.#time(ioc.expiresAt),
      );
      this.#rows++;
    }
  }

  /** The rows so far, handed over; the builder starts a new batch. */
  take(): IntelRows {
    const batch = { rows: this.#rows, cells: this.#cells };
    this.#cells = [];
    this.#rows = 0;
    return batch;
  }
}
