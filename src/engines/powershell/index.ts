/**
 * @module powershell — PowerShell scripts and decoded command lines (step ④→⑤): download cradles,
 * payload execution, URL-list loops, obfuscation, nested -EncodedCommand layers.
 *
 * @example
 * powershellEngine.analyze(ctx) // powershell.download-and-execute on an Emotet loader script
 */
import type { Engine } from '../../core/index.js';
import { analyzePowerShell } from './analyze.js';
import { POWERSHELL_FINDINGS } from './findings.js';

export const powershellEngine: Engine = {
  name: 'powershell',
  types: ['powershell'],
  findings: POWERSHELL_FINDINGS,
  analyze: analyzePowerShell,
};
