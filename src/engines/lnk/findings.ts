import { defineFinding } from '../../core/index.js';

export const shellCommand = defineFinding({
  id: 'lnk.shell-command',
  title: 'Shortcut runs cmd.exe or PowerShell with a command line',
  severity: 'high',
  step: '4',
  attack: ['T1204.002', 'T1059.003', 'T1059.001'],
  description:
    'Opening the shortcut starts a command interpreter with arguments. Emotet (2022) and QakBot mailed ' +
    '.lnk files, zipped or inside ISO images, whose "document" was cmd.exe or powershell.exe fetching the loader.',
});

export const scriptHost = defineFinding({
  id: 'lnk.script-host',
  title: 'Shortcut runs mshta, wscript or cscript',
  severity: 'high',
  step: '4',
  attack: ['T1204.002', 'T1059.005', 'T1059.007', 'T1218.005'],
  description:
    'Opening the shortcut runs a script host (an HTA, VBScript or JScript, often fetched from a URL).',
});

export const proxyExecution = defineFinding({
  id: 'lnk.proxy-execution',
  title: 'Shortcut runs rundll32, regsvr32 or msiexec',
  severity: 'high',
  step: '4',
  attack: ['T1204.002', 'T1218.011', 'T1218.010'],
  description:
    'Opening the shortcut loads a DLL through a signed Windows binary: the Emotet loader is a DLL started with ' +
    'regsvr32 or rundll32.',
});

export const downloadTool = defineFinding({
  id: 'lnk.download-tool',
  title: 'Shortcut runs curl, bitsadmin or certutil',
  severity: 'high',
  step: '5',
  attack: ['T1204.002', 'T1105', 'T1197'],
  description: 'Opening the shortcut starts a Windows tool that fetches files from the network.',
});

export const downloadAndExecute = defineFinding({
  id: 'lnk.download-and-execute',
  title: 'Shortcut downloads a payload and runs it',
  severity: 'critical',
  step: '5',
  attack: ['T1204.002', 'T1105', 'T1059'],
  description:
    'The command line (or the PowerShell it decodes) both fetches from the network and starts code: the ' +
    'whole delivery of a loader in one double-click.',
});

export const carvesItself = defineFinding({
  id: 'lnk.carves-payload',
  title: 'Shortcut extracts a script from its own file and runs it',
  severity: 'critical',
  step: '4',
  attack: ['T1204.002', 'T1059.003', 'T1027'],
  description:
    'The command line reads the .lnk itself (findstr, type, Get-Content) into a script file and runs it: the ' +
    'April 2022 Emotet shortcuts appended a VBScript after the link for exactly this.',
});

export const hiddenArguments = defineFinding({
  id: 'lnk.hidden-arguments',
  title: 'Shortcut arguments padded or too long to be shown',
  severity: 'medium',
  step: '1',
  attack: ['T1027'],
  description:
    'Runs of whitespace, line breaks or thousands of characters push the real command out of the 260 ' +
    "characters Explorer shows in the shortcut's Target field.",
});

export const documentIcon = defineFinding({
  id: 'lnk.document-icon',
  title: 'Shortcut to a program wears a document icon',
  severity: 'medium',
  step: '1',
  attack: ['T1036'],
  description:
    'The icon comes from a document type or a system icon library (shell32.dll, imageres.dll, the Edge PDF ' +
    'icon) while the target runs code: the shortcut poses as an invoice or a PDF.',
});

export const appendedData = defineFinding({
  id: 'lnk.appended-data',
  title: 'Data appended after the shortcut structure',
  severity: 'medium',
  step: '1',
  attack: ['T1027'],
  description:
    'Bytes follow the terminal ExtraData block. Windows ignores them, droppers read them back: they are ' +
    'scanned as a child.',
});

export const metadata = defineFinding({
  id: 'lnk.shortcut-metadata',
  title: 'Shortcut metadata (target, arguments, builder machine)',
  severity: 'info',
  step: '1',
  attack: [],
  description:
    "What the shortcut runs and where it was made: the tracker block's NetBIOS machine name and MAC address " +
    "and the volume serial tie samples of one campaign to the attacker's builder machine.",
});

export const LNK_FINDINGS = [
  shellCommand,
  scriptHost,
  proxyExecution,
  downloadTool,
  downloadAndExecute,
  carvesItself,
  hiddenArguments,
  documentIcon,
  appendedData,
  metadata,
] as const;
