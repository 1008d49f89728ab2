import type { Anomaly } from '../../core/index.js';
import { u16At } from './bytes.js';
import {
  BlockDecryptor,
  parseBinaryRc4Header,
  verifyBinaryRc4,
  type BinaryRc4Header,
} from './binary-rc4.js';
import type { DecryptResult, EncryptionScheme, ResolvedOptions } from './types.js';

/** [MS-XLS] 2.3 record types this file needs. */
const RT = {
  BOF: 0x0809,
  EOF: 0x000a,
  FILEPASS: 0x002f,
  BOUNDSHEET: 0x0085,
  USREXCL: 0x0194,
  FILELOCK: 0x0195,
  INTERFACEHDR: 0x00e1,
  RRDINFO: 0x0196,
  RRDHEAD: 0x0138,
} as const;

/** [MS-XLS] 2.2.10: records that are never encrypted, whatever the scheme. */
const CLEAR_RECORDS: ReadonlySet<number> = new Set([
  RT.BOF,
  RT.FILEPASS,
  RT.USREXCL,
  RT.FILELOCK,
  RT.INTERFACEHDR,
  RT.RRDINFO,
  RT.RRDHEAD,
]);

/** 2.2.10: Excel re-keys RC4 every 1024 bytes of the Workbook stream. */
const XLS_BLOCK = 1024;

/** FILEPASS sits right after the globals BOF; this many records is far past it. */
const MAX_RECORDS_TO_FILEPASS = 1024;

export interface FilePass {
  /** Offset of the FILEPASS record header in the stream. */
  offset: number;
  size: number;
  header:
    BinaryRc4Header | { method: 'xor' } | { method: 'unknown'; major?: number; minor?: number };
}

/** Finds FILEPASS (2.4.117) in the globals substream; undefined when the workbook is not encrypted. */
export function findFilePass(stream: Uint8Array, anomalies: Anomaly[]): FilePass | undefined {
  let at = 0;
  for (let n = 0; n < MAX_RECORDS_TO_FILEPASS && at + 4 <= stream.length; n++) {
    const rt = u16At(stream, at)!;
    const size = u16At(stream, at + 2)!;
    if (rt === RT.FILEPASS) {
      const data = stream.subarray(at + 4, at + 4 + size);
      const type = u16At(data, 0);
      if (type === 0) return { offset: at, size, header: { method: 'xor' } };
      if (type === 1) {
        const header = parseBinaryRc4Header(data, 2, anomalies, 'Workbook:FILEPASS');
        return { offset: at, size, header: header ?? { method: 'unknown' } };
      }
      return { offset: at, size, header: { method: 'unknown' } };
    }
    if (rt === RT.EOF) return undefined;
    at += 4 + size;
  }
  return undefined;
}

export function xlsScheme(pass: FilePass, stream: string): EncryptionScheme {
  const h = pass.header;
  if (h.method === 'xor')
    return { container: 'xls', method: 'xor', detail: `${stream}: XOR obfuscation` };
  if (h.method === 'rc4')
    return { container: 'xls', method: 'rc4', detail: `${stream}: RC4 (MD5)` };
  if (h.method === 'rc4-cryptoapi') {
    return {
      container: 'xls',
      method: 'rc4-cryptoapi',
      detail: `${stream}: RC4 CryptoAPI ${h.keySize || 40}-bit`,
    };
  }
  const version = h.major === undefined ? '' : ` version ${h.major}.${h.minor}`;
  return { container: 'xls', method: 'unknown', detail: `${stream}: FILEPASS${version}` };
}

/**
 * Decrypts an RC4 / RC4 CryptoAPI Workbook stream ([MS-XLS] 2.2.10): record headers stay clear, the key
 * stream still runs over them; FILEPASS becomes a zero-filled record of type 0 so readers see a plain
 * workbook of the same layout (every offset, such as BOUNDSHEET's lbPlyPos, stays valid).
 */
export function decryptWorkbook(
  stream: Uint8Array,
  pass: FilePass,
  options: ResolvedOptions,
  anomalies: Anomaly[],
): DecryptResult {
  const scheme = xlsScheme(pass, 'Workbook');
  const header = pass.header;
  if (header.method !== 'rc4' && header.method !== 'rc4-cryptoapi') {
    return { scheme, status: 'unsupported', reason: scheme.detail, anomalies };
  }
  for (const password of options.passwords) {
    const keys = verifyBinaryRc4(header, password);
    if (!keys) continue;
    const out = stream.slice();
    const decryptor = new BlockDecryptor(keys, XLS_BLOCK);
    let at = 0;
    for (let n = 0; at + 4 <= out.length; n++) {
      if (n % 4096 === 4095) options.checkDeadline();
      const rt = u16At(out, at)!;
      const size = u16At(out, at + 2)!;
      const dataAt = at + 4;
      const end = Math.min(dataAt + size, out.length);
      if (dataAt + size > out.length) {
        anomalies.push({
          code: 'E_OFFCRYPTO_TRUNCATED',
          message: `record 0x${rt.toString(16)} runs past the end of the Workbook stream`,
          offset: at,
          location: 'Workbook',
        });
      }
      if (at === pass.offset) {
        out.fill(0, at, end);
        out[at + 2] = size & 0xff;
        out[at + 3] = size >> 8;
      } else if (rt === RT.BOUNDSHEET) {
        // lbPlyPos (the first 4 bytes) is stored in clear so a reader can seek without the key.
        if (dataAt + 4 < end) decryptor.decryptAt(dataAt + 4, out.subarray(dataAt + 4, end));
      } else if (!CLEAR_RECORDS.has(rt)) {
        decryptor.decryptAt(dataAt, out.subarray(dataAt, end));
      }
      at = dataAt + size;
    }
    return { scheme, status: 'decrypted', password, bytes: out, anomalies };
  }
  return { scheme, status: 'wrong-password', reason: 'no password verified', anomalies };
}
