/**
 * Intel batches to the flat cell arrays the import binds (INTEL_ROW_COLUMNS order, 10 per row), with the
 * `Store.importIntel` validation: an `IntelInput[]` is converted row by row, an `IntelRows` batch (already
 * in stored form) is checked in place without copying.
 */
import { ConfigError } from '../../core/index.js';
import {
  INTEL_ROW_COLUMNS,
  INTEL_TYPES,
  type IntelBatch,
  type IntelInput,
  type IntelRows,
} from '../store.js';

export const ROW_WIDTH = INTEL_ROW_COLUMNS.length;
const TYPES: ReadonlySet<string> = new Set(INTEL_TYPES);
/** Distinct dates and tag sets remembered as valid; feeds repeat a few of each. */
const KNOWN_LIMIT = 4096;

export function invalid(index: number, why: string): ConfigError {
  return new ConfigError('E_STORE_INVALID_INTEL', `intel row ${index}: ${why}`);
}

/** ISO text by epoch ms: feed rows repeat a few dates, and toISOString is the costliest part of a row. */
const isoByTime = new Map<number, string>();

function optionalTime(value: Date | undefined, index: number, name: string): string | null {
  if (value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw invalid(index, `${name} is not a valid Date`);
  let iso = isoByTime.get(ms);
  if (iso === undefined) {
    iso = value.toISOString();
    if (isoByTime.size >= KNOWN_LIMIT) isoByTime.clear();
    isoByTime.set(ms, iso);
  }
  return iso;
}

/** JSON of a tag list by identity: feed readers hand out one shared array per distinct tag set. */
const tagsJson = new WeakMap<readonly string[], string>();

function tagsText(tags: unknown, index: number): string {
  if (tags === undefined) return '[]';
  const known = Array.isArray(tags) ? tagsJson.get(tags) : undefined;
  if (known !== undefined) return known;
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))
    throw invalid(index, 'tags must be strings');
  const text = JSON.stringify(tags);
  tagsJson.set(tags, text);
  return text;
}

function checkConfidence(c: unknown, index: number): void {
  if (
    c !== undefined &&
    c !== null &&
    (!Number.isInteger(c) || (c as number) < 0 || (c as number) > 100)
  ) {
    throw invalid(index, 'confidence must be an integer 0–100');
  }
}

function checkKey(type: unknown, value: unknown, source: unknown, index: number): void {
  if (typeof type !== 'string' || !TYPES.has(type))
    throw invalid(index, `unknown type "${String(type)}"`);
  if (typeof value !== 'string' || value.length === 0) throw invalid(index, 'empty value');
  if (typeof source !== 'string' || source.length === 0) throw invalid(index, 'empty source');
}

/** Appends one row's cells to `out`; throws E_STORE_INVALID_INTEL for a bad row. */
function pushRow(out: unknown[], input: IntelInput, index: number): void {
  if (input === null || typeof input !== 'object') throw invalid(index, 'not an object');
  checkKey(input.type, input.value, input.source, index);
  checkConfidence(input.confidence, index);
  out.push(
    input.type,
    input.value,
    input.source,
    optionalTime(input.firstSeen, index, 'firstSeen'),
    optionalTime(input.lastSeen, index, 'lastSeen'),
    input.confidence ?? null,
    tagsText(input.tags, index),
    input.malware ?? null,
    input.reference ?? null,
    optionalTime(input.expiresAt, index, 'expiresAt'),
  );
}

// SECURITY: stored times are read back with `new Date(text)` and compared as text (expiry), so only
// the exact toISOString form is accepted from an IntelRows batch.
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const validTimes = new Set<string>();
const validTags = new Set<string>();

function remember(set: Set<string>, text: string): void {
  if (set.size >= KNOWN_LIMIT) set.clear();
  set.add(text);
}

function checkTime(text: unknown, index: number, name: string): void {
  if (text === null || (typeof text === 'string' && validTimes.has(text))) return;
  if (typeof text !== 'string' || !ISO_TIME.test(text) || Number.isNaN(Date.parse(text)))
    throw invalid(index, `${name} is not ISO-8601 UTC text`);
  remember(validTimes, text);
}

function checkTags(text: unknown, index: number): void {
  if (typeof text === 'string' && validTags.has(text)) return;
  let tags: unknown;
  try {
    tags = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    tags = undefined;
  }
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))
    throw invalid(index, 'tags must be the JSON text of a string array');
  remember(validTags, text as string);
}

function checkOptionalText(text: unknown, index: number, name: string): void {
  if (text !== null && typeof text !== 'string')
    throw invalid(index, `${name} must be text or null`);
}

/** Checks an IntelRows batch in place (rows numbered from `first` in errors). */
function checkRows(batch: IntelRows, first: number): void {
  const { rows, cells } = batch;
  if (
    !Number.isSafeInteger(rows) ||
    rows < 0 ||
    !Array.isArray(cells) ||
    cells.length !== rows * ROW_WIDTH
  )
    throw new ConfigError(
      'E_STORE_INVALID_INTEL',
      `an intel row batch needs ${ROW_WIDTH} cells per row`,
    );
  for (let r = 0, at = 0; r < rows; r++, at += ROW_WIDTH) {
    const index = first + r;
    checkKey(cells[at], cells[at + 1], cells[at + 2], index);
    checkTime(cells[at + 3], index, 'firstSeen');
    checkTime(cells[at + 4], index, 'lastSeen');
    checkConfidence(cells[at + 5], index);
    checkTags(cells[at + 6], index);
    checkOptionalText(cells[at + 7], index, 'malware');
    checkOptionalText(cells[at + 8], index, 'reference');
    checkTime(cells[at + 9], index, 'expiresAt');
  }
}

/** A batch's cells, validated (all of it, before anything is written), and its row count. */
export function batchCells(
  batch: IntelBatch,
  first: number,
): { cells: readonly unknown[]; rows: number } {
  if (Array.isArray(batch)) {
    const cells: unknown[] = [];
    for (let i = 0; i < batch.length; i++) pushRow(cells, batch[i] as IntelInput, first + i);
    return { cells, rows: batch.length };
  }
  if (batch === null || typeof batch !== 'object')
    throw new ConfigError('E_STORE_INVALID_INTEL', 'importIntel takes an array');
  checkRows(batch as IntelRows, first);
  return batch as IntelRows;
}
