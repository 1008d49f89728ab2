import { defineFinding } from '../../core/index.js';

// EmoCheck's published methods (JPCERTCC/EmoCheck, emocheck/modules/scan_v1…v5.cpp). A candidate they
// name that is running is Emotet: critical. The same candidate on disk, persistent but not running, is
// triage.emotet-loader-dormant.

export const emocheckV1 = defineFinding({
  id: 'triage.emocheck-v1-process-name',
  title: 'Emotet running under the name derived from the volume serial (EmoCheck v1)',
  severity: 'critical',
  step: '6',
  attack: ['T1036'],
  description:
    'Emotet before February 2020 named its executable by two words of a fixed 64-word dictionary chosen by ' +
    'the system volume serial number (e.g. khmerbid.exe). A process with exactly that name is running.',
});

export const emocheckV2 = defineFinding({
  id: 'triage.emocheck-v2-registry-name',
  title: 'Emotet running under the name stored in its Explorer registry value (EmoCheck v2)',
  severity: 'critical',
  step: '6',
  attack: ['T1112', 'T1036'],
  description:
    'From February 2020 Emotet kept its file name XOR-encoded with the volume serial in a REG_BINARY value ' +
    'named by the serial in hex, under …\\CurrentVersion\\Explorer. The decoded name is a running process.',
});

export const emocheckV3 = defineFinding({
  id: 'triage.emocheck-v3-system32-name',
  title: 'Emotet running as a System32-named executable from a same-named folder (EmoCheck v3)',
  severity: 'critical',
  step: '6',
  attack: ['T1036.005', 'T1547.001'],
  description:
    'From August 2020 Emotet copied itself to %LOCALAPPDATA%\\<name>\\<name>.exe (or SysWOW64) using names ' +
    'of System32 files, with a Run value of the same name. The file differs from the System32 original and ' +
    'is the image of a running process.',
});

export const emocheckV4 = defineFinding({
  id: 'triage.emocheck-v4-rundll32-dll',
  title: 'Emotet DLL in a random folder run by rundll32 from a Run key or service (EmoCheck v4)',
  severity: 'critical',
  step: '6',
  attack: ['T1218.011', 'T1547.001', 'T1543.003'],
  description:
    'From December 2020 Emotet was a DLL named <letters>.<3 letters> in a random folder of %LOCALAPPDATA% ' +
    '(a Run value) or SysWOW64 (a service), started by rundll32.exe. A rundll32 process runs that file.',
});

export const emocheckV5 = defineFinding({
  id: 'triage.emocheck-v5-timestomp',
  title: 'Emotet file timestamped exactly 7 days before its folder, and running (EmoCheck v5)',
  severity: 'critical',
  step: '6',
  attack: ['T1070.006'],
  description:
    "Emotet's installer sets its file's last-write time 7 days back; the folder it created keeps the real " +
    'time. A PE one folder deep in %LOCALAPPDATA% or SysWOW64 whose time is the folder time minus 7 days ' +
    '(±0.3 s) is on the command line of a running process.',
});

export const loaderDormant = defineFinding({
  id: 'triage.emotet-loader-dormant',
  title: 'Emotet loader present and persistent, but no process runs it',
  severity: 'high',
  step: '6',
  attack: ['T1547.001'],
  description:
    'An EmoCheck method found its candidate (the v2 registry marker, a v3/v4 file with its Run value or ' +
    'service, a v5 timestomped PE) but no running process matches: Emotet will start again at logon or ' +
    'boot. Remove the file and its autorun entry.',
});

// emoguard's own checks.

export const userDirRandomProcess = defineFinding({
  id: 'triage.user-dir-random-process',
  title:
    'Process with a random-looking name runs from AppData, Temp or another user-writable folder',
  severity: 'medium',
  step: '6',
  attack: ['T1204.002'],
  description:
    'Loaders dropped by macros run from folders a user can write to, under generated names. Legitimate ' +
    'per-user software uses product names; this one does not.',
});

export const runKeyUserDir = defineFinding({
  id: 'triage.run-key-user-dir',
  title: 'Run key starts a random-named program, or a DLL from a user-writable folder',
  severity: 'high',
  step: '6',
  attack: ['T1547.001'],
  description:
    'A Run/RunOnce value launches a random-named executable from AppData/Temp, rundll32/regsvr32 with a ' +
    'DLL from such a folder, or encoded PowerShell: how Emotet and its successors survive a reboot.',
});

export const serviceUserDir = defineFinding({
  id: 'triage.service-user-dir',
  title: 'Service runs a program or DLL from a user-writable or random folder',
  severity: 'high',
  step: '6',
  attack: ['T1543.003'],
  description:
    'A service whose binary path or ServiceDll points into AppData, Temp, ProgramData or a random folder ' +
    'of SysWOW64, or runs rundll32/regsvr32 on such a DLL: Emotet installed itself so when it had admin rights.',
});

export const taskUserDir = defineFinding({
  id: 'triage.task-user-dir',
  title: 'Scheduled task runs a random-named program, a user-folder DLL or encoded PowerShell',
  severity: 'high',
  step: '6',
  attack: ['T1053.005'],
  description:
    'A scheduled task action launches a random-named executable from a user-writable folder, a DLL from ' +
    'one through rundll32/regsvr32, or PowerShell with an encoded command.',
});

export const wmiPowerShell = defineFinding({
  id: 'triage.wmi-powershell-running',
  title: 'PowerShell started by WMI (WmiPrvSE.exe) is still running',
  severity: 'high',
  step: '4',
  attack: ['T1047', 'T1059.001'],
  description:
    'Emotet macros start PowerShell through Win32_Process.Create, so its parent is WmiPrvSE.exe, not Word. ' +
    'Such a process still running at collection time is the download step caught in the act.',
});

export const rundll32UserDir = defineFinding({
  id: 'triage.rundll32-user-dir',
  title: 'rundll32 runs a DLL from a user-writable or random folder',
  severity: 'high',
  step: '6',
  attack: ['T1218.011'],
  description:
    'rundll32.exe is running a DLL from AppData/Temp/ProgramData or a random folder of SysWOW64, through ' +
    'Control_RunDLL, an ordinal (#1) or another export: how Emotet ran from December 2020 on.',
});

export const regsvr32UserDir = defineFinding({
  id: 'triage.regsvr32-user-dir',
  title: 'regsvr32 runs a DLL from a user-writable or random folder',
  severity: 'high',
  step: '6',
  attack: ['T1218.010'],
  description:
    'regsvr32.exe is loading a DLL from AppData/Temp/ProgramData or a random folder: the way Emotet ran ' +
    'its 64-bit loader in 2022.',
});

export const systemNameMasquerade = defineFinding({
  id: 'triage.system-name-masquerade',
  title: 'Process named like a Windows system binary runs from outside the Windows folder',
  severity: 'high',
  step: '6',
  attack: ['T1036.005'],
  description:
    'svchost.exe, lsass.exe, rundll32.exe, explorer.exe … exist only under C:\\Windows. The same name ' +
    'elsewhere hides malware among the processes a responder expects to see.',
});

export const checksIncomplete = defineFinding({
  id: 'triage.checks-incomplete',
  title: 'Some triage checks could not run on this snapshot',
  severity: 'low',
  step: '6',
  attack: [],
  description:
    'The snapshot lacks what a check needs (volume serial, file listing, process image paths): "not ' +
    'detected" then means "not checked" for that method. Collect again with collect.ps1 or the ' +
    'Custom.Emoguard.HostSnapshot artifact.',
});

export const mailDataAtRisk = defineFinding({
  id: 'triage.mail-data-at-risk',
  title: 'Outlook data files and address books on the host',
  severity: 'info',
  step: '6',
  attack: ['T1114.001'],
  description:
    'Emotet steals mail threads and address books from an infected host and replays them to the ' +
    'correspondents (JPCERT/CC Emotet FAQ). The snapshot lists the mail stores (.pst, .ost) and address ' +
    'books (.nk2, .wab, Outlook autocomplete streams, Windows Contacts) whose owners must be warned.',
});

export const TRIAGE_FINDINGS = [
  emocheckV1,
  emocheckV2,
  emocheckV3,
  emocheckV4,
  emocheckV5,
  loaderDormant,
  userDirRandomProcess,
  runKeyUserDir,
  serviceUserDir,
  taskUserDir,
  wmiPowerShell,
  rundll32UserDir,
  regsvr32UserDir,
  systemNameMasquerade,
  checksIncomplete,
  mailDataAtRisk,
] as const;
