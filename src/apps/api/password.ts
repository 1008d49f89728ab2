import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ConfigError } from '../../core/index.js';

/**
 * scrypt parameters (RFC 7914). N=2^15, r=8 costs 32 MiB and about 50–100 ms per hash on the reference
 * machine: slow enough for an offline attack on a stolen store to be expensive, fast enough for a login.
 * The parameters are stored with each hash, so raising them later keeps old hashes verifiable.
 */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** Refuse absurd parameters from a tampered row instead of allocating gigabytes. */
const MAX_N = 2 ** 20;
/** A longer "password" is a denial-of-service attempt, not a password. */
export const MAX_PASSWORD_LENGTH = 1024;
export const MIN_PASSWORD_LENGTH = 8;

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new ConfigError(
      'E_AUTH_WEAK_PASSWORD',
      `a password has ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
}

/** `scrypt$N$r$p$<salt b64>$<key b64>`, with a fresh per-user salt. */
export async function hashPassword(
  password: string,
  cost: ScryptCost = SCRYPT_DEFAULTS,
): Promise<string> {
  checkPasswordPolicy(password);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

/** False for a wrong password or a hash this build cannot read; never throws for user input. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every(Number.isSafeInteger) || N > MAX_N || N < 2 || r > 32 || p > 16)
    return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(password, Buffer.from(parts[4]!, 'base64'), { N, r, p });
  // SECURITY: constant-time comparison; an early-exit compare leaks how many bytes matched.
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, verified against when the user name is unknown, so a login for a missing
 * user costs the same scrypt time as one for a real user (no user enumeration by timing).
 */
export async function dummyHash(cost: ScryptCost = SCRYPT_DEFAULTS): Promise<string> {
  return hashPassword(randomBytes(16).toString('hex'), cost);
}
