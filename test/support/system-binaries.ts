/**
 * The system's own binaries as a corpus of benign files for false-positive tests: a detector for
 * Emotet structures must stay silent on real compiled code (tables of addresses, keys, packed data).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SYSTEM_BIN = '/usr/bin';

/** Why the corpus cannot be used here (a `skip` reason), or false. */
export const systemBinariesSkip: string | false = (() => {
  try {
    return readdirSync(SYSTEM_BIN).length > 0 ? false : `${SYSTEM_BIN} is empty`;
  } catch {
    return `${SYSTEM_BIN} is not readable on this system`;
  }
})();

/**
 * The regular files of /usr/bin in name order, each of at most `maxFile` bytes, until `budget` bytes
 * were yielded (a file that would pass the budget is passed over); `isElfOnly` yields ELF files only.
 */
export function* systemBinaries(options: {
  budget: number;
  maxFile: number;
  isElfOnly?: boolean;
}): Generator<{ path: string; bytes: Uint8Array }> {
  let budget = options.budget;
  for (const name of readdirSync(SYSTEM_BIN).sort()) {
    const path = join(SYSTEM_BIN, name);
    let size;
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      size = st.size;
    } catch {
      continue;
    }
    if (size > budget || size > options.maxFile) continue;
    const bytes = new Uint8Array(readFileSync(path));
    if (options.isElfOnly && (bytes[0] !== 0x7f || bytes[1] !== 0x45)) continue;
    yield { path, bytes };
    budget -= size;
  }
}
