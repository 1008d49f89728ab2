/**
 * @module engines/emotet-config — Emotet's configuration found by its shape in any bytes (unpacked
 * loaders, minidump regions, raw memory, unknown blobs): the C2 table (8-byte entries: IPv4 as a
 * little-endian u32, port u16, flag u16, zero-terminated; public addresses, known ports), the RSA
 * (epochs 1–3) or P-256 `ECK1`/`ECS1` (epochs 4–5) public keys, and an epoch guess. Formats: DER
 * SubjectPublicKeyInfo (RFC 5280 4.1), CryptoAPI PUBLICKEYBLOB and BCRYPT_ECCKEY_BLOB
 * (https://learn.microsoft.com/en-us/windows/win32/api/bcrypt/ns-bcrypt-bcrypt_ecckey_blob).
 *
 * Output: `extracted.config` `{"family":"emotet","c2":["ip:port",…],"keys":[…],"epoch":…,"tables":[…]}`,
 * `extracted.iocs.ips`, and the critical finding `emotet-config.c2-table` listing every server.
 *
 * @example
 * const engine = createEmotetConfigEngine({ allowDocumentationRanges: true }); // tests only
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

export type { EmotetConfig, EmotetConfigOptions } from './analyze.js';
export { findC2Tables, MIN_C2_ENTRIES, type C2Entry, type C2Table } from './c2-table.js';
export { c2Table, EMOTET_CONFIG_FINDINGS } from './findings.js';
export { findKeys, isOnP256, type ExtractedKey } from './keys.js';
export { EMOTET_C2_PORTS, isPublicUnicast } from './plausible.js';
