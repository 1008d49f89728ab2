import { isZip, listZip } from '../zip/index.js';
import {
  isVelociraptorCollection,
  parseVelociraptorCollection,
  type CollectionOptions,
} from './collection.js';
import { isRecord } from './fields.js';
import { parseHostSnapshot } from './parse.js';
import type { SnapshotParse } from './types.js';
import { rowKindOfColumns } from './velociraptor.js';

export type HostInputFormat = 'snapshot-json' | 'velociraptor-collection' | 'not-a-snapshot';

/**
 * Any input `emoguard triage` accepts: snapshot JSON/JSONL, Velociraptor JSONL results, or a
 * Velociraptor collection ZIP. A ZIP that is not a collection gives no snapshot and one anomaly.
 *
 * @example
 * const { snapshots, anomalies, format } = await parseHostInput(bytes);
 */
export async function parseHostInput(
  bytes: Uint8Array,
  options: CollectionOptions = {},
): Promise<SnapshotParse & { format: HostInputFormat }> {
  if (!isZip(bytes)) return { ...parseHostSnapshot(bytes, options), format: 'snapshot-json' };
  let listing = options.listing;
  try {
    listing ??= await listZip(bytes);
  } catch {
    listing = undefined;
  }
  if (!listing || !isVelociraptorCollection(listing.entries)) {
    return {
      snapshots: [],
      anomalies: [
        {
          code: 'E_SNAPSHOT_NOT_COLLECTION',
          message: 'a ZIP that is not a Velociraptor collection',
        },
      ],
      format: 'not-a-snapshot',
    };
  }
  return {
    ...(await parseVelociraptorCollection(bytes, { ...options, listing })),
    format: 'velociraptor-collection',
  };
}

const HEAD_CHARS = 4096;

/**
 * Whether decoded text opens like a snapshot as the collectors write it: a JSON object whose first
 * fields include `"volumeSerial"` beside `"hostname"` or `"processes"`. Used by content sniffing.
 */
export function looksLikeHostSnapshot(text: string): boolean {
  const head = text.slice(0, HEAD_CHARS).trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return false;
  return /"volumeSerial"\s*:/.test(head) && /"(?:hostname|processes)"\s*:/.test(head);
}

/**
 * Whether JSON Lines start with host data (a snapshot, or a mapped Velociraptor row): lets the triage
 * engine skip the JSONL logs that other engines own after reading one line.
 */
export function looksLikeHostRows(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, HEAD_BYTES)).replace(/^\uFEFF/, '');
  if (looksLikeHostSnapshot(head)) return true;
  const newline = head.indexOf('\n');
  if (newline < 0 && bytes.length > HEAD_BYTES) return false;
  try {
    const row: unknown = JSON.parse(newline < 0 ? head : head.slice(0, newline));
    return isRecord(row) && rowKindOfColumns(row) !== undefined;
  } catch {
    return false;
  }
}

const HEAD_BYTES = 64 * 1024;
