/**
 * The index half of a bulk load into an empty intel table (intel-import.ts): the key and expiry indexes
 * are dropped before the rows are appended and built afterwards by one sort each. Building the unique
 * key fails when the feed repeated a (type, value, source); those rows are then folded into the first
 * of each, field by field as the row-by-row upsert (MERGE in intel-import.ts) would have left it.
 */
import type { SqliteContext } from './results.js';

const CREATE_KEY = 'CREATE UNIQUE INDEX intel_key ON intel(type, value, source)';
const CREATE_EXPIRES = 'CREATE INDEX intel_expires ON intel(expires_at)';

/** Both indexes of migration 7; only ever inside the import's transaction. */
export function dropIntelIndexes(ctx: SqliteContext): void {
  ctx.db.exec('DROP INDEX intel_key; DROP INDEX intel_expires');
}

const SAME = 'd.type = intel.type AND d.value = intel.value AND d.source = intel.source';
/** The latest (highest id) non-null value of a column among a kept row's repeats. */
const latest = (column: string, condition = `d.${column} IS NOT NULL`) =>
  `(SELECT d.${column} FROM intel d WHERE ${SAME} AND ${condition} ORDER BY d.id DESC LIMIT 1)`;

// The upsert keeps the earliest first seen, the latest last seen, the newest non-null confidence,
// malware and reference, the newest non-empty tags, and the newest row's expiry; imported_at and
// updated_at are the same `now` on every row of the load.
const FOLD = `
CREATE INDEX intel_fold ON intel(type, value, source, id);
CREATE TEMP TABLE intel_repeats AS
  SELECT type, value, source, min(id) AS keep FROM intel GROUP BY type, value, source HAVING count(*) > 1;
UPDATE intel SET
  first_seen = (SELECT min(d.first_seen) FROM intel d WHERE ${SAME}),
  last_seen  = (SELECT max(d.last_seen) FROM intel d WHERE ${SAME}),
  confidence = ${latest('confidence')},
  tags       = coalesce(${latest('tags', "d.tags <> '[]'")}, intel.tags),
  malware    = ${latest('malware')},
  reference  = ${latest('reference')},
  expires_at = ${latest('expires_at', 'true')}
WHERE id IN (SELECT keep FROM temp.intel_repeats);
DELETE FROM intel WHERE id IN (
  SELECT i.id FROM temp.intel_repeats g
  JOIN intel i ON i.type = g.type AND i.value = g.value AND i.source = g.source AND i.id > g.keep);
DROP TABLE temp.intel_repeats;
DROP INDEX intel_fold;
`;

/** Builds both indexes (folding repeats first when there are any); returns the rows now in intel. */
export function buildIntelIndexes(ctx: SqliteContext): number {
  try {
    ctx.db.exec(CREATE_KEY);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
    ctx.db.exec(FOLD);
    ctx.db.exec(CREATE_KEY);
  }
  ctx.db.exec(CREATE_EXPIRES);
  return ctx.stmt('SELECT count(*) FROM intel').pluck().get() as number;
}
