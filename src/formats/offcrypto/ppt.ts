import { u16At, u32At } from './bytes.js';
import type { EncryptionScheme } from './types.js';

/** [MS-PPT] 2.3.2 CurrentUserAtom.headerToken: the document is encrypted. */
const HEADER_TOKEN_ENCRYPTED = 0xf3d1c4df;
/** [MS-PPT] 2.3.3 UserEditAtom: recType, and its length when encryptSessionPersistIdRef is present. */
const RT_USER_EDIT_ATOM = 0x0ff5;
const USER_EDIT_ATOM_ENCRYPTED_LENGTH = 0x20;

/**
 * Tells an encrypted PowerPoint 97-2003 file (a CryptSession10Container, [MS-PPT] 2.3.7): the Current
 * User stream says so by its header token, and the current UserEditAtom carries a persist reference to
 * the encryption session. Decryption (the persist directory, per-object keys) is not done.
 */
export function detectPptEncryption(
  currentUser: Uint8Array | undefined,
  document: Uint8Array | undefined,
): EncryptionScheme | undefined {
  if (!currentUser) return undefined;
  const token = u32At(currentUser, 12);
  let isEncrypted = token === HEADER_TOKEN_ENCRYPTED;
  const editOffset = u32At(currentUser, 16);
  if (!isEncrypted && document && editOffset !== undefined) {
    isEncrypted =
      u16At(document, editOffset + 2) === RT_USER_EDIT_ATOM &&
      u32At(document, editOffset + 4) === USER_EDIT_ATOM_ENCRYPTED_LENGTH;
  }
  return isEncrypted
    ? {
        container: 'ppt',
        method: 'rc4-cryptoapi',
        detail: 'PowerPoint CryptSession10Container (RC4 CryptoAPI)',
      }
    : undefined;
}
