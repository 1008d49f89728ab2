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
import {
  deferAnalyze,
  type AnalysisContext,
  type Engine,
  type EngineOutput,
} from '../../core/index.js';
import { CONTAINER_FINDINGS, ONENOTE_FINDINGS } from './findings.js';

export const containerEngine: Engine = {
  name: 'container',
  types: ['iso', 'fat', '7z', 'rar'],
  // scan.parse-error and scan.limit-exceeded are reported too; core declares them (SCAN_FINDINGS).
  findings: CONTAINER_FINDINGS,
  // Loaded on the first container (see deferAnalyze): 7z, RAR (a WASM unrar) and disk-image readers.
  analyze: deferAnalyze(async () => {
    const [{ analyzeSevenZip }, { analyzeRar }, { analyzeDiskImage }] = await Promise.all([
      import('./archives.js'),
      import('./rar.js'),
      import('./disk-image.js'),
    ]);
    return (ctx: AnalysisContext): EngineOutput | Promise<EngineOutput> => {
      if (ctx.artifact.type === '7z') return analyzeSevenZip(ctx);
      if (ctx.artifact.type === 'rar') return analyzeRar(ctx);
      return analyzeDiskImage(ctx);
    };
  }),
};

export const onenoteEngine: Engine = {
  name: 'onenote',
  types: ['onenote'],
  findings: ONENOTE_FINDINGS,
  analyze: deferAnalyze(async () => (await import('./onenote.js')).analyzeOneNote),
};

export { CONTAINER_FINDINGS, ONENOTE_FINDINGS } from './findings.js';
