import { describeError, type Anomaly } from '../../core/index.js';
import { listZip, readZipEntry, type ZipEntry, type ZipListing } from '../zip/index.js';
import { AnomalySink, FieldReader, isRecord } from './fields.js';
import { readJsonRows, resolveSnapshotLimits, type ParseSnapshotOptions } from './parse.js';
import type { SnapshotParse } from './types.js';
import { RowCollector, rowKindOfArtifact, type RowKind } from './velociraptor.js';

export interface CollectionOptions extends ParseSnapshotOptions {
  /** The archive's listing when the caller already has one (shared with the archive engine). */
  listing?: ZipListing;
  /** Inflated bytes of result files read in all. Default 256 MiB. */
  maxCollectionBytes?: number;
}

const MiB = 1024 * 1024;
const DEFAULT_COLLECTION_BYTES = 256 * MiB;
const CLIENT_INFO_BYTES = 1 * MiB;
const RESULT_FILE = /^results\/(.+)\.json$/;

/**
 * A Velociraptor collection ZIP (offline collector or "download collection"): `results/*.json` JSON
 * Lines per artifact source, `client_info.json` naming the host, `uploads/` for collected files.
 */
export function isVelociraptorCollection(entries: readonly Pick<ZipEntry, 'name'>[]): boolean {
  let results = false;
  let meta = false;
  for (const { name } of entries) {
    if (RESULT_FILE.test(name)) results = true;
    else if (/^(collection_context|client_info|uploads|log|requests)\.json$/.test(name))
      meta = true;
    if (results && meta) return true;
  }
  return false;
}

/** Which mapped row kinds a collection's result files hold (`snapshot` for Custom.Emoguard.HostSnapshot). */
export function collectionKinds(entries: readonly ZipEntry[]): Set<RowKind> {
  return new Set(resultFiles(entries).map(([, kind]) => kind));
}

/** The collection's results of the mapped artifacts, as snapshots; other artifacts are not read. */
export async function parseVelociraptorCollection(
  bytes: Uint8Array,
  options: CollectionOptions = {},
): Promise<SnapshotParse> {
  const limits = resolveSnapshotLimits(options.limits);
  const sink = new AnomalySink(limits.maxAnomalies);
  let listing = options.listing;
  try {
    listing ??= await listZip(bytes);
  } catch (error) {
    sink.add('E_SNAPSHOT_ZIP', describeError(error));
    return { snapshots: [], anomalies: sink.finish() };
  }
  for (const a of listing.anomalies) sink.add(a.code, a.message, a.location);
  const read = new FieldReader(sink, limits);
  const hostname = await clientHostname(listing.entries, sink);
  const collector = new RowCollector(read, hostname);
  let budget = options.maxCollectionBytes ?? DEFAULT_COLLECTION_BYTES;
  for (const [entry, kind] of resultFiles(listing.entries)) {
    if (budget <= 0) {
      sink.add(
        'E_LIMIT_SNAPSHOT_SIZE',
        'result files past maxCollectionBytes were not read',
        entry.name,
      );
      break;
    }
    const data = await readMember(entry, budget, sink);
    if (data === undefined) continue;
    budget -= data.length;
    readJsonRows(data, collector, sink, limits, options.checkDeadline, kind, entry.name);
  }
  return { snapshots: collector.finish(), anomalies: sink.finish() };
}

/** Result files of mapped artifacts, whole snapshots first so that they win over built-in rows. */
function resultFiles(entries: readonly ZipEntry[]): [ZipEntry, RowKind][] {
  const found: [ZipEntry, RowKind][] = [];
  for (const entry of entries) {
    const m = RESULT_FILE.exec(entry.name);
    if (!m || entry.directory) continue;
    const kind = rowKindOfArtifact(unescapeName(m[1]!));
    if (kind !== undefined) found.push([entry, kind]);
  }
  return found.sort((a, b) => Number(b[1] === 'snapshot') - Number(a[1] === 'snapshot'));
}

/** Velociraptor escapes `/` and other characters in file names as %XX. */
function unescapeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

async function clientHostname(entries: readonly ZipEntry[], sink: AnomalySink): Promise<string> {
  const entry = entries.find((e) => e.name === 'client_info.json');
  if (!entry) return '';
  const data = await readMember(entry, CLIENT_INFO_BYTES, sink);
  if (!data) return '';
  try {
    const info: unknown = JSON.parse(new TextDecoder().decode(data));
    if (!isRecord(info)) return '';
    const name = info.Hostname ?? info.hostname ?? info.Fqdn ?? info.fqdn;
    return typeof name === 'string' ? name.slice(0, 256) : '';
  } catch (error) {
    sink.add(
      'E_SNAPSHOT_JSON',
      `client_info.json: ${describeError(error).slice(0, 160)}`,
      entry.name,
    );
    return '';
  }
}

async function readMember(
  entry: ZipEntry,
  maxBytes: number,
  sink: AnomalySink,
): Promise<Uint8Array | undefined> {
  const anomalies: Anomaly[] = [];
  try {
    const data = await readZipEntry(entry, { maxBytes, limit: 'maxCollectionBytes', anomalies });
    for (const a of anomalies) sink.add(a.code, a.message, a.location ?? entry.name);
    return data;
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'E_SNAPSHOT_ZIP';
    sink.add(
      code.startsWith('E_') ? (code as `E_${string}`) : 'E_SNAPSHOT_ZIP',
      describeError(error),
      entry.name,
    );
    return undefined;
  }
}
