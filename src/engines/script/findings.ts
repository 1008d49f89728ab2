import { defineFinding } from '../../core/index.js';

export const shellExecution = defineFinding({
  id: 'script.shell-execution',
  title: 'Script starts programs (WScript.Shell Run/Exec, ShellExecute)',
  severity: 'high',
  step: '4',
  attack: ['T1059.005', 'T1059.007', 'T1059.003'],
  description:
    'A VBScript/JScript/HTA creates WScript.Shell or Shell.Application and runs a command: the script is a ' +
    'dropper, not a page or a tool.',
});

export const lolbinCommand = defineFinding({
  id: 'script.lolbin-command',
  title: 'Script holds a PowerShell, cmd, mshta, rundll32 or regsvr32 command line',
  severity: 'high',
  step: '4',
  attack: ['T1059.001', 'T1059.003', 'T1218'],
  description:
    'A command line for a Windows interpreter or proxy binary sits in the script (a string to run, or a ' +
    'batch line), the hand-over from the first-stage script to PowerShell or to the loader DLL.',
});

export const wmiProcessCreate = defineFinding({
  id: 'script.wmi-process-create',
  title: 'Script starts a process through WMI (Win32_Process.Create)',
  severity: 'high',
  step: '4',
  attack: ['T1047'],
  description:
    'GetObject("winmgmts:") with Win32_Process.Create: the process is parented to WmiPrvSE.exe rather than the ' +
    'script host, the trick Emotet macros and scripts use to break the process tree.',
});

export const download = defineFinding({
  id: 'script.download',
  title: 'Script downloads from the network',
  severity: 'high',
  step: '5',
  attack: ['T1105'],
  description:
    'MSXML2.XMLHTTP / WinHttpRequest with ADODB.Stream SaveToFile, bitsadmin, certutil -urlcache, curl, ' +
    'PowerShell download cradles, or a remote scriptlet.',
});

export const downloadAndExecute = defineFinding({
  id: 'script.download-and-execute',
  title: 'Script downloads a payload and runs it',
  severity: 'critical',
  step: '5',
  attack: ['T1105', 'T1059.005', 'T1059.007'],
  description:
    'One script both fetches from the network and starts code: the first-stage dropper of a loader (Emotet JS ' +
    'and VBS attachments, HTA in OneNote, scripts carved out of shortcuts).',
});

export const dynamicEval = defineFinding({
  id: 'script.dynamic-eval',
  title: 'Script evaluates decoded or generated code',
  severity: 'medium',
  step: '4',
  attack: ['T1027', 'T1140'],
  description:
    'eval / new Function / Execute / ExecuteGlobal of text built at run time (decoded base64, char codes): the ' +
    'visible script is only the unpacker.',
});

export const obfuscated = defineFinding({
  id: 'script.obfuscated',
  title: 'Script hides its text (char codes, escapes, concatenation, batch variables)',
  severity: 'medium',
  step: '4',
  attack: ['T1027', 'T1027.010'],
  description:
    'Long String.fromCharCode / Chr chains, escape runs or junk-split strings; or commands that only show up ' +
    'once the script is folded. The folded text was analysed.',
});

export const htaApplication = defineFinding({
  id: 'script.hta-application',
  title: 'HTML Application (HTA): a page that runs with full user rights',
  severity: 'medium',
  step: '1',
  attack: ['T1218.005', 'T1204.002'],
  description:
    'An <hta:application> page runs in mshta.exe outside the browser sandbox; its scripts can use any ActiveX ' +
    'object. Attachments and OneNote-embedded HTAs (2023) delivered QakBot and Emotet.',
});

export const SCRIPT_FINDINGS = [
  shellExecution,
  lolbinCommand,
  wmiProcessCreate,
  download,
  downloadAndExecute,
  dynamicEval,
  obfuscated,
  htaApplication,
] as const;
