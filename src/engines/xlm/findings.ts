import { defineFinding } from '../../core/index.js';

export const macroSheetPresent = defineFinding({
  id: 'xlm.macro-sheet-present',
  title: 'Excel 4.0 (XLM) macro sheet present',
  severity: 'low',
  // Step ②: what the user opens carries macro code; whether it runs on open is xlm.autoexec-entrypoint.
  step: '2',
  attack: ['T1059'],
  description:
    'The workbook holds an Excel 4.0 macro sheet: formulas that run as a macro. They predate VBA, ' +
    'bypass VBA-only scanners and AMSI for VBA, and were the Emotet, Qakbot, Dridex and ZLoader ' +
    'delivery vehicle of 2020–2022. Formulas are listed in extracted.xlm.',
});

export const hiddenMacroSheet = defineFinding({
  id: 'xlm.hidden-macro-sheet',
  title: 'Excel 4.0 macro sheet is hidden or very hidden',
  severity: 'medium',
  step: '2',
  attack: ['T1564'],
  description:
    'A hidden macro sheet is not on the sheet tabs; a very hidden one (BoundSheet8 hsState 2, ' +
    'state="veryHidden") cannot even be unhidden from the Excel user interface. Droppers hide the ' +
    'sheet that holds their formulas this way.',
});

export const autoexecEntrypoint = defineFinding({
  id: 'xlm.autoexec-entrypoint',
  title: 'Excel 4.0 macro runs automatically (Auto_Open / Auto_Close name)',
  severity: 'medium',
  step: '3',
  attack: ['T1204.002'],
  description:
    'A defined name starting with Auto_Open (or Auto_Close) points into a macro sheet: the macro at ' +
    'that cell runs when the workbook opens (closes) and macros are enabled. Any name that starts ' +
    'with Auto_Open counts (Auto_Open2, aUtO_oPeN_x), hidden or not.',
});

export const sandboxEvasion = defineFinding({
  id: 'xlm.sandbox-evasion',
  title: 'Excel 4.0 macro probes its environment (sandbox checks)',
  severity: 'medium',
  step: '3',
  attack: ['T1497.001'],
  description:
    'GET.WORKSPACE, GET.WINDOW, GET.DOCUMENT, GET.CELL or INFO query the screen size, mouse, sound, ' +
    'single-step mode or window state: droppers close the workbook when they look like a sandbox. ' +
    'The emulator answered as a normal desktop; each question and answer is in the evidence.',
});

export const obfuscation = defineFinding({
  id: 'xlm.obfuscation',
  title: 'Excel 4.0 macro builds its formulas at run time',
  severity: 'medium',
  step: '3',
  attack: ['T1027.010', 'T1140'],
  description:
    'FORMULA/FORMULA.FILL write formulas assembled from CHAR() codes and string pieces into cells ' +
    'that the macro then runs: the payload never appears in clear in the file. The written formulas ' +
    'are listed in extracted.xlm after the static ones.',
});

export const commandExecution = defineFinding({
  id: 'xlm.command-execution',
  title: 'Excel 4.0 macro runs a command (EXEC)',
  severity: 'high',
  step: '4',
  attack: ['T1059'],
  description:
    'EXEC starts a program (cmd, powershell, rundll32, regsvr32, mshta …). The evidence holds the ' +
    'command line as the emulator evaluated it.',
});

export const win32Api = defineFinding({
  id: 'xlm.win32-api-call',
  title: 'Excel 4.0 macro calls Win32 APIs (CALL / REGISTER)',
  severity: 'high',
  step: '4',
  attack: ['T1106'],
  description:
    'CALL and REGISTER reach any exported DLL function: URLDownloadToFileA (urlmon), ShellExecuteA ' +
    '(shell32), VirtualAlloc/WriteProcessMemory/CreateThread (kernel32) for shellcode in Excel itself.',
});

export const download = defineFinding({
  id: 'xlm.download',
  title: 'Excel 4.0 macro downloads a file (URLDownloadToFile …)',
  severity: 'high',
  step: '5',
  attack: ['T1105'],
  description:
    'urlmon URLDownloadToFileA/W, WinINet or WinHTTP called from the macro, or a URL handed to a ' +
    'command: the loader is fetched from the URL in the evidence (also in extracted.iocs).',
});

export const fileWrite = defineFinding({
  id: 'xlm.file-write',
  title: 'Excel 4.0 macro writes a file (FOPEN / FWRITE)',
  severity: 'medium',
  step: '5',
  attack: ['T1105'],
  description:
    'FOPEN/FWRITE/FWRITELN drop a script or a payload to disk; the content is in the evidence.',
});

export const embeddedUrl = defineFinding({
  id: 'xlm.embedded-url',
  title: 'Excel 4.0 macro contains URLs',
  severity: 'low',
  step: '5',
  attack: ['T1105'],
  description: 'URLs in the macro formulas or in their evaluated values; listed in extracted.iocs.',
});

export const autoexecExecutionChain = defineFinding({
  id: 'xlm.autoexec-execution-chain',
  title: 'Excel 4.0 macro runs on open and starts a process or calls Win32 APIs',
  severity: 'critical',
  step: '4',
  attack: ['T1204.002', 'T1059', 'T1106'],
  description:
    'An Auto_Open macro together with EXEC or CALL/REGISTER of a Win32 API: the dropper chain of ' +
    'steps ③→④, as oletools mraptor rates AutoExec + Execute.',
});

export const autoexecDownload = defineFinding({
  id: 'xlm.autoexec-download',
  title: 'Excel 4.0 macro runs on open and downloads a file',
  severity: 'critical',
  step: '5',
  attack: ['T1204.002', 'T1105'],
  description: 'An Auto_Open macro together with a download (mraptor: AutoExec + Write).',
});

export const XLM_FINDINGS = [
  macroSheetPresent,
  hiddenMacroSheet,
  autoexecEntrypoint,
  sandboxEvasion,
  obfuscation,
  commandExecution,
  win32Api,
  download,
  fileWrite,
  embeddedUrl,
  autoexecExecutionChain,
  autoexecDownload,
] as const;
