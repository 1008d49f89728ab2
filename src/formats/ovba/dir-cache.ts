import type { CfbFile } from '../cfb/index.js';
import type { VbaDir } from './dir.js';

/**
 * dir streams the source side (`readVbaProjects`) parsed, by compound file and stream path, for the
 * compiled side (`readVbaCompiled`) of the same file: one decompression and parse instead of two. The
 * source side keeps only parses made under the same output cap the compiled side uses, so a parse
 * recalled equals a fresh one; nobody modifies a `VbaDir` after `parseDir`. Weakly keyed: an entry
 * goes away with its `CfbFile`.
 */
const PARSED = new WeakMap<CfbFile, Map<string, VbaDir>>();

export function rememberDir(cfb: CfbFile, path: string, dir: VbaDir): void {
  let byPath = PARSED.get(cfb);
  if (!byPath) PARSED.set(cfb, (byPath = new Map()));
  byPath.set(path, dir);
}

export function recallDir(cfb: CfbFile, path: string): VbaDir | undefined {
  return PARSED.get(cfb)?.get(path);
}
