import { cfbPackage, type CfbFile } from '../cfb/index.js';

/**
 * Writes a new compound file holding every stream of `cfb`, with `replaced` streams swapped in: how a
 * decrypted .xls or .doc is handed to the engines that read compound files. The `cfb` package adds its
 * own 4-byte `\x01Sh33tJ5` root stream, which readers ignore.
 */
export function rebuildCfb(
  cfb: CfbFile,
  replaced: ReadonlyMap<string, Uint8Array>,
  checkDeadline: () => void,
): Uint8Array {
  const CFB = cfbPackage();
  const container = CFB.utils.cfb_new();
  const done = new Set<string>();
  for (const entry of cfb.entries) {
    if (entry.type !== 'stream') continue;
    checkDeadline();
    const key = entry.path.toUpperCase();
    if (done.has(key)) continue;
    done.add(key);
    const data = replaced.get(entry.path) ?? cfb.readStream(entry.path) ?? new Uint8Array(0);
    CFB.utils.cfb_add(container, entry.path, data);
  }
  const written = CFB.write(container, { type: 'array', fileType: 'cfb' }) as ArrayLike<number>;
  return Uint8Array.from(written);
}
