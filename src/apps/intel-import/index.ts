/**
 * @module intel-import — `emoguard intel import` of big feeds on two cores: a worker thread reads,
 * parses and normalises the feed (src/formats/intel: abuse.ch CSV/JSON, MISP, STIX 2.1, plain lists)
 * while the calling thread writes to the store. Batches cross as `IntelRows` (one flat array of
 * primitives per batch, no object per row) with a few batches in flight, so memory stays bounded and
 * the writing thread allocates little per row. Small feeds are read in the calling thread.
 *
 * @example
 * let outcome: FeedOutcome | undefined;
 * const rows = feedRows({ file, format: 'auto', now: Date.now() }, (o) => (outcome = o));
 * const result = await store.importIntelStream(rows, { importedAt: new Date() });
 */
export { FEED_BATCH_ROWS, feedRows, WORKER_MIN_BYTES, type FeedReadOptions } from './feed.js';
export type { FeedOutcome, FeedRequest } from './protocol.js';
export { RowBuilder } from './rows.js';
