import { DefenseError, FormatError, LimitError } from '../../core/index.js';
import { crc32 } from '../zip/index.js';
import { decodeFolder, type DecodeOptions } from './decode.js';
import type { Folder } from './types.js';

/** Whether decoded folder output matches the CRCs the header gives (true when it gives none). */
export function folderCrcMatches(
  folder: Folder,
  out: Uint8Array,
  sizes?: readonly number[],
): boolean {
  if (folder.crc !== undefined) return crc32(out) === folder.crc;
  const crcs = folder.substreamCrcs ?? [];
  let at = 0;
  for (const [i, crc] of crcs.entries()) {
    const size = sizes?.[i];
    if (size === undefined) break;
    if (crc !== undefined && crc32(out.subarray(at, at + size)) !== crc) return false;
    at += size;
  }
  return true;
}

/**
 * Decodes an AES folder with the first candidate that yields data whose CRC matches (7zAES has no
 * password check: a wrong key shows as an LZMA error or a CRC mismatch). Throws E_7Z_BAD_PASSWORD when
 * none does; LimitErrors (output cap, rounds cap, deadline) are not a wrong password and propagate.
 */
export function decodeWithPasswords(
  folder: Folder,
  packs: readonly Uint8Array[],
  options: DecodeOptions,
  passwords: readonly string[],
  sizes?: readonly number[],
): { bytes: Uint8Array; password: string } {
  const tried = new Set<string>();
  for (const password of passwords) {
    if (tried.has(password)) continue;
    tried.add(password);
    try {
      const bytes = decodeFolder(folder, packs, { ...options, password });
      if (folderCrcMatches(folder, bytes, sizes)) return { bytes, password };
    } catch (error) {
      if (error instanceof LimitError || !(error instanceof DefenseError)) throw error;
      // A FormatError after decryption is what a wrong key produces: try the next candidate.
    }
  }
  throw new FormatError(
    'E_7Z_BAD_PASSWORD',
    tried.size === 0
      ? 'encrypted (AES-256), no candidate password'
      : `encrypted (AES-256), none of ${tried.size} candidate passwords opens it`,
  );
}
