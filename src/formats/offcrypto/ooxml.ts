import { LimitError, type Anomaly } from '../../core/index.js';
import { parseAgileDescriptor, type AgileDescriptor } from './agile-descriptor.js';
import { digest, equalBytes, fitTo, le32, u32At } from './bytes.js';
import {
  ALG_ID,
  ALG_ID_HASH_SHA1,
  FLAG_AES,
  FLAG_EXTERNAL,
  type CryptoApiHeader,
  type EncryptionInfo,
} from './encryption-info.js';
import {
  AES_KEY_BITS,
  aesDecrypt,
  agileKey,
  BLOCK_KEYS,
  checkSpinCount,
  hmac,
  iteratedHash,
  standardKey,
} from './keys.js';
import type { DecryptResult, EncryptionScheme, ResolvedOptions } from './types.js';

/** 2.3.4.10: the agile EncryptedPackage is encrypted in 4096-byte segments, each with its own IV. */
export const AGILE_SEGMENT = 4096;

/**
 * Decrypts an encrypted OOXML package (the `EncryptionInfo` + `EncryptedPackage` streams of a compound
 * file, [MS-OFFCRYPTO] 2.3.4) with the first password that verifies.
 */
export function decryptOoxml(
  info: EncryptionInfo,
  packageBytes: Uint8Array,
  options: ResolvedOptions,
  anomalies: Anomaly[],
): DecryptResult {
  if (info.kind === 'standard')
    return decryptStandard(info.header, packageBytes, options, anomalies);
  if (info.kind === 'agile') {
    const descriptor = parseAgileDescriptor(info.xml, anomalies);
    if (!descriptor) {
      const scheme = ooxmlScheme(info);
      return { scheme, status: 'unsupported', reason: 'unreadable descriptor', anomalies };
    }
    return decryptAgile(descriptor, packageBytes, options, anomalies);
  }
  return {
    scheme: ooxmlScheme(info),
    status: 'unsupported',
    reason: `EncryptionInfo version ${info.major}.${info.minor} is not decrypted`,
    anomalies,
  };
}

/** The scheme of an EncryptionInfo stream, for evidence (agile: cipher, hash and spin count). */
export function ooxmlScheme(info: EncryptionInfo): EncryptionScheme {
  if (info.kind === 'standard') return standardScheme(info.header);
  if (info.kind === 'agile') {
    const descriptor = parseAgileDescriptor(info.xml, []);
    if (descriptor) {
      const method = descriptor.passwordKey ? 'agile' : 'certificate';
      return { container: 'ooxml', method, detail: agileDetail(descriptor) };
    }
    return { container: 'ooxml', method: 'agile', detail: 'agile (unreadable descriptor)' };
  }
  const method = info.kind === 'extensible' ? 'extensible' : 'unknown';
  return { container: 'ooxml', method, detail: `${method} encryption ${info.major}.${info.minor}` };
}

function isAes(header: CryptoApiHeader): boolean {
  return [ALG_ID.AES128, ALG_ID.AES192, ALG_ID.AES256].includes(header.algId as 0x660e);
}

function standardScheme(header: CryptoApiHeader): EncryptionScheme {
  const cipher = isAes(header) ? `AES-${header.keySize}` : `algId 0x${header.algId.toString(16)}`;
  return { container: 'ooxml', method: 'standard', detail: `standard ${cipher}/SHA1` };
}

/** StreamSize (8 bytes) of EncryptedPackage, checked against what the stream holds and the caller allows. */
function packageSize(bytes: Uint8Array, options: ResolvedOptions, anomalies: Anomaly[]): number {
  const low = u32At(bytes, 0) ?? 0;
  const high = u32At(bytes, 4) ?? 0;
  const declared = high * 2 ** 32 + low;
  if (declared > options.maxOutputBytes) {
    throw new LimitError(
      'E_LIMIT_DECRYPTED_SIZE',
      `EncryptedPackage declares ${declared} bytes of plaintext`,
      { limit: 'maxTotalBytes', max: options.maxOutputBytes, actual: declared },
    );
  }
  const available = Math.max(0, bytes.length - 8);
  if (declared > available) {
    anomalies.push({
      code: 'E_OFFCRYPTO_TRUNCATED',
      message: `EncryptedPackage declares ${declared} bytes, holds ${available}`,
      location: 'EncryptedPackage',
    });
    return available - (available % 16);
  }
  return declared;
}

function decryptStandard(
  header: CryptoApiHeader,
  packageBytes: Uint8Array,
  options: ResolvedOptions,
  anomalies: Anomaly[],
): DecryptResult {
  const scheme = standardScheme(header);
  if (
    !isAes(header) ||
    header.algIdHash !== ALG_ID_HASH_SHA1 ||
    !AES_KEY_BITS.has(header.keySize)
  ) {
    return { scheme, status: 'unsupported', reason: scheme.detail, anomalies };
  }
  if ((header.flags & FLAG_EXTERNAL) !== 0 || (header.flags & FLAG_AES) === 0) {
    anomalies.push({
      code: 'E_OFFCRYPTO_BAD_HEADER',
      message: `EncryptionHeader.Flags 0x${header.flags.toString(16)} do not say AES`,
      location: 'EncryptionInfo',
    });
  }
  for (const password of options.passwords) {
    const key = standardKey(header.salt, password, header.keySize, options.checkDeadline);
    const verifier = aesDecrypt(key, null, header.encryptedVerifier);
    const hash = aesDecrypt(key, null, header.encryptedVerifierHash).subarray(0, 20);
    if (!equalBytes(digest('sha1', verifier), hash)) continue;
    const size = packageSize(packageBytes, options, anomalies);
    const body = packageBytes.subarray(8, 8 + Math.ceil(size / 16) * 16);
    const whole = body.subarray(0, body.length - (body.length % 16));
    const bytes = aesDecrypt(key, null, whole).slice(0, size);
    return { scheme, status: 'decrypted', password, bytes, anomalies };
  }
  return { scheme, status: 'wrong-password', reason: 'no password verified', anomalies };
}

function agileDetail(d: AgileDescriptor): string {
  const k = d.passwordKey;
  if (!k)
    return `agile ${d.keyData.cipherAlgorithm}-${d.keyData.keyBits}, certificate key encryptor only`;
  return `agile ${k.cipherAlgorithm}-${k.keyBits}/${k.hashName}, spinCount ${k.spinCount}`;
}

function isAesCbc(p: {
  cipherAlgorithm: string;
  cipherChaining: string;
  keyBits: number;
  blockSize: number;
}) {
  return (
    p.cipherAlgorithm === 'AES' &&
    p.cipherChaining === 'ChainingModeCBC' &&
    AES_KEY_BITS.has(p.keyBits) &&
    p.blockSize === 16
  );
}

function decryptAgile(
  d: AgileDescriptor,
  packageBytes: Uint8Array,
  options: ResolvedOptions,
  anomalies: Anomaly[],
): DecryptResult {
  const k = d.passwordKey;
  const scheme: EncryptionScheme = {
    container: 'ooxml',
    method: k ? 'agile' : 'certificate',
    detail: agileDetail(d),
  };
  if (!k) return { scheme, status: 'unsupported', reason: 'no password key encryptor', anomalies };
  if (!isAesCbc(k) || !isAesCbc(d.keyData)) {
    return {
      scheme,
      status: 'unsupported',
      reason: `cipher ${k.cipherAlgorithm}/${k.cipherChaining}`,
      anomalies,
    };
  }
  if (
    [k.encryptedVerifierHashInput, k.encryptedVerifierHashValue, k.encryptedKeyValue].some(
      (b) => b.length % 16 !== 0,
    )
  ) {
    anomalies.push({
      code: 'E_OFFCRYPTO_BAD_DESCRIPTOR',
      message: 'encrypted verifier or key is not a whole number of AES blocks',
      location: 'EncryptionInfo',
    });
    return { scheme, status: 'unsupported', reason: 'malformed key encryptor', anomalies };
  }
  checkSpinCount(k.spinCount, options.maxSpinCount);
  const iv = fitTo(k.saltValue, k.blockSize, 0x36);
  for (const password of options.passwords) {
    const h = iteratedHash(k.hash, k.saltValue, password, k.spinCount, options.checkDeadline);
    const key = (block: Uint8Array) => agileKey(h, k.hash, block, k.keyBits);
    const input = aesDecrypt(key(BLOCK_KEYS.verifierHashInput), iv, k.encryptedVerifierHashInput);
    const expected = aesDecrypt(
      key(BLOCK_KEYS.verifierHashValue),
      iv,
      k.encryptedVerifierHashValue,
    );
    const actual = digest(k.hash, input.subarray(0, k.saltValue.length));
    const n = Math.min(k.hashSize, actual.length);
    if (!equalBytes(actual.subarray(0, n), expected.subarray(0, n))) continue;
    const secret = aesDecrypt(key(BLOCK_KEYS.encryptedKeyValue), iv, k.encryptedKeyValue).slice(
      0,
      d.keyData.keyBits / 8,
    );
    if (secret.length !== d.keyData.keyBits / 8) {
      return {
        scheme,
        status: 'unsupported',
        reason: 'encrypted key shorter than keyData.keyBits',
        anomalies,
      };
    }
    const bytes = decryptAgilePackage(d, secret, packageBytes, options, anomalies);
    checkIntegrity(d, secret, packageBytes, anomalies);
    return { scheme, status: 'decrypted', password, bytes, anomalies };
  }
  return { scheme, status: 'wrong-password', reason: 'no password verified', anomalies };
}

function decryptAgilePackage(
  d: AgileDescriptor,
  secret: Uint8Array,
  packageBytes: Uint8Array,
  options: ResolvedOptions,
  anomalies: Anomaly[],
): Uint8Array {
  const size = packageSize(packageBytes, options, anomalies);
  const out = new Uint8Array(size);
  const { keyData } = d;
  for (let segment = 0, at = 0; at < size; segment++, at += AGILE_SEGMENT) {
    if (segment % 256 === 255) options.checkDeadline();
    const start = 8 + at;
    let chunk = packageBytes.subarray(start, Math.min(start + AGILE_SEGMENT, packageBytes.length));
    chunk = chunk.subarray(0, chunk.length - (chunk.length % 16));
    const iv = fitTo(
      digest(keyData.hash, keyData.saltValue, le32(segment)),
      keyData.blockSize,
      0x36,
    );
    const plain = aesDecrypt(secret, iv, chunk);
    out.set(plain.subarray(0, Math.min(plain.length, size - at)), at);
  }
  return out;
}

/** 2.3.4.14: HMAC over the whole EncryptedPackage stream. A mismatch is tampering or a broken writer. */
function checkIntegrity(
  d: AgileDescriptor,
  secret: Uint8Array,
  packageBytes: Uint8Array,
  anomalies: Anomaly[],
): void {
  const { keyData } = d;
  if (!d.encryptedHmacKey || !d.encryptedHmacValue) return;
  if (d.encryptedHmacKey.length % 16 !== 0 || d.encryptedHmacValue.length % 16 !== 0) return;
  const ivFor = (block: Uint8Array) =>
    fitTo(digest(keyData.hash, keyData.saltValue, block), keyData.blockSize, 0x36);
  const hashLength = digest(keyData.hash).length;
  const key = aesDecrypt(secret, ivFor(BLOCK_KEYS.hmacKey), d.encryptedHmacKey).subarray(
    0,
    hashLength,
  );
  const value = aesDecrypt(secret, ivFor(BLOCK_KEYS.hmacValue), d.encryptedHmacValue).subarray(
    0,
    hashLength,
  );
  if (!equalBytes(hmac(keyData.hash, key, packageBytes), value)) {
    anomalies.push({
      code: 'E_OFFCRYPTO_INTEGRITY',
      message: 'dataIntegrity HMAC does not match EncryptedPackage',
      location: 'EncryptedPackage',
    });
  }
}
