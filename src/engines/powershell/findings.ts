import { defineFinding } from '../../core/index.js';

export const downloadCradle = defineFinding({
  id: 'powershell.download-cradle',
  title: 'PowerShell downloads from the network',
  severity: 'high',
  step: '5',
  attack: ['T1059.001', 'T1105'],
  description:
    'Net.WebClient DownloadFile/DownloadString, Invoke-WebRequest, Start-BitsTransfer, …',
});

export const executesPayload = defineFinding({
  id: 'powershell.executes-payload',
  title: 'PowerShell runs a program or evaluates code',
  severity: 'high',
  step: '5',
  attack: ['T1059.001'],
  description:
    'Start-Process, Invoke-Expression (IEX), rundll32/regsvr32, [Diagnostics.Process]::Start, Invoke-Item.',
});

export const downloadAndExecute = defineFinding({
  id: 'powershell.download-and-execute',
  title: 'PowerShell downloads a file and runs it: loader delivery',
  severity: 'critical',
  step: '5',
  attack: ['T1059.001', 'T1105'],
  description:
    'A download cradle and an execution in one script: the Emotet loader step ⑤, typically looping over a ' +
    'list of URLs until one answers and then starting the payload with rundll32 or Start-Process.',
});

export const urlListLoop = defineFinding({
  id: 'powershell.url-list-loop',
  title: 'PowerShell tries a list of download URLs in turn',
  severity: 'medium',
  step: '5',
  attack: ['T1105'],
  description:
    'Several URLs split from one string and tried in a loop, the Emotet dropper pattern.',
});

export const obfuscated = defineFinding({
  id: 'powershell.obfuscated',
  title: 'PowerShell hides its text (backticks, string splits, [char] codes)',
  severity: 'medium',
  step: '4',
  attack: ['T1027.010'],
  description: 'Only normalisation revealed the commands matched here.',
});

export const nestedEncoded = defineFinding({
  id: 'powershell.nested-encoded-command',
  title: 'PowerShell decodes and runs further base64 content',
  severity: 'medium',
  step: '4',
  attack: ['T1027', 'T1140'],
  description:
    'A second layer of -EncodedCommand or FromBase64String; the decoded text is scanned as a child.',
});

export const POWERSHELL_FINDINGS = [
  downloadCradle,
  executesPayload,
  downloadAndExecute,
  urlListLoop,
  obfuscated,
  nestedEncoded,
] as const;
