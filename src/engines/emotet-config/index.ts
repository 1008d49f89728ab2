/**
 * @module engines/emotet-config — Emotet's configuration found by its shape in any bytes (unpacked
 * loaders, minidump regions, raw memory, unknown blobs): the C2 table (8-byte entries: IPv4 as a
 * little-endian u32, port u16, flag u16, zero-terminated; public addresses, known ports), the RSA
 * (epochs 1–3) or P-256 `ECK1`/`ECS1` (epochs 4–5) public keys, the XOR-encrypted key/length/data
 * blobs post-2021 loaders keep the C2 list and keys in (CAPE's Emotet parser), and an epoch guess with
 * its confidence and basis (epoch.ts). Formats: DER
 * SubjectPublicKeyInfo (RFC 5280 4.1), CryptoAPI PUBLICKEYBLOB and BCRYPT_ECCKEY_BLOB
 * (https://learn.microsoft.com/en-us/windows/win32/api/bcrypt/ns-bcrypt-bcrypt_ecckey_blob).
 *
 * Output: `extracted.config` `{"family":"emotet","c2":["ip:port",…],"keys":[…],"epoch":…,"tables":[…]}`,
 * `extracted.iocs.ips`, and the critical finding `emotet-config.c2-table` listing every server. Keys
 * are reported only within KEY_REACH (1 MiB) of a table, so a buffer without a table yields nothing.
 * Inputs too large to hold (raw memory images) are scanned chunk by chunk with `scanConfigChunk`
 * (ownership rules in chunk.ts) and the merged finds turned into the same output by
 * `emotetConfigOutput`.
 *
 * @example
 * const engine = createEmotetConfigEngine({ allowDocumentationRanges: true }); // tests only
 * const finds = scanConfigChunk(chunk, { base: fileOffset, next: step, hasPrevious: fileOffset > 0 });
 */
import type { Engine } from '../../core/index.js';
import { analyzeEmotetConfig, type EmotetConfigOptions } from './analyze.js';
import { EMOTET_CONFIG_FINDINGS } from './findings.js';

/**
 * The engine with non-default plausibility settings. `allowDocumentationRanges` exists for tests, which
 * must use RFC 5737 addresses: production code uses `emotetConfigEngine`.
 */
export function createEmotetConfigEngine(options: EmotetConfigOptions = {}): Engine {
  return {
    name: 'emotet-config',
    // Unpacked loaders (pe), process memory (minidump) and raw memory images or carved blobs (unknown).
    types: ['pe', 'minidump', 'unknown'],
    findings: EMOTET_CONFIG_FINDINGS,
    analyze: (ctx) => analyzeEmotetConfig(ctx, options),
  };
}

export const emotetConfigEngine: Engine = createEmotetConfigEngine();

export type { EmotetConfigOptions } from './analyze.js';
export {
  CONFIG_CHUNK_OVERLAP,
  KEY_REACH,
  scanConfigChunk,
  type ConfigChunk,
  type ConfigFinds,
  type ConfigScanOptions,
} from './chunk.js';
export { emotetConfigOutput, type ConfigOutputContext, type EmotetConfig } from './output.js';
export {
  c2TableOf,
  findC2Tables,
  MAX_C2_ENTRIES,
  MAX_C2_TABLES,
  MIN_C2_ENTRIES,
  type C2Entry,
  type C2Table,
} from './c2-table.js';
export { c2Table, EMOTET_CONFIG_FINDINGS } from './findings.js';
export { findKeys, isOnP256, keyAt, type ExtractedKey } from './keys.js';
export {
  ENCRYPTED_OVERLAP,
  findEncryptedConfig,
  MAX_ENCRYPTED_LIST_BYTES,
  xorDwords,
  type EncryptedFinds,
} from './encrypted.js';
export {
  guessEpoch,
  KNOWN_EPOCH_KEYS,
  peArch,
  type Epoch,
  type EpochGuess,
  type KnownEpochKey,
} from './epoch.js';
export { EMOTET_C2_PORTS, isPublicUnicast } from './plausible.js';
