/**
 * @module vba — VBA macro analysis: auto-run entry points, process execution (WMI Win32_Process,
 * Shell, PowerShell), downloads and file writes, string deobfuscation, encoded PowerShell, IOCs.
 * Sources: plain module text now; MS-OVBA projects in OLE and OOXML documents through formats/ovba.
 *
 * @example
 * const out = await vbaEngine.analyze(ctx); // findings such as vba.autoexec-execution-chain
 */
import type { Engine } from '../../core/index.js';
import { analyzeVba } from './analyze.js';
import { VBA_FINDINGS } from './findings.js';

export const vbaEngine: Engine = {
  name: 'vba',
  types: ['vba-source', 'ole', 'ooxml'],
  findings: VBA_FINDINGS,
  analyze: analyzeVba,
};

export { VBA_FINDINGS } from './findings.js';
