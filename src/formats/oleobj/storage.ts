import { LimitError } from '../../core/index.js';
import { cfbPackage, type CfbFile } from '../cfb/index.js';
import { clsidBytes } from './clsid.js';

/** Streams copied from one storage; an embedded document has dozens, a hostile one could list millions. */
const MAX_STREAMS = 4096;

/**
 * Copies one storage of a compound file (an embedded object under `ObjectPool/_123` or `MBD0001A2B3`)
 * into a compound file of its own, with the storage's CLSID on the new root: the form Word gives the
 * object to its server, and one the pipeline can scan as a document in turn (its macros, its objects).
 * Throws `LimitError` when its streams together pass `maxBytes`.
 *
 * @example
 * const doc = extractStorage(cfb, 'ObjectPool/_1234', { maxBytes: 1 << 26 });
 */
export function extractStorage(
  cfb: CfbFile,
  path: string,
  options: { maxBytes: number; limit?: string },
): Uint8Array {
  const storage = cfb.find(path);
  const prefix = `${storage?.path ?? path}/`.toUpperCase();
  const streams = cfb.entries.filter(
    (e) => e.type === 'stream' && e.path.toUpperCase().startsWith(prefix),
  );
  const total = streams.reduce((n, e) => n + e.size, 0);
  if (total > options.maxBytes) {
    throw new LimitError('E_LIMIT_STORAGE_BYTES', `${path}: ${total} bytes of streams`, {
      limit: options.limit ?? 'maxBytes',
      max: options.maxBytes,
      actual: total,
    });
  }
  const id = storage?.clsid === undefined ? undefined : clsidBytes(storage.clsid);
  const hex = id && Array.from(id, (b) => b.toString(16).padStart(2, '0')).join('');
  const CFB = cfbPackage();
  const container = CFB.utils.cfb_new(hex ? { CLSID: hex } : undefined);
  for (const entry of streams.slice(0, MAX_STREAMS)) {
    const data = cfb.readStream(entry.path) ?? new Uint8Array();
    CFB.utils.cfb_add(container, entry.path.slice(prefix.length), data);
  }
  const written = CFB.write(container, { type: 'array', fileType: 'cfb' }) as ArrayLike<number>;
  return Uint8Array.from(written);
}
