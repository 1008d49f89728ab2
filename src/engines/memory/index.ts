/**
 * @module engines/memory — process memory in Windows minidumps (formats/minidump, minidumpapiset.h):
 * code injected into private read-write-execute memory (a PE header in a MEM_PRIVATE RWX region, the
 * malfind heuristic), and the dump's own anomalies (ranges past EOF, overlaps, absurd counts) as
 * scan.parse-error / scan.limit-exceeded. YARA over the regions is the yara engine's; the C2 table is
 * emotet-config's: engines stay independent and share one parse through `MINIDUMP_MEMO`.
 *
 * @example
 * memoryEngine.analyze(ctx) // memory.rwx-pe-region for a reflectively loaded DLL
 */
import { deferAnalyze, type Engine } from '../../core/index.js';
import { MEMORY_FINDINGS } from './findings.js';

export const memoryEngine: Engine = {
  name: 'memory',
  types: ['minidump'],
  // scan.parse-error and scan.limit-exceeded are reported too; core declares them (SCAN_FINDINGS).
  findings: MEMORY_FINDINGS,
  // Loaded on the first minidump (see deferAnalyze).
  analyze: deferAnalyze(async () => (await import('./analyze.js')).analyzeMemory),
};

export { MEMORY_FINDINGS, rwxPeRegion } from './findings.js';
