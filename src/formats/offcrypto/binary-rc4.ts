import type { Anomaly } from '../../core/index.js';
import { digest, equalBytes, u16At } from './bytes.js';
import { ALG_ID, parseCryptoApiHeader } from './encryption-info.js';
import { binaryRc4Key, binaryRc4KeyBase, cryptoApiRc4Key } from './keys.js';
import { Rc4 } from './rc4.js';

/**
 * The RC4 schemes of the binary formats ([MS-OFFCRYPTO] 2.3.5 RC4 CryptoAPI, 2.3.6 Office binary RC4),
 * as found in an Excel FILEPASS record, a Word table stream or a PowerPoint CryptSession10Container.
 */
export type BinaryRc4Header =
  | {
      method: 'rc4';
      salt: Uint8Array;
      encryptedVerifier: Uint8Array;
      encryptedVerifierHash: Uint8Array;
    }
  | {
      method: 'rc4-cryptoapi';
      keySize: number;
      salt: Uint8Array;
      encryptedVerifier: Uint8Array;
      encryptedVerifierHash: Uint8Array;
      algId: number;
    };

/** Reads EncryptionVersionInfo and what follows it at `bytes[at…]`; undefined for other versions. */
export function parseBinaryRc4Header(
  bytes: Uint8Array,
  at: number,
  anomalies: Anomaly[],
  location: string,
): BinaryRc4Header | { method: 'unknown'; major: number; minor: number } | undefined {
  const major = u16At(bytes, at);
  const minor = u16At(bytes, at + 2);
  if (major === undefined || minor === undefined) {
    anomalies.push({
      code: 'E_OFFCRYPTO_BAD_HEADER',
      message: 'encryption header truncated',
      location,
    });
    return undefined;
  }
  if (major === 1 && minor === 1) {
    if (at + 4 + 48 > bytes.length) {
      anomalies.push({ code: 'E_OFFCRYPTO_BAD_HEADER', message: 'RC4 header truncated', location });
      return undefined;
    }
    const b = at + 4;
    return {
      method: 'rc4',
      salt: bytes.slice(b, b + 16),
      encryptedVerifier: bytes.slice(b + 16, b + 32),
      encryptedVerifierHash: bytes.slice(b + 32, b + 48),
    };
  }
  if (major >= 2 && major <= 4 && minor === 2) {
    const h = parseCryptoApiHeader(bytes, at + 4, anomalies, location);
    if (!h) return undefined;
    return {
      method: 'rc4-cryptoapi',
      keySize: h.keySize,
      salt: h.salt,
      encryptedVerifier: h.encryptedVerifier,
      encryptedVerifierHash: h.encryptedVerifierHash,
      algId: h.algId,
    };
  }
  return { method: 'unknown', major, minor };
}

/** Keys for each block of a verified password: the RC4 key stream restarts at every block. */
export type BlockKeys = (block: number) => Uint8Array;

/** The per-block key function when `password` verifies, else undefined (2.3.5.6, 2.3.6.4). */
export function verifyBinaryRc4(header: BinaryRc4Header, password: string): BlockKeys | undefined {
  let keys: BlockKeys;
  let hash: string;
  if (header.method === 'rc4') {
    const base = binaryRc4KeyBase(header.salt, password);
    keys = (block) => binaryRc4Key(base, block);
    hash = 'md5';
  } else {
    if (header.algId !== ALG_ID.RC4 && header.algId !== 0) return undefined;
    const bits = header.keySize === 0 ? 40 : header.keySize;
    if (bits < 40 || bits > 128 || bits % 8 !== 0) return undefined;
    keys = (block) => cryptoApiRc4Key(header.salt, password, bits, block);
    hash = 'sha1';
  }
  const rc4 = new Rc4(keys(0));
  const verifier = rc4.process(header.encryptedVerifier.slice());
  const verifierHash = rc4.process(header.encryptedVerifierHash.slice());
  const expected = digest(hash, verifier);
  return equalBytes(expected, verifierHash.subarray(0, expected.length)) ? keys : undefined;
}

/**
 * Decrypts (in place) bytes that sit at absolute offsets of a stream encrypted in `blockSize` blocks
 * (1024 for Excel, 512 for Word), each block with a fresh key. Calls must come in increasing offsets.
 */
export class BlockDecryptor {
  private block = -1;
  private position = 0;
  private rc4: Rc4 | undefined;

  constructor(
    private readonly keys: BlockKeys,
    private readonly blockSize: number,
  ) {}

  decryptAt(offset: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const at = offset + done;
      const block = Math.floor(at / this.blockSize);
      const inBlock = at % this.blockSize;
      if (block !== this.block || inBlock < this.position || !this.rc4) {
        this.rc4 = new Rc4(this.keys(block));
        this.block = block;
        this.position = 0;
      }
      if (inBlock > this.position) this.rc4.skip(inBlock - this.position);
      const n = Math.min(data.length - done, this.blockSize - inBlock);
      this.rc4.process(data.subarray(done, done + n));
      this.position = inBlock + n;
      done += n;
    }
  }
}
