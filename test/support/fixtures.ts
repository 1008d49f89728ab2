/**
 * Where test data lives. Real third-party samples stay outside the repository in `../shared/data` (CI
 * clones the repo beside it); tests that need them skip with a stated reason when it is absent.
 *
 * @example
 * const skip = sharedDataSkip('evtx/sysmon_dirty_header.evtx');
 * test('evtx: dirty header → all 358 records', { skip }, () => {
 *   const bytes = readFileSync(sharedDataPath('evtx/sysmon_dirty_header.evtx'));
 * });
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The repository root (this file is test/support/fixtures.ts). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** `<repo>/../shared/data`, whether or not it exists. */
export function sharedDataDir(): string {
  return resolve(repoRoot(), '..', 'shared', 'data');
}

/** A path inside the shared data directory, e.g. `sharedDataPath('evtx', 'x.evtx')`. */
export function sharedDataPath(...parts: string[]): string {
  return join(sharedDataDir(), ...parts);
}

/**
 * `false` when the shared data (or the given file inside it) exists, otherwise the reason to skip, ready for
 * node:test's `{ skip }` option.
 */
export function sharedDataSkip(...parts: string[]): false | string {
  const path = sharedDataPath(...parts);
  if (existsSync(path)) return false;
  return `shared test data not found at ${path} (clone the repo beside ../shared to run this test)`;
}

/**
 * Decodes a real binary sample stored as text (STYLE.md §6.4: never raw binaries in the repo). Encodings
 * are peeled from the right of the name: `x.hex` and `x.b64` are text, `x.hex.gz` is gzip-compressed hex
 * text, `x.gz.b64` is base64 of gzip bytes. Whitespace in hex/base64 text is ignored. The bytes stay in
 * memory; nothing executable is written to disk.
 */
export function loadSample(path: string): Uint8Array {
  let bytes: Buffer = readFileSync(path);
  let name = basename(path);
  let isText = false;
  for (
    let ext = extname(name);
    ext === '.gz' || ext === '.hex' || ext === '.b64';
    ext = extname(name)
  ) {
    name = name.slice(0, -ext.length);
    if (ext === '.gz') {
      bytes = gunzipSync(bytes);
      continue;
    }
    isText = true;
    const text = bytes.toString('latin1').replace(/\s+/g, '');
    const isValid =
      ext === '.hex' ? /^([0-9a-fA-F]{2})*$/.test(text) : /^[A-Za-z0-9+/]*={0,2}$/.test(text);
    if (!isValid) throw new Error(`${path}: not valid ${ext.slice(1)} text`);
    bytes = Buffer.from(text, ext === '.hex' ? 'hex' : 'base64');
  }
  if (!isText)
    throw new Error(
      `${path}: samples are stored as text: name them .hex, .b64, .hex.gz or .gz.b64`,
    );
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
