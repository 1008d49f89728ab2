import { defineFinding } from '../../core/index.js';

export const macroPresent = defineFinding({
  id: 'vba.macro-present',
  title: 'VBA macro code present',
  severity: 'info',
  // Step ②: what the user opens carries code; whether it runs on open is vba.autoexec-entrypoint (③).
  step: '2',
  attack: ['T1059.005'],
  description: 'The artifact carries VBA source. Most documents users receive have none.',
});

export const autoexecEntrypoint = defineFinding({
  id: 'vba.autoexec-entrypoint',
  title: 'Macro runs automatically when the document opens or closes',
  severity: 'medium',
  step: '3',
  attack: ['T1204.002', 'T1059.005'],
  description:
    'A procedure named AutoOpen, Document_Open, Workbook_Open, Auto_Open, an ActiveX event such as ' +
    'Frame1_Layout or InkPicture1_Painted, … runs as soon as the user enables macros.',
});

export const wmiProcessCreate = defineFinding({
  id: 'vba.wmi-process-create',
  title: 'Macro starts a process through WMI (Win32_Process)',
  severity: 'high',
  step: '4',
  attack: ['T1047'],
  description:
    'GetObject("winmgmts:") with Win32_Process.Create makes WmiPrvSE.exe, not Word, the parent of the ' +
    'new process: the Emotet way to break the Office → PowerShell process chain that EDRs watch.',
});

export const shellExecution = defineFinding({
  id: 'vba.shell-execution',
  title: 'Macro runs a command (Shell, WScript.Shell, ShellExecute)',
  severity: 'high',
  step: '4',
  attack: ['T1059', 'T1106'],
  description: 'The macro can start any program.',
});

export const powershellInvocation = defineFinding({
  id: 'vba.powershell-invocation',
  title: 'Macro invokes PowerShell',
  severity: 'high',
  step: '4',
  attack: ['T1059.001'],
  description: 'A document macro has no business starting PowerShell; Emotet droppers all do.',
});

export const encodedPowershell = defineFinding({
  id: 'vba.encoded-powershell',
  title: 'Macro carries a base64-encoded PowerShell command',
  severity: 'high',
  step: '4',
  attack: ['T1059.001', 'T1027', 'T1140'],
  description:
    'powershell -EncodedCommand hides the command line; the decoded text is in extracted.powershell.',
});

export const download = defineFinding({
  id: 'vba.download',
  title: 'Macro downloads from the network',
  severity: 'high',
  step: '5',
  attack: ['T1105'],
  description:
    'URLDownloadToFile, XMLHTTP, WinHttp, Net.WebClient, bitsadmin or certutil in a macro.',
});

export const fileWrite = defineFinding({
  id: 'vba.file-write',
  title: 'Macro writes files',
  severity: 'medium',
  step: '5',
  attack: ['T1105'],
  description:
    'ADODB.Stream.SaveToFile, Open … For Binary/Output, CreateTextFile: how droppers land a payload.',
});

export const hiddenWindow = defineFinding({
  id: 'vba.hidden-window',
  title: 'Macro starts a hidden window',
  severity: 'medium',
  step: '4',
  attack: ['T1564.003'],
  description:
    "ShowWindow = 0, vbHide or -WindowStyle Hidden keep the started process out of the user's sight.",
});

export const win32Api = defineFinding({
  id: 'vba.win32-api',
  title: 'Macro declares Windows API functions (Declare … Lib)',
  severity: 'medium',
  step: '4',
  attack: ['T1106'],
  description:
    'The macro calls DLL functions directly, which macros that only edit documents never need.',
});

export const shellcodeInjection = defineFinding({
  id: 'vba.shellcode-injection',
  title: 'Macro allocates memory and starts code in it (shellcode runner)',
  severity: 'high',
  step: '4',
  attack: ['T1055', 'T1106'],
  description:
    'VirtualAlloc/RtlMoveMemory/CreateThread or an enumeration callback: code runs without a new process.',
});

export const suspiciousKeyword = defineFinding({
  id: 'vba.suspicious-keyword',
  title: 'Macro uses capabilities droppers rely on (Environ, CallByName, CreateObject, …)',
  severity: 'low',
  step: '3',
  attack: ['T1059.005'],
  description:
    "olevba's remaining suspicious keywords: context for a responder, not evidence alone.",
});

export const obfuscation = defineFinding({
  id: 'vba.obfuscation',
  title: 'Macro hides strings (Chr, StrReverse, Replace, concatenation)',
  severity: 'medium',
  step: '3',
  attack: ['T1027.010'],
  description: 'String folding revealed suspicious text that the source does not show in clear.',
});

export const embeddedUrl = defineFinding({
  id: 'vba.embedded-url',
  title: 'Macro contains URLs',
  severity: 'low',
  step: '5',
  attack: ['T1105'],
  description: 'URLs in macro code or in its deobfuscated strings; listed in extracted.iocs.',
});

export const autoexecExecutionChain = defineFinding({
  id: 'vba.autoexec-execution-chain',
  title: 'Macro runs on open and starts a process: Emotet-style dropper',
  severity: 'critical',
  step: '4',
  attack: ['T1204.002', 'T1059.005'],
  description:
    'An auto-run procedure together with process execution (WMI, Shell, PowerShell): the chain of ' +
    'steps ③→④. Same logic as oletools mraptor (AutoExec and Execute).',
});

export const autoexecDownload = defineFinding({
  id: 'vba.autoexec-download',
  title: 'Macro runs on open and downloads or writes a file',
  severity: 'critical',
  step: '5',
  attack: ['T1204.002', 'T1105'],
  description:
    'An auto-run procedure together with a download or a file write (mraptor: AutoExec and Write).',
});

export const stomped = defineFinding({
  id: 'vba.stomped',
  title: 'VBA stomping: the compiled p-code does not match the macro source',
  severity: 'high',
  step: '3',
  attack: ['T1564.007', 'T1027'],
  description:
    'Office runs the compiled p-code, not the source, when the VBA version matches, so droppers replace ' +
    'the source with benign text (EvilClippy) and keep the malicious p-code. The p-code here carries ' +
    'strings, API names or lines the source lacks (olevba: "VBA Stomping"; checked in OOXML too).',
});

export const pcodeNotUnderstood = defineFinding({
  id: 'vba.pcode-not-understood',
  title: 'VBA p-code in a layout emoguard does not read: stomping was not checked',
  severity: 'low',
  step: '3',
  attack: ['T1564.007'],
  description:
    'The project carries a compiled p-code cache that Office may run instead of the source, but its ' +
    '_VBA_PROJECT version is outside the known VBA5–VBA7 builds (0x5E–0xB2) or the cache is ' +
    'big-endian (Macintosh). The p-code was not compared with the source, so VBA stomping can be ' +
    'neither shown nor ruled out; the source findings stand on their own.',
});

export const VBA_FINDINGS = [
  macroPresent,
  autoexecEntrypoint,
  wmiProcessCreate,
  shellExecution,
  powershellInvocation,
  encodedPowershell,
  download,
  fileWrite,
  hiddenWindow,
  win32Api,
  shellcodeInjection,
  suspiciousKeyword,
  obfuscation,
  embeddedUrl,
  autoexecExecutionChain,
  autoexecDownload,
  stomped,
  pcodeNotUnderstood,
] as const;
