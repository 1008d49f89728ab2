import type { ChildInput, ExtractedPowerShell, FileType } from '../../core/index.js';
import { findEncodedCommands } from '../../formats/powershell/index.js';

/**
 * What the macro hands on: PowerShell command lines (with their -EncodedCommand payloads decoded)
 * and files written with FOPEN/FWRITE go back into the pipeline as children, so that the PowerShell
 * engine analyses step ④→⑤ and the dropped script is scanned in turn.
 */

const MAX_CHILDREN = 16;
const SCRIPT_TYPES: Readonly<Record<string, FileType>> = {
  ps1: 'powershell',
  psm1: 'powershell',
  vbs: 'script',
  vbe: 'script',
  js: 'script',
  jse: 'script',
  wsf: 'script',
  bat: 'script',
  cmd: 'script',
  hta: 'html',
};

export function encodedCommands(commands: readonly string[]): ExtractedPowerShell[] {
  const found = new Map<string, ExtractedPowerShell>();
  for (const command of commands) {
    for (const hit of findEncodedCommands(command)) {
      if (!found.has(hit.base64)) found.set(hit.base64, { raw: hit.raw, decoded: hit.decoded });
    }
  }
  return [...found.values()];
}

export function commandChildren(
  powershell: readonly ExtractedPowerShell[],
  commands: readonly string[],
  files: ReadonlyMap<number, { path: string; data: string }>,
): ChildInput[] {
  const encoder = new TextEncoder();
  const children: ChildInput[] = [];
  const seen = new Set<string>();
  powershell.forEach((p, i) => {
    seen.add(p.decoded);
    children.push({
      name: `powershell-decoded-${i + 1}.ps1`,
      bytes: encoder.encode(p.decoded),
      relation: 'decoded',
      typeHint: 'powershell',
    });
  });
  for (const command of commands) {
    if (children.length >= MAX_CHILDREN) break;
    if (!/powershell|pwsh/i.test(command) || seen.has(command)) continue;
    if (findEncodedCommands(command).length > 0) continue;
    seen.add(command);
    children.push({
      name: `command-${children.length + 1}.ps1`,
      bytes: encoder.encode(command),
      relation: 'command',
      typeHint: 'powershell',
    });
  }
  for (const file of files.values()) {
    if (children.length >= MAX_CHILDREN || file.data === '') continue;
    const base = file.path.split(/[\\/]/).pop() || 'file';
    const typeHint = SCRIPT_TYPES[base.replace(/^.*\./, '').toLowerCase()];
    children.push({
      name: `dropped-${children.length + 1}-${base}`,
      bytes: encoder.encode(file.data),
      relation: 'dropped',
      ...(typeHint ? { typeHint } : {}),
    });
  }
  return children;
}
