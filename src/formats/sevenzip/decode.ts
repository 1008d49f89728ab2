import { inflateRawSync } from 'node:zlib';
import { FormatError, LimitError } from '../../core/index.js';
import { decryptAes, deriveAesKey, parseAesProperties } from './aes.js';
import { bcjX86Decode } from './bcj.js';
import { mainOutStream } from './header.js';
import { decodeLzma, decodeLzma2 } from './lzma.js';
import { AES_METHOD, type Folder } from './types.js';

export interface DecodeOptions {
  maxOutput: number;
  checkDeadline?: () => void;
  /** Password for 7zAES coders; without one an AES folder is E_7Z_ENCRYPTED. */
  password?: string;
  /** Keys already derived, by rounds, salt and password (an archive's folders usually share a salt). */
  keys?: Map<string, Uint8Array>;
  maxAesCyclesPower?: number;
}

/** Methods this decoder runs. Others (PPMd, BZip2, BCJ2, AES without a password) are reported, not read. */
export const SUPPORTED_METHODS: ReadonlySet<string> = new Set([
  '00',
  '21',
  '030101',
  '03030103',
  '040108',
]);

/** Why a folder cannot be decoded here, or undefined when it can (AES only with a password). */
export function unsupportedReason(folder: Folder, hasPassword = false): string | undefined {
  if (folder.isEncrypted && !hasPassword) return 'encrypted (AES-256)';
  const bad = folder.coders.find(
    (c) =>
      (!SUPPORTED_METHODS.has(c.id) && c.id !== AES_METHOD) ||
      c.numInStreams !== 1 ||
      c.numOutStreams !== 1,
  );
  return bad ? `method ${bad.method} not supported` : undefined;
}

/**
 * Runs a folder's coder graph: the main out-stream's coder reads its input from the coder bound to it,
 * or from a pack stream, recursively (a chain such as LZMA → BCJ). Each coder's output is capped.
 */
export function decodeFolder(
  folder: Folder,
  packs: readonly Uint8Array[],
  options: DecodeOptions,
): Uint8Array {
  const reason = unsupportedReason(folder, options.password !== undefined);
  if (reason)
    throw new FormatError(
      folder.isEncrypted && options.password === undefined ? 'E_7Z_ENCRYPTED' : 'E_7Z_UNSUPPORTED',
      reason,
    );
  // With 1-in/1-out coders, coder i owns in-stream i and out-stream i.
  const run = (coderIndex: number, depth: number): Uint8Array => {
    if (depth > folder.coders.length)
      throw new FormatError('E_7Z_BAD_HEADER', 'coder bindings loop');
    const coder = folder.coders[coderIndex]!;
    const bound = folder.bindPairs.find((b) => b.inIndex === coderIndex);
    let input: Uint8Array;
    if (bound) input = run(bound.outIndex, depth + 1);
    else {
      const packIndex = folder.packedStreams.indexOf(coderIndex);
      const pack = packs[packIndex];
      if (!pack) throw new FormatError('E_7Z_BAD_HEADER', `no pack stream for coder ${coderIndex}`);
      input = pack;
    }
    const size = folder.unpackSizes[coderIndex] ?? 0;
    options.checkDeadline?.();
    return runCoder(coder.id, coder.properties, input, size, options);
  };
  return run(mainOutStream(folder), 0);
}

function runCoder(
  id: string,
  props: Uint8Array,
  input: Uint8Array,
  size: number,
  options: DecodeOptions,
): Uint8Array {
  const { maxOutput } = options;
  switch (id) {
    case '00':
      return capped(input.subarray(0, size), maxOutput);
    case '030101':
      return decodeLzma(props, input, size, maxOutput, options.checkDeadline);
    case '21':
      return decodeLzma2(props, input, size, maxOutput, options.checkDeadline);
    case '03030103':
      return bcjX86Decode(Uint8Array.from(input));
    case '040108':
      try {
        return new Uint8Array(
          inflateRawSync(input, { maxOutputLength: Math.max(1, Math.min(size, maxOutput)) }),
        );
      } catch (error) {
        if (size > maxOutput) throw tooLarge(maxOutput);
        throw new FormatError('E_7Z_BAD_DATA', 'Deflate stream is corrupt', { cause: error });
      }
    case AES_METHOD:
      // The plaintext was padded to 16 bytes; the coder's unpack size is the unpadded length.
      return decryptFolderStream(props, input, options).subarray(0, size);
    default:
      throw new FormatError('E_7Z_UNSUPPORTED', `method 0x${id} not supported`);
  }
}

function decryptFolderStream(
  props: Uint8Array,
  input: Uint8Array,
  options: DecodeOptions,
): Uint8Array {
  const { password } = options;
  if (password === undefined) throw new FormatError('E_7Z_ENCRYPTED', 'encrypted (AES-256)');
  const aes = parseAesProperties(props);
  const id = `${aes.numCyclesPower}:${Array.from(aes.salt, (b) => b.toString(16).padStart(2, '0')).join('')}:${password}`;
  let key = options.keys?.get(id);
  if (!key) {
    key = deriveAesKey(password, aes, {
      ...(options.maxAesCyclesPower === undefined
        ? {}
        : { maxCyclesPower: options.maxAesCyclesPower }),
      ...(options.checkDeadline ? { checkDeadline: options.checkDeadline } : {}),
    });
    options.keys?.set(id, key);
  }
  return decryptAes(key, aes.iv, input);
}

function capped(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length > max) throw tooLarge(max);
  return bytes;
}

const tooLarge = (max: number) =>
  new LimitError('E_LIMIT_DECOMPRESSED_SIZE', `decompressed data past ${max} bytes`, {
    limit: 'maxFileSize',
    max,
  });
