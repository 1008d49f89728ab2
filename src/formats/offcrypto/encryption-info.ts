import type { Anomaly } from '../../core/index.js';
import { u16At, u32At } from './bytes.js';

/** [MS-OFFCRYPTO] 2.3.2 EncryptionHeader.AlgID values. */
export const ALG_ID = {
  RC4: 0x6801,
  AES128: 0x660e,
  AES192: 0x660f,
  AES256: 0x6610,
} as const;

/** [MS-OFFCRYPTO] 2.3.2 AlgIDHash: SHA-1, the only hash the binary and standard schemes use. */
export const ALG_ID_HASH_SHA1 = 0x8004;

/** EncryptionHeader.Flags bits (2.3.1). */
export const FLAG_CRYPTOAPI = 0x04;
export const FLAG_EXTERNAL = 0x10;
export const FLAG_AES = 0x20;

/** CSP names are a few dozen characters; a header claiming more is hostile. */
const MAX_HEADER_SIZE = 4096;

/** [MS-OFFCRYPTO] 2.3.2 EncryptionHeader and 2.3.3 EncryptionVerifier, as the CryptoAPI schemes share them. */
export interface CryptoApiHeader {
  flags: number;
  algId: number;
  algIdHash: number;
  /** Key size in bits; 0 in an RC4 header means 40 (2.3.5.1). */
  keySize: number;
  providerType: number;
  cspName: string;
  salt: Uint8Array;
  encryptedVerifier: Uint8Array;
  verifierHashSize: number;
  encryptedVerifierHash: Uint8Array;
}

/**
 * Reads Flags, HeaderSize, EncryptionHeader and EncryptionVerifier from `bytes[at…]` (what follows the
 * version in a standard EncryptionInfo stream, an RC4 CryptoAPI FILEPASS, a Word table stream or a
 * PowerPoint CryptSession10Container). `hashBytes` is the size of EncryptedVerifierHash: 32 for AES
 * (padded to the block), 20 for RC4. Undefined, with an anomaly, when the structure does not fit.
 */
export function parseCryptoApiHeader(
  bytes: Uint8Array,
  at: number,
  anomalies: Anomaly[],
  location: string,
): CryptoApiHeader | undefined {
  const bad = (message: string): undefined => {
    anomalies.push({ code: 'E_OFFCRYPTO_BAD_HEADER', message, offset: at, location });
    return undefined;
  };
  const headerSize = u32At(bytes, at + 4);
  if (headerSize === undefined) return bad('encryption header truncated');
  if (headerSize < 32 || headerSize > MAX_HEADER_SIZE) {
    return bad(`EncryptionHeader size ${headerSize} is outside 32..${MAX_HEADER_SIZE}`);
  }
  const h = at + 8;
  const verifierAt = h + headerSize;
  if (verifierAt + 4 + 16 + 16 + 4 > bytes.length) return bad('encryption verifier truncated');
  const saltSize = u32At(bytes, verifierAt)!;
  if (saltSize !== 16) return bad(`EncryptionVerifier.SaltSize is ${saltSize}, not 16`);
  const algId = u32At(bytes, h + 8)!;
  const hashBytes = algId === ALG_ID.RC4 ? 20 : 32;
  const hashAt = verifierAt + 4 + 16 + 16 + 4;
  if (hashAt + hashBytes > bytes.length) return bad('EncryptedVerifierHash truncated');
  return {
    flags: u32At(bytes, h)!,
    algId,
    algIdHash: u32At(bytes, h + 12)!,
    keySize: u32At(bytes, h + 16)!,
    providerType: u32At(bytes, h + 20)!,
    cspName: readCspName(bytes.subarray(h + 32, verifierAt)),
    salt: bytes.slice(verifierAt + 4, verifierAt + 20),
    encryptedVerifier: bytes.slice(verifierAt + 20, verifierAt + 36),
    verifierHashSize: u32At(bytes, verifierAt + 36)!,
    encryptedVerifierHash: bytes.slice(hashAt, hashAt + hashBytes),
  };
}

function readCspName(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const c = bytes[i]! | (bytes[i + 1]! << 8);
    if (c === 0) break;
    out += String.fromCharCode(c);
  }
  return out;
}

export type EncryptionInfo =
  | { kind: 'standard'; major: number; minor: number; header: CryptoApiHeader }
  | { kind: 'agile'; major: number; minor: number; xml: string }
  | { kind: 'extensible'; major: number; minor: number }
  | { kind: 'unknown'; major: number; minor: number };

/** Agile descriptors are about 1–2 KiB; this bounds the XML scanned. */
export const MAX_AGILE_XML_BYTES = 256 * 1024;

/**
 * Parses the `EncryptionInfo` stream of an encrypted OOXML package ([MS-OFFCRYPTO] 2.3.4.5 standard,
 * 2.3.4.6 extensible, 2.3.4.10 agile), telling the scheme by its version.
 */
export function parseEncryptionInfo(
  bytes: Uint8Array,
  anomalies: Anomaly[],
): EncryptionInfo | undefined {
  const major = u16At(bytes, 0);
  const minor = u16At(bytes, 2);
  if (major === undefined || minor === undefined) {
    anomalies.push({
      code: 'E_OFFCRYPTO_BAD_HEADER',
      message: 'EncryptionInfo stream shorter than its version',
      location: 'EncryptionInfo',
    });
    return undefined;
  }
  if (major === 4 && minor === 4) {
    const xmlBytes = bytes.subarray(8, 8 + MAX_AGILE_XML_BYTES);
    if (bytes.length - 8 > MAX_AGILE_XML_BYTES) {
      anomalies.push({
        code: 'E_OFFCRYPTO_BAD_HEADER',
        message: `agile descriptor longer than ${MAX_AGILE_XML_BYTES} bytes; the rest is ignored`,
        location: 'EncryptionInfo',
      });
    }
    return { kind: 'agile', major, minor, xml: new TextDecoder('utf-8').decode(xmlBytes) };
  }
  if ((major === 3 || major === 4) && minor === 3) return { kind: 'extensible', major, minor };
  if (major >= 2 && major <= 4 && minor === 2) {
    const header = parseCryptoApiHeader(bytes, 4, anomalies, 'EncryptionInfo');
    return header ? { kind: 'standard', major, minor, header } : undefined;
  }
  return { kind: 'unknown', major, minor };
}
