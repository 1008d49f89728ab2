/**
 * @module container — the other delivery containers of the 2022–2023 waves, whose contents are scanned as
 * children: disk images (ISO 9660/Joliet/UDF, FAT .img; Mark-of-the-Web bypass, hidden files), 7z (Copy,
 * LZMA, LZMA2, Deflate, BCJ; AES headers and folders opened with the mail's passwords), RAR 4/5 (every
 * method, solid and encrypted, through RARLAB's unrar in WASM) and OneNote sections (embedded files,
 * [MS-ONESTORE] 2.6.13). Encrypted archives no candidate opens are never clean. Two engines: `container`
 * and `onenote`.
 *
 * @example
 * containerEngine.analyze(ctx) // container.disk-image + an invoice.lnk child for a mailed ISO
 */
import type { AnalysisContext, Engine, EngineOutput } from '../../core/index.js';
import { analyzeSevenZip } from './archives.js';
import { analyzeDiskImage } from './disk-image.js';
import { CONTAINER_FINDINGS, ONENOTE_FINDINGS } from './findings.js';
import { analyzeOneNote } from './onenote.js';
import { analyzeRar } from './rar.js';

export const containerEngine: Engine = {
  name: 'container',
  types: ['iso', 'fat', '7z', 'rar'],
  // scan.parse-error and scan.limit-exceeded are reported too; core declares them (SCAN_FINDINGS).
  findings: CONTAINER_FINDINGS,
  analyze(ctx: AnalysisContext): EngineOutput | Promise<EngineOutput> {
    if (ctx.artifact.type === '7z') return analyzeSevenZip(ctx);
    if (ctx.artifact.type === 'rar') return analyzeRar(ctx);
    return analyzeDiskImage(ctx);
  },
};

export const onenoteEngine: Engine = {
  name: 'onenote',
  types: ['onenote'],
  findings: ONENOTE_FINDINGS,
  analyze: analyzeOneNote,
};

export { CONTAINER_FINDINGS, ONENOTE_FINDINGS } from './findings.js';
