import * as crypto from 'node:crypto';

// crypto.hash (Node ≥ 20.12) hashes in one call without a Hash object: ~2x faster for the small inputs a
// scan hashes by the thousand. Older Node 20 releases fall back to createHash.
const oneShot = (crypto as { hash?: typeof crypto.hash }).hash;

export function sha256Hex(bytes: Uint8Array): string {
  if (oneShot) return oneShot('sha256', bytes, 'hex');
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
