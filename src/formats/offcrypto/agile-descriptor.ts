import type { Anomaly } from '../../core/index.js';
import { HASH_ALGORITHMS } from './bytes.js';

/** [MS-OFFCRYPTO] 2.3.4.10 CT_KeyData / CT_PasswordKeyEncryptor parameters that decryption needs. */
export interface AgileCipherParams {
  saltValue: Uint8Array;
  blockSize: number;
  keyBits: number;
  hashSize: number;
  cipherAlgorithm: string;
  cipherChaining: string;
  /** node:crypto name of the hash (`sha512`); the XML's own name is in `hashName`. */
  hash: string;
  hashName: string;
}

export interface AgilePasswordKey extends AgileCipherParams {
  spinCount: number;
  encryptedVerifierHashInput: Uint8Array;
  encryptedVerifierHashValue: Uint8Array;
  encryptedKeyValue: Uint8Array;
}

export interface AgileDescriptor {
  keyData: AgileCipherParams;
  /** The password key encryptor; absent when the file is encrypted to certificates only. */
  passwordKey?: AgilePasswordKey;
  encryptedHmacKey?: Uint8Array;
  encryptedHmacValue?: Uint8Array;
}

/** The largest spinCount the schema allows (2.3.4.11: 0 to 10,000,000). */
export const AGILE_MAX_LEGAL_SPIN_COUNT = 10_000_000;

/** Element start tags by local name, whatever the namespace prefix; attributes as written. */
function elements(xml: string, localName: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  const tag = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${localName}\\b([^>]*)>`, 'g');
  for (const m of xml.matchAll(tag)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      attrs[a[1]!] = a[3] ?? a[4] ?? '';
    }
    found.push(attrs);
    if (found.length >= 64) break;
  }
  return found;
}

function base64(value: string | undefined): Uint8Array | undefined {
  if (value === undefined) return undefined;
  const clean = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return undefined;
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value);
}

/**
 * Reads the agile encryption descriptor (an XML document, 2.3.4.10). Every attribute is checked against
 * the schema's ranges; anything outside becomes an anomaly and the descriptor is rejected rather than
 * guessed at. The spin count is returned as written: the caller decides what it is willing to spend.
 */
export function parseAgileDescriptor(
  xml: string,
  anomalies: Anomaly[],
): AgileDescriptor | undefined {
  const bad = (message: string): undefined => {
    anomalies.push({ code: 'E_OFFCRYPTO_BAD_DESCRIPTOR', message, location: 'EncryptionInfo' });
    return undefined;
  };
  const keyDataAttrs = elements(xml, 'keyData')[0];
  if (!keyDataAttrs) return bad('agile descriptor has no keyData element');
  const keyData = cipherParams(keyDataAttrs, 'keyData', bad);
  if (!keyData) return undefined;
  const out: AgileDescriptor = { keyData };
  const integrity = elements(xml, 'dataIntegrity')[0];
  const hmacKey = base64(integrity?.encryptedHmacKey);
  const hmacValue = base64(integrity?.encryptedHmacValue);
  if (hmacKey) out.encryptedHmacKey = hmacKey;
  if (hmacValue) out.encryptedHmacValue = hmacValue;
  const password = elements(xml, 'encryptedKey').find((a) => a.spinCount !== undefined);
  if (password) {
    const params = cipherParams(password, 'encryptedKey', bad);
    if (!params) return undefined;
    const spinCount = int(password.spinCount);
    if (spinCount === undefined || spinCount > AGILE_MAX_LEGAL_SPIN_COUNT) {
      return bad(`spinCount "${password.spinCount}" is outside 0..${AGILE_MAX_LEGAL_SPIN_COUNT}`);
    }
    const input = base64(password.encryptedVerifierHashInput);
    const value = base64(password.encryptedVerifierHashValue);
    const key = base64(password.encryptedKeyValue);
    if (!input || !value || !key || input.length === 0 || value.length === 0 || key.length === 0) {
      return bad('password key encryptor lacks its verifier or key');
    }
    out.passwordKey = {
      ...params,
      spinCount,
      encryptedVerifierHashInput: input,
      encryptedVerifierHashValue: value,
      encryptedKeyValue: key,
    };
  }
  return out;
}

function cipherParams(
  attrs: Record<string, string>,
  where: string,
  bad: (message: string) => undefined,
): AgileCipherParams | undefined {
  const saltValue = base64(attrs.saltValue);
  const blockSize = int(attrs.blockSize);
  const keyBits = int(attrs.keyBits);
  const hashSize = int(attrs.hashSize);
  const hashName = attrs.hashAlgorithm ?? '';
  const hash = HASH_ALGORITHMS[hashName];
  // Schema ranges (2.3.4.10): saltSize 1..65536, blockSize 2..4096, keyBits ≥ 0, hashSize 1..65536.
  if (!saltValue || saltValue.length < 1 || saltValue.length > 65536) {
    return bad(`${where}: missing or bad saltValue`);
  }
  if (blockSize === undefined || blockSize < 2 || blockSize > 4096) {
    return bad(`${where}: blockSize "${attrs.blockSize}" is outside 2..4096`);
  }
  if (keyBits === undefined || keyBits < 8 || keyBits > 4096 || keyBits % 8 !== 0) {
    return bad(`${where}: keyBits "${attrs.keyBits}" is not a byte count up to 4096 bits`);
  }
  if (hashSize === undefined || hashSize < 1 || hashSize > 65536) {
    return bad(`${where}: hashSize "${attrs.hashSize}" is outside 1..65536`);
  }
  if (!hash) return bad(`${where}: hash algorithm "${hashName}" is not supported`);
  return {
    saltValue,
    blockSize,
    keyBits,
    hashSize,
    cipherAlgorithm: attrs.cipherAlgorithm ?? '',
    cipherChaining: attrs.cipherChaining ?? '',
    hash,
    hashName,
  };
}
