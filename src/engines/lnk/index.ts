/**
 * @module lnk — Windows shortcuts ([MS-SHLLINK]) as mail attachments and ISO/ZIP members (Emotet 2022,
 * QakBot, IcedID): what the link runs (cmd, PowerShell, mshta, rundll32, regsvr32, curl …), arguments
 * padded past what Explorer shows, document icons on programs, scripts appended after the link, decoded
 * `-EncodedCommand` payloads (children), IOCs, and the builder machine from the tracker block.
 *
 * @example
 * lnkEngine.analyze(ctx) // lnk.shell-command, lnk.hidden-arguments, lnk.document-icon …
 */
import { deferAnalyze, type Engine } from '../../core/index.js';
import { LNK_FINDINGS } from './findings.js';

export const lnkEngine: Engine = {
  name: 'lnk',
  types: ['lnk'],
  findings: LNK_FINDINGS,
  // Loaded on the first shortcut: Office scans never need the MS-SHLLINK parser (see deferAnalyze).
  analyze: deferAnalyze(async () => (await import('./analyze.js')).analyzeLnk),
};

export { LNK_FINDINGS } from './findings.js';
