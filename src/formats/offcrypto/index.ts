/**
 * @module formats/offcrypto — encrypted Office documents, written from [MS-OFFCRYPTO]
 * https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-offcrypto/ with [MS-XLS] 2.2.10,
 * [MS-DOC] 2.2.6 and [MS-PPT] 2.3.7 for where the binary formats keep their encryption.
 *
 * Detects OOXML packages encrypted into a compound file (standard AES/SHA-1 2.3.4.5, agile 2.3.4.10,
 * extensible 2.3.4.6), Excel FILEPASS (XOR, RC4, RC4 CryptoAPI), Word fEncrypted (XOR, RC4, RC4
 * CryptoAPI) and PowerPoint CryptSession10Container. Decrypts, with the default password
 * "VelvetSweatshop" or given passwords: OOXML standard and agile (AES-CBC, SHA-1/256/384/512) → the ZIP
 * package; Excel and Word RC4 / RC4 CryptoAPI → a rebuilt compound file. Spin counts, output sizes and
 * password lists are bounded; malformed headers are anomalies, never exceptions.
 *
 * Anomaly codes: E_OFFCRYPTO_BAD_HEADER, E_OFFCRYPTO_BAD_DESCRIPTOR, E_OFFCRYPTO_TRUNCATED,
 * E_OFFCRYPTO_INTEGRITY, E_OFFCRYPTO_FAILED. Limit codes: E_LIMIT_SPIN_COUNT, E_LIMIT_DECRYPTED_SIZE.
 */
export { decryptOffice, detectEncryption } from './decrypt.js';
export {
  DEFAULT_PASSWORD,
  MAX_PASSWORDS,
  MAX_SPIN_COUNT,
  type DecryptOptions,
  type DecryptResult,
  type DecryptStatus,
  type EncryptionScheme,
} from './types.js';
export {
  AGILE_MAX_LEGAL_SPIN_COUNT,
  parseAgileDescriptor,
  type AgileDescriptor,
} from './agile-descriptor.js';
export { parseEncryptionInfo, ALG_ID, type EncryptionInfo } from './encryption-info.js';
export { AGILE_SEGMENT } from './ooxml.js';
// Key derivation and ciphers: the decrypting code uses them, and test builders encrypt with them.
export {
  aesDecrypt,
  aesEncrypt,
  agileKey,
  BLOCK_KEYS,
  binaryRc4Key,
  binaryRc4KeyBase,
  cryptoApiRc4Key,
  hmac,
  iteratedHash,
  standardKey,
  STANDARD_SPIN_COUNT,
} from './keys.js';
export { Rc4 } from './rc4.js';
