/**
 * `PowerShellNormalized`: a derived field rules can match, holding the PowerShell text of an event with
 * the cheap obfuscations of Emotet droppers undone (formats/powershell `normalizePowerShell`) and
 * `-EncodedCommand` / `FromBase64String` payloads decoded and normalised too. A rule written against
 * `DownloadString` then also fires on `('Down'+'loadString')`, `D`own`loadString` or `-enc RABvAHcA…`.
 *
 * Sources (SigmaHQ logsources ps_script, ps_module, ps_classic_script, process_creation):
 *   - PowerShell/Operational 4104: `ScriptBlockText`;
 *   - PowerShell/Operational 4103: `Payload` and `ContextInfo` (which carries `Host Application = …`);
 *   - Windows PowerShell 400/800: the unnamed `Data` strings (`HostApplication=…`) and `HostApplication`;
 *   - Sysmon 1 / Security 4688: `CommandLine` when the image is powershell.exe, pwsh.exe or
 *     powershell_ise.exe.
 * Other events have no such field (absent, so `PowerShellNormalized|contains` does not match them).
 */
import { findEncodedCommands, normalizePowerShell } from '../../formats/powershell/index.js';
import type { FieldValues } from './document.js';

export const POWERSHELL_NORMALIZED_FIELD = 'PowerShellNormalized';
/**
 * Characters of source text normalised per event and of the field's value.
 * // SECURITY: the normaliser runs several regex passes; a 4104 script block is at most ~32 K chars,
 * but hostile JSON logs carry any length, so input and output are both cut here.
 */
export const MAX_POWERSHELL_NORMALIZED_CHARS = 64 * 1024;
/** Decoded payloads appended per event. */
export const MAX_POWERSHELL_DECODED = 8;

const POWERSHELL_IMAGE = /(?:^|[\\/])(?:powershell|pwsh|powershell_ise)(?:\.exe)?$/i;

type Find = (field: string) => FieldValues;

/** The derived field for an event (`find` resolves its ordinary fields); undefined when it has none. */
export function powerShellNormalized(
  channel: string,
  eventId: number | undefined,
  find: Find,
): FieldValues {
  const sources = powerShellSources(channel, eventId, find);
  if (sources === undefined) return undefined;
  let text = sources.join('\n');
  if (text.length > MAX_POWERSHELL_NORMALIZED_CHARS)
    text = text.slice(0, MAX_POWERSHELL_NORMALIZED_CHARS);
  const parts = [normalizePowerShell(text)];
  for (const e of findEncodedCommands(text, {
    maxResults: MAX_POWERSHELL_DECODED,
    maxBase64Chars: MAX_POWERSHELL_NORMALIZED_CHARS,
  })) {
    parts.push(normalizePowerShell(e.decoded.slice(0, MAX_POWERSHELL_NORMALIZED_CHARS)));
  }
  const out = parts.join('\n');
  return [
    out.length > MAX_POWERSHELL_NORMALIZED_CHARS
      ? out.slice(0, MAX_POWERSHELL_NORMALIZED_CHARS)
      : out,
  ];
}

function powerShellSources(
  channel: string,
  eventId: number | undefined,
  find: Find,
): string[] | undefined {
  const values = (...fields: string[]) => fields.flatMap((f) => find(f) ?? []);
  if (
    channel === 'microsoft-windows-powershell/operational' ||
    channel === 'powershellcore/operational'
  ) {
    if (eventId === 4104) return nonEmpty(values('ScriptBlockText'));
    if (eventId === 4103) return nonEmpty(values('Payload', 'ContextInfo'));
    return undefined;
  }
  if (channel === 'windows powershell') {
    if (eventId === 400 || eventId === 800) return nonEmpty(values('HostApplication', 'Data'));
    return undefined;
  }
  const creation =
    (channel === 'microsoft-windows-sysmon/operational' && eventId === 1) ||
    (channel === 'security' && eventId === 4688);
  if (!creation) return undefined;
  const image = values('Image', 'NewProcessName')[0] ?? '';
  return POWERSHELL_IMAGE.test(image.trim()) ? nonEmpty(values('CommandLine')) : undefined;
}

function nonEmpty(list: string[]): string[] | undefined {
  return list.some((s) => s !== '') ? list : undefined;
}
