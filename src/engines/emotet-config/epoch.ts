/**
 * Which Emotet botnet ("epoch") a configuration belongs to, from what the bytes can tell:
 *
 * - Each epoch had its own C2 servers and its own keys (Cryptolaemus; SCILabs, "Beware of Emotet":
 *   "the subgroup can generally be identified by the public encryption keys"), so only a known key
 *   names one epoch. `KNOWN_EPOCH_KEYS` maps key fingerprints to epochs; it ships empty because no
 *   key list could be verified here, and deployments pass their own (`epochKeys`).
 * - Epochs 1–3 (2017 – January 2021) used RSA-768 and epochs 4–5 (since November 2021) two P-256 keys
 *   (VMRay, "Emotet's use of cryptography", 2022): the key type separates 1–3 from 4–5, nothing finer.
 * - 64-bit loaders appeared in April 2022 on epoch 4, epoch 5 expected to follow (Cryptolaemus via
 *   Binary Defense); none existed before the 2021 takedown, so a 64-bit build is epoch 4 or 5 but
 *   does not say which.
 * - A XOR-encrypted C2 list is how post-2021 32-bit loaders keep it (CAPE's Emotet parser); earlier
 *   ones kept a plain table. A weak hint only: the list layout is not a documented epoch marker.
 */
import type { C2Table } from './c2-table.js';
import type { ExtractedKey } from './keys.js';

export type Epoch = 1 | 2 | 3 | 4 | 5;

export interface KnownEpochKey {
  epoch: Epoch;
  /** `ExtractedKey.fingerprint`: SHA-256 of the modulus or of X‖Y, hex. */
  fingerprint: string;
  /** Where the key was published, for the evidence. */
  source?: string;
}

export const KNOWN_EPOCH_KEYS: readonly KnownEpochKey[] = [];

export interface EpochGuess {
  /** One epoch when a known key names it; `1-3` / `4-5` when only the generation is known; else null. */
  epoch: Epoch | '1-3' | '4-5' | null;
  /** high: a known key; medium: the key type; low: build or list layout only; none: nothing to go on. */
  epochConfidence: 'high' | 'medium' | 'low' | 'none';
  /** Why, in one sentence (goes into the finding's evidence). */
  epochBasis: string;
}

export function guessEpoch(
  found: { keys: readonly ExtractedKey[]; tables: readonly C2Table[]; arch: 'x86' | 'x64' | null },
  known: readonly KnownEpochKey[] = KNOWN_EPOCH_KEYS,
): EpochGuess {
  const byFingerprint = new Map(known.map((k) => [k.fingerprint.toLowerCase(), k]));
  const matched = found.keys.flatMap((k) => byFingerprint.get(k.fingerprint) ?? []);
  const epochs = [...new Set(matched.map((k) => k.epoch))].sort();
  if (epochs.length === 1) {
    const source = matched.find((k) => k.source)?.source;
    return {
      epoch: epochs[0]!,
      epochConfidence: 'high',
      epochBasis: `a key of epoch ${epochs[0]} (known key list${source ? `: ${source}` : ''})`,
    };
  }
  const hasEcc = found.keys.some((k) => k.type !== 'rsa');
  const hasRsa = found.keys.some((k) => k.type === 'rsa');
  if (hasEcc && !hasRsa) {
    return {
      epoch: '4-5',
      epochConfidence: 'medium',
      epochBasis:
        'P-256 ECK1/ECS1 keys: the protocol of epochs 4 and 5 (since November 2021); only the key values tell them apart',
    };
  }
  if (hasRsa && !hasEcc) {
    return {
      epoch: '1-3',
      epochConfidence: 'medium',
      epochBasis:
        'an RSA key: the protocol of epochs 1–3 (2017 to January 2021); only the key value and the C2 list tell them apart',
    };
  }
  if (hasEcc && hasRsa) {
    return { epoch: null, epochConfidence: 'none', epochBasis: 'both RSA and P-256 keys found' };
  }
  if (found.arch === 'x64') {
    return {
      epoch: '4-5',
      epochConfidence: 'low',
      epochBasis:
        'a 64-bit build: Emotet shipped 64-bit loaders only from April 2022 (epochs 4 and 5)',
    };
  }
  if (found.tables.some((t) => t.encoding === 'xor')) {
    return {
      epoch: '4-5',
      epochConfidence: 'low',
      epochBasis: 'a XOR-encrypted C2 list, as post-2021 32-bit loaders keep it',
    };
  }
  return { epoch: null, epochConfidence: 'none', epochBasis: 'no key found beside the table' };
}

/** `x86`/`x64` from the PE header's Machine field (PE/COFF 3.3.1); null when not a PE. */
export function peArch(bytes: Uint8Array): 'x86' | 'x64' | null {
  if (bytes.length < 0x40 || bytes[0] !== 0x4d || bytes[1] !== 0x5a) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pe = view.getUint32(0x3c, true);
  if (pe + 6 > bytes.length || view.getUint32(pe, true) !== 0x00004550) return null;
  const machine = view.getUint16(pe + 4, true);
  if (machine === 0x8664) return 'x64'; // IMAGE_FILE_MACHINE_AMD64
  if (machine === 0x14c) return 'x86'; // IMAGE_FILE_MACHINE_I386
  return null;
}
