import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits from the CSPRNG, base64url: session ids, CSRF tokens, API tokens. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Session ids and tokens are stored as this digest: a stolen store holds no usable credential. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** SECURITY: constant-time string equality for secrets (CSRF tokens). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const TOKEN_PREFIX = 'eg_';

/** A new API token: shown once to its owner, stored only as `digest(token)`. */
export function newApiToken(): { token: string; tokenHash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
  return { token, tokenHash: digest(token), prefix: token.slice(0, 10) };
}
