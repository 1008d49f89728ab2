/**
 * @module archive — ZIP (PKWARE APPNOTE 6.3.10) and GZIP (RFC 1952) containers, step ①: mail attachments
 * arrive zipped, often encrypted with a password given in the mail body. Extracts members as children
 * under the ratio, size, byte-budget and member limits; reports what it could not open.
 *
 * @example
 * archiveEngine.analyze(ctx) // children: invoice.docm …; archive.encrypted-member for a locked ZIP
 */
import type { AnalysisContext, Engine } from '../../core/index.js';
import { ARCHIVE_FINDINGS } from './findings.js';
import { analyzeGzip } from './gzip.js';
import { analyzeZip } from './zip-members.js';

export const archiveEngine: Engine = {
  name: 'archive',
  types: ['zip', 'gzip'],
  // scan.parse-error and scan.limit-exceeded are reported too; core declares them (SCAN_FINDINGS).
  findings: ARCHIVE_FINDINGS,
  analyze: (ctx: AnalysisContext) =>
    ctx.artifact.type === 'gzip' ? analyzeGzip(ctx) : analyzeZip(ctx),
};

export { ARCHIVE_FINDINGS, encryptedMember } from './findings.js';
export { ARCHIVE_PASSWORDS_MEMO } from './zip-members.js';
