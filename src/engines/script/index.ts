/**
 * @module script — first-stage scripts: HTML Applications (HTA, run by mshta.exe), JScript/VBScript files
 * and Windows Script Files (wscript.exe, https://learn.microsoft.com/previous-versions/windows/desktop/
 * xqh6a2ke(v=vs.85)), batch files (cmd.exe). Script blocks are extracted and folded (char codes,
 * concatenation, escapes, base64, batch variables), then checked for WScript.Shell/WMI execution, LOLBin
 * command lines, XMLHTTP/ADODB.Stream downloads and eval of decoded code. Ordinary web pages stay clean.
 *
 * @example
 * scriptEngine.analyze(ctx) // script.download-and-execute on an HTA that fetches and runs a DLL
 */
import type { Engine } from '../../core/index.js';
import { analyzeScript } from './analyze.js';
import { SCRIPT_FINDINGS } from './findings.js';

export const scriptEngine: Engine = {
  name: 'script',
  types: ['html', 'script'],
  findings: SCRIPT_FINDINGS,
  analyze: analyzeScript,
};

export { SCRIPT_FINDINGS } from './findings.js';
