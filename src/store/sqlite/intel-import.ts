/**
 * Bulk import of threat-intel indicators into the SQLite store. A whole feed is one transaction
 * (`importIntelStream`): nothing of a feed that fails half-way is kept. Rows are bound 64 per INSERT
 * through one reused parameter array (the per-call cost of the driver, not SQLite, dominated one-row
 * statements; the reuse keeps garbage per row at zero). Two paths, the same result:
 * - into an EMPTY intel table (a first import, or a rebuild): the key and expiry indexes are dropped,
 *   rows are appended in feed order, and the indexes are built once by sorting (migration 7 made the
 *   key a named index) instead of a million random B-tree inserts. A value repeated in the feed is then
 *   folded into its first row as the upsert would have done (intel-bulk.ts).
 * - otherwise into an unindexed TEMP staging table, then one `INSERT … SELECT … ON CONFLICT DO UPDATE`
 *   merges it into `intel` in feed order, so ids stay in insertion order and a repeated value is
 *   upserted as if imported row by row.
 * Measured in bench/intel-import.bench.ts.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { isoTime } from '../common.js';
import type { IntelBatch, IntelImportResult, IntelInput } from '../store.js';
import { buildIntelIndexes, dropIntelIndexes } from './intel-bulk.js';
import { batchCells, ROW_WIDTH } from './intel-rows.js';
import type { SqliteContext } from './results.js';

const COLUMNS =
  'type, value, source, first_seen, last_seen, confidence, tags, malware, reference, expires_at';
/** Rows per multi-row INSERT: at most 768 parameters, far under SQLite's 32,766. */
const ROWS_PER_INSERT = 64;

const CREATE_STAGE = `CREATE TEMP TABLE IF NOT EXISTS intel_stage (
  type TEXT, value TEXT, source TEXT, first_seen TEXT, last_seen TEXT, confidence INTEGER, tags TEXT,
  malware TEXT, reference TEXT, expires_at TEXT)`;

// `WHERE true`: without it SQLite would read ON CONFLICT as a join constraint of the SELECT.
const MERGE = `
INSERT INTO intel (${COLUMNS}, imported_at, updated_at)
SELECT ${COLUMNS}, @now, @now FROM intel_stage WHERE true ORDER BY rowid
ON CONFLICT (type, value, source) DO UPDATE SET
  first_seen = coalesce(min(intel.first_seen, excluded.first_seen), intel.first_seen, excluded.first_seen),
  last_seen  = coalesce(max(intel.last_seen, excluded.last_seen), intel.last_seen, excluded.last_seen),
  confidence = coalesce(excluded.confidence, intel.confidence),
  tags       = CASE WHEN excluded.tags = '[]' THEN intel.tags ELSE excluded.tags END,
  malware    = coalesce(excluded.malware, intel.malware),
  reference  = coalesce(excluded.reference, intel.reference),
  expires_at = excluded.expires_at,
  updated_at = excluded.updated_at`;

/**
 * Page caches for the import only, restored afterwards: a million-row merge inserts into the unique
 * index at random places, and with SQLite's default 2 MiB most of the time went to re-reading evicted
 * pages; an index build sorts in this memory before spilling to temp files. Memory stays bounded by
 * these caches whatever the feed's size.
 */
const IMPORT_CACHE_KIB = 131_072;
const STAGE_CACHE_KIB = 32_768;

/** Writes validated cells, ROWS_PER_INSERT rows per statement, through reused parameter arrays. */
class RowWriter {
  readonly #many: BetterSqlite3.Statement;
  readonly #one: BetterSqlite3.Statement;
  readonly #manyParams: unknown[];
  readonly #oneParams: unknown[];
  readonly #width: number;

  /** `tail`: constant values bound after each row's cells (imported_at, updated_at). */
  constructor(ctx: SqliteContext, insertInto: string, tail: readonly unknown[]) {
    this.#width = ROW_WIDTH + tail.length;
    const row = `(${Array(this.#width).fill('?').join(', ')})`;
    this.#many = ctx.stmt(`${insertInto} VALUES ${Array(ROWS_PER_INSERT).fill(row).join(', ')}`);
    this.#one = ctx.stmt(`${insertInto} VALUES ${row}`);
    this.#oneParams = [...Array<unknown>(ROW_WIDTH).fill(null), ...tail];
    this.#manyParams = [];
    for (let i = 0; i < ROWS_PER_INSERT; i++) this.#manyParams.push(...this.#oneParams);
  }

  write(cells: readonly unknown[], rows: number): void {
    const params = this.#manyParams;
    let r = 0;
    let at = 0;
    for (; r + ROWS_PER_INSERT <= rows; r += ROWS_PER_INSERT) {
      for (let p = 0; p < params.length; p += this.#width) {
        for (let c = 0; c < ROW_WIDTH; c++) params[p + c] = cells[at++];
      }
      this.#many.run(params);
    }
    for (; r < rows; r++) {
      for (let c = 0; c < ROW_WIDTH; c++) this.#oneParams[c] = cells[at++];
      this.#one.run(this.#oneParams);
    }
  }
}

/** Runs `work` with the import's page caches and a fresh staging table, restoring both afterwards. */
async function withImportSession<T>(ctx: SqliteContext, work: () => Promise<T>): Promise<T> {
  const cache = ctx.db.pragma('cache_size', { simple: true }) as number;
  const tempCache = ctx.db.pragma('temp.cache_size', { simple: true }) as number;
  ctx.db.exec(CREATE_STAGE);
  ctx.db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  ctx.db.pragma(`temp.cache_size = -${STAGE_CACHE_KIB}`);
  try {
    return await work();
  } finally {
    ctx.db.exec('DROP TABLE IF EXISTS temp.intel_stage');
    ctx.db.pragma(`cache_size = ${cache}`);
    ctx.db.pragma(`temp.cache_size = ${tempCache}`);
  }
}

/** Merges the staging table into `intel`; counts inserts by the growth of max(id) (nothing is deleted). */
function mergeStage(ctx: SqliteContext, now: string, staged: number): IntelImportResult {
  const maxId = ctx.stmt('SELECT coalesce(max(id), 0) FROM intel').pluck();
  const before = maxId.get() as number;
  ctx.stmt(MERGE).run({ now });
  const inserted = (maxId.get() as number) - before;
  return { inserted, updated: staged - inserted };
}

const stageWriter = (ctx: SqliteContext) =>
  new RowWriter(ctx, `INSERT INTO intel_stage (${COLUMNS})`, []);

/** One batch, one transaction (the `Store.importIntel` contract); always the merge path. */
export function importIntel(
  ctx: SqliteContext,
  batch: readonly IntelInput[],
  options: { importedAt?: Date } = {},
): IntelImportResult {
  const now = isoTime(options.importedAt, new Date());
  const cache = ctx.db.pragma('cache_size', { simple: true }) as number;
  ctx.db.exec(CREATE_STAGE);
  ctx.db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    return ctx.db.transaction(() => {
      const { cells, rows } = batchCells(batch, 0);
      stageWriter(ctx).write(cells, rows);
      return mergeStage(ctx, now, rows);
    })();
  } finally {
    ctx.db.exec('DROP TABLE IF EXISTS temp.intel_stage');
    ctx.db.pragma(`cache_size = ${cache}`);
  }
}

/**
 * A whole feed in one transaction: batches are written as they arrive (memory holds one batch), merged
 * or indexed at the end. A bad row or a failing source rolls everything back, indexes included.
 * SECURITY: the transaction stays open across the source's awaits; the caller must not use the same
 * store for anything else until this resolves (the `intel import` command does nothing else meanwhile).
 * Readers of the WAL keep their snapshot with the indexes, so dropping them is invisible outside.
 */
export async function importIntelStream(
  ctx: SqliteContext,
  batches: AsyncIterable<IntelBatch> | Iterable<IntelBatch>,
  options: { importedAt?: Date } = {},
): Promise<IntelImportResult> {
  const now = isoTime(options.importedAt, new Date());
  return withImportSession(ctx, async () => {
    ctx.db.exec('BEGIN IMMEDIATE');
    try {
      // Decided under the write lock: no other process can add rows before the commit.
      const empty = ctx.stmt('SELECT NOT EXISTS (SELECT 1 FROM intel)').pluck().get() === 1;
      if (empty) dropIntelIndexes(ctx);
      const writer = empty
        ? new RowWriter(ctx, `INSERT INTO intel (${COLUMNS}, imported_at, updated_at)`, [now, now])
        : stageWriter(ctx);
      let staged = 0;
      for await (const batch of batches) {
        const { cells, rows } = batchCells(batch, staged);
        writer.write(cells, rows);
        staged += rows;
      }
      let result: IntelImportResult;
      if (empty) {
        const inserted = buildIntelIndexes(ctx);
        result = { inserted, updated: staged - inserted };
      } else {
        result = mergeStage(ctx, now, staged);
      }
      ctx.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (ctx.db.inTransaction) ctx.db.exec('ROLLBACK');
      throw error;
    }
  });
}
