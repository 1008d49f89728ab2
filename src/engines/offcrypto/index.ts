/**
 * @module offcrypto — encrypted Office documents ([MS-OFFCRYPTO], through formats/offcrypto): an
 * encrypted OOXML package, .xls, .doc or .ppt is decrypted with the default password "VelvetSweatshop"
 * and its plaintext scanned as a child (`decrypted.docm`, `decrypted.xls` …); what cannot be decrypted
 * is reported as unanalysed, with its scheme.
 *
 * @example
 * const out = offcryptoEngine.analyze(ctx); // offcrypto.default-password + child decrypted.docm
 */
import type { Engine } from '../../core/index.js';
import { analyzeOffcrypto } from './analyze.js';
import { OFFCRYPTO_FINDINGS } from './findings.js';

export const offcryptoEngine: Engine = {
  name: 'offcrypto',
  types: ['ole'],
  findings: OFFCRYPTO_FINDINGS,
  analyze: analyzeOffcrypto,
};

export { OFFCRYPTO_FINDINGS } from './findings.js';
