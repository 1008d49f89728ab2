/**
 * @module archive — ZIP (PKWARE APPNOTE 6.3.10) and GZIP (RFC 1952) containers, step ①: mail attachments
 * arrive zipped, often encrypted with a password given in the mail body. Extracts members as children
 * under the ratio, size, byte-budget and member limits; reports what it could not open.
 *
 * @example
 * archiveEngine.analyze(ctx) // children: invoice.docm …; archive.encrypted-member for a locked ZIP
 */
import { deferAnalyze, type AnalysisContext, type Engine } from '../../core/index.js';
import { ARCHIVE_FINDINGS } from './findings.js';

export const archiveEngine: Engine = {
  name: 'archive',
  types: ['zip', 'gzip'],
  // scan.parse-error and scan.limit-exceeded are reported too; core declares them (SCAN_FINDINGS).
  findings: ARCHIVE_FINDINGS,
  // Loaded on the first ZIP or GZIP (see deferAnalyze): an Office scan never needs it.
  analyze: deferAnalyze(async () => {
    const [{ analyzeGzip }, { analyzeZip }] = await Promise.all([
      import('./gzip.js'),
      import('./zip-members.js'),
    ]);
    return (ctx: AnalysisContext) =>
      ctx.artifact.type === 'gzip' ? analyzeGzip(ctx) : analyzeZip(ctx);
  }),
};

export { ARCHIVE_FINDINGS, encryptedMember } from './findings.js';
// The same key as zip-members.ts reads (core's HINT_ARCHIVE_PASSWORDS), without loading that module.
export { HINT_ARCHIVE_PASSWORDS as ARCHIVE_PASSWORDS_MEMO } from '../../core/index.js';
