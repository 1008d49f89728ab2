import type { Anomaly, LimitError } from '../../core/index.js';

/** The default password Office tries before asking the user ([MS-OFFCRYPTO] 2.4.2.4 and Excel's "VelvetSweatshop"). */
export const DEFAULT_PASSWORD = 'VelvetSweatshop';

/** Hash rounds one password attempt may cost. Office writes 100,000; the schema allows 10,000,000. */
export const MAX_SPIN_COUNT = 1_000_000;

/** Passwords tried per file when the caller gives a list. */
export const MAX_PASSWORDS = 32;

/** Which file carries the encryption, and how it is encrypted. */
export interface EncryptionScheme {
  container: 'ooxml' | 'xls' | 'doc' | 'ppt';
  method:
    | 'agile'
    | 'standard'
    | 'extensible'
    | 'rc4'
    | 'rc4-cryptoapi'
    | 'xor'
    | 'certificate'
    | 'unknown';
  /** Human summary for evidence, e.g. `agile AES-256/SHA512, spinCount 100000`. */
  detail: string;
}

export type DecryptStatus = 'decrypted' | 'wrong-password' | 'unsupported' | 'limit';

export interface DecryptResult {
  scheme: EncryptionScheme;
  status: DecryptStatus;
  /** The password that worked. */
  password?: string;
  /** The plaintext document: a ZIP package (OOXML) or a rebuilt compound file (.xls, .doc). */
  bytes?: Uint8Array;
  /** Why it was not decrypted, for evidence. */
  reason?: string;
  /** The limit that stopped decryption (spin count, output size, time). */
  limit?: LimitError;
  anomalies: Anomaly[];
}

export interface DecryptOptions {
  /** Tried in order; default `[DEFAULT_PASSWORD]`. At most `MAX_PASSWORDS` are tried. */
  passwords?: readonly string[];
  /** Default `MAX_SPIN_COUNT`. */
  maxSpinCount?: number;
  /** Bytes of plaintext allowed; a larger declared size stops with `E_LIMIT_DECRYPTED_SIZE`. */
  maxOutputBytes?: number;
  /** Called during long derivations and loops; may throw a `LimitError` to stop. */
  checkDeadline?: () => void;
}

export interface ResolvedOptions {
  passwords: readonly string[];
  maxSpinCount: number;
  maxOutputBytes: number;
  checkDeadline: () => void;
}

export function resolveOptions(options: DecryptOptions): ResolvedOptions {
  return {
    passwords: (options.passwords ?? [DEFAULT_PASSWORD]).slice(0, MAX_PASSWORDS),
    maxSpinCount: options.maxSpinCount ?? MAX_SPIN_COUNT,
    maxOutputBytes: options.maxOutputBytes ?? Number.MAX_SAFE_INTEGER,
    checkDeadline: options.checkDeadline ?? (() => {}),
  };
}
