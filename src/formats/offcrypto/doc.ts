import type { Anomaly } from '../../core/index.js';
import { u16At, u32At } from './bytes.js';
import {
  BlockDecryptor,
  parseBinaryRc4Header,
  verifyBinaryRc4,
  type BinaryRc4Header,
} from './binary-rc4.js';
import type { DecryptResult, EncryptionScheme, ResolvedOptions } from './types.js';

/** [MS-DOC] 2.5.2 FibBase. */
const FIB_IDENT = 0xa5ec;
const F_ENCRYPTED = 0x0100;
const F_WHICH_TBL_STM = 0x0200;
const F_OBFUSCATED = 0x8000;
/** The FibBase (68 bytes) stays in clear in an encrypted document (MS-DOC 2.2.6.2). */
const FIB_BASE_SIZE = 0x44;
/** Word re-keys RC4 every 512 bytes. */
const DOC_BLOCK = 512;

export interface WordEncryption {
  tableStream: '0Table' | '1Table';
  /** FibBase.lKey: size of the encryption header at the start of the table stream. */
  headerSize: number;
  header:
    BinaryRc4Header | { method: 'xor' } | { method: 'unknown'; major?: number; minor?: number };
}

/** Reads FibBase.fEncrypted and, when set, the table stream's encryption header. */
export function findWordEncryption(
  wordDocument: Uint8Array,
  readStream: (name: string) => Uint8Array | undefined,
  anomalies: Anomaly[],
): WordEncryption | undefined {
  if (u16At(wordDocument, 0) !== FIB_IDENT) return undefined;
  const flags = u16At(wordDocument, 0x0a) ?? 0;
  if ((flags & F_ENCRYPTED) === 0) return undefined;
  const tableStream = (flags & F_WHICH_TBL_STM) !== 0 ? '1Table' : '0Table';
  const headerSize = u32At(wordDocument, 0x0e) ?? 0;
  if ((flags & F_OBFUSCATED) !== 0) return { tableStream, headerSize, header: { method: 'xor' } };
  const table = readStream(tableStream);
  if (!table) {
    anomalies.push({
      code: 'E_OFFCRYPTO_BAD_HEADER',
      message: `fEncrypted is set but ${tableStream} is missing`,
      location: 'WordDocument',
    });
    return { tableStream, headerSize, header: { method: 'unknown' } };
  }
  const header = parseBinaryRc4Header(table, 0, anomalies, tableStream);
  return { tableStream, headerSize, header: header ?? { method: 'unknown' } };
}

export function docScheme(enc: WordEncryption): EncryptionScheme {
  const h = enc.header;
  if (h.method === 'xor')
    return { container: 'doc', method: 'xor', detail: 'Word XOR obfuscation' };
  if (h.method === 'rc4') return { container: 'doc', method: 'rc4', detail: 'Word RC4 (MD5)' };
  if (h.method === 'rc4-cryptoapi') {
    return {
      container: 'doc',
      method: 'rc4-cryptoapi',
      detail: `Word RC4 CryptoAPI ${h.keySize || 40}-bit`,
    };
  }
  return { container: 'doc', method: 'unknown', detail: 'Word encryption of an unknown version' };
}

/**
 * Decrypts WordDocument, the table stream and Data (MS-DOC 2.2.6.2; the Macros and ObjectPool storages
 * are never encrypted). FibBase keeps its clear bytes with fEncrypted and lKey cleared; the encryption
 * header at the start of the table stream is kept as it was.
 */
export function decryptWordStreams(
  enc: WordEncryption,
  readStream: (name: string) => Uint8Array | undefined,
  options: ResolvedOptions,
  anomalies: Anomaly[],
): DecryptResult & { streams?: Map<string, Uint8Array> } {
  const scheme = docScheme(enc);
  const h = enc.header;
  if (h.method !== 'rc4' && h.method !== 'rc4-cryptoapi') {
    return { scheme, status: 'unsupported', reason: scheme.detail, anomalies };
  }
  for (const password of options.passwords) {
    const keys = verifyBinaryRc4(h, password);
    if (!keys) continue;
    const streams = new Map<string, Uint8Array>();
    const decrypt = (name: string, clear: number): void => {
      const original = readStream(name);
      if (!original) return;
      const out = original.slice();
      new BlockDecryptor(keys, DOC_BLOCK).decryptAt(0, out);
      out.set(original.subarray(0, Math.min(clear, original.length)));
      streams.set(name, out);
    };
    decrypt('WordDocument', FIB_BASE_SIZE);
    decrypt(enc.tableStream, enc.headerSize);
    decrypt('Data', 0);
    const word = streams.get('WordDocument');
    if (word && word.length >= FIB_BASE_SIZE) {
      const flags = (u16At(word, 0x0a) ?? 0) & ~(F_ENCRYPTED | F_OBFUSCATED);
      word[0x0a] = flags & 0xff;
      word[0x0b] = flags >> 8;
      word.fill(0, 0x0e, 0x12);
    }
    return { scheme, status: 'decrypted', password, anomalies, streams };
  }
  return { scheme, status: 'wrong-password', reason: 'no password verified', anomalies };
}
