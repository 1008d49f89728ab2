/** Helpers every feed reader uses to turn one record into normalised indicators. */
import { isoOf } from '../netlog/index.js';
import { normalizeIoc } from './normalize.js';
import type { Ioc, IocType } from './types.js';

/** What a feed record says about its indicator, before normalisation. */
export interface RecordMeta {
  source: string;
  firstSeen?: string | undefined;
  lastSeen?: string | undefined;
  confidence?: number | undefined;
  tags?: string[] | undefined;
  malware?: string | undefined;
  expiresAt?: string | undefined;
  reference?: string | undefined;
  line?: number | undefined;
}

/** The feed's "no value" spellings: abuse.ch writes `None`, MISP and Zeek `-`. */
export function present(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' || t === 'None' || t === 'null' || t === '-' ? undefined : t;
}

export function timeOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch seconds (MISP timestamps) or milliseconds.
    const ms = value > 1e12 ? value : value * 1000;
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  const text = present(value);
  if (text === undefined) return undefined;
  if (/^\d{9,10}$/.test(text)) return timeOf(Number(text));
  return isoOf(text);
}

export function confidenceOf(value: unknown): number | undefined {
  const text = present(value);
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? Math.round(n) : undefined;
}

/**
 * Comma-separated or array tags, trimmed, de-duplicated, `None` dropped. Feed rows repeat a few tag sets:
 * string inputs are answered from a small cache, and rows with the same tags share one frozen array.
 */
export function tagsOf(...values: unknown[]): string[] {
  let key = '';
  for (const value of values) {
    if (value !== undefined && typeof value !== 'string') return freshTags(values);
    key += `${value ?? ''}\u0000`;
  }
  let tags = tagCache.get(key);
  if (tags === undefined) {
    tags = Object.freeze(freshTags(values)) as string[];
    if (tagCache.size >= TAG_CACHE_SIZE) tagCache.clear();
    tagCache.set(key, tags);
  }
  return tags;
}

const TAG_CACHE_SIZE = 4096;
const tagCache = new Map<string, string[]>();

function freshTags(values: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
    for (const item of list) {
      const tag = present(item);
      if (tag !== undefined && tag.length <= 200) out.add(tag);
    }
  }
  return [...out];
}

/** One indicator from a raw value, or the reason it was refused. */
export function makeIoc(type: IocType, raw: string, meta: RecordMeta): Ioc | { error: string } {
  const normal = normalizeIoc(type, raw);
  if ('error' in normal) return normal;
  const ioc: Ioc = { type, value: normal.value, source: meta.source, tags: meta.tags ?? [] };
  if (meta.firstSeen !== undefined) ioc.firstSeen = meta.firstSeen;
  if (meta.lastSeen !== undefined) ioc.lastSeen = meta.lastSeen;
  if (meta.confidence !== undefined) ioc.confidence = meta.confidence;
  if (meta.malware !== undefined) ioc.malware = meta.malware;
  if (meta.expiresAt !== undefined) ioc.expiresAt = meta.expiresAt;
  if (meta.reference !== undefined) ioc.reference = meta.reference;
  if (meta.line !== undefined) ioc.line = meta.line;
  return ioc;
}

/** Where a record's indicators and refusals go. */
export interface IntelSink {
  ioc(ioc: Ioc): void;
  /** A record that is malformed or refused, with the reason. */
  reject(message: string, line?: number, code?: `E_${string}`): void;
  /** A record deliberately not imported (MISP `to_ids: false`, deleted): counted, not an anomaly. */
  skip(): void;
}

export function emit(sink: IntelSink, result: Ioc | { error: string }, line?: number): void {
  if ('error' in result) sink.reject(result.error, line);
  else sink.ioc(result);
}
