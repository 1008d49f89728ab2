/**
 * Windows telemetry of the demo host as Sysmon, Security, System and PowerShell events in the evtx-rs JSON
 * layout (`{"Event":{"System":…,"EventData":…}}`, one per line) that `emoguard hunt` reads; the
 * infected host's events (⑥, post) are in telemetry-infected.ts. Inert text:
 * paths, names and TEST-NET addresses; the command lines are never run.
 */
import { DEMO_HOST } from './host.js';

export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const PROVIDER: Record<string, string> = {
  [SYSMON]: 'Microsoft-Windows-Sysmon',
  Security: 'Microsoft-Windows-Security-Auditing',
  System: 'Service Control Manager',
  'Microsoft-Windows-PowerShell/Operational': 'Microsoft-Windows-PowerShell',
};

export interface WinEventSpec {
  channel: string;
  eventId: number;
  /** Seconds after the mail arrived (2026-11-20 00:12:00 UTC). */
  at: number;
  data: Record<string, string>;
}

const START = Date.parse('2026-11-20T00:12:00Z');

export function eventTime(at: number): string {
  return new Date(START + at * 1000).toISOString().replace(/Z$/, '000Z');
}

export function winEvent(spec: WinEventSpec, recordId: number): Record<string, unknown> {
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: PROVIDER[spec.channel] ?? spec.channel } },
        EventID: spec.eventId,
        Version: 5,
        Level: 4,
        Task: 1,
        Opcode: 0,
        Keywords: '0x8000000000000000',
        TimeCreated: { '#attributes': { SystemTime: eventTime(spec.at) } },
        EventRecordID: recordId,
        Correlation: null,
        Execution: { '#attributes': { ProcessID: 2000, ThreadID: 3000 } },
        Channel: spec.channel,
        Computer: DEMO_HOST.fqdn,
        Security: { '#attributes': { UserID: DEMO_HOST.sid } },
      },
      EventData: spec.data,
    },
  };
}

/** JSON Lines: one event per line, as `evtx_dump -o jsonl` writes. */
export function toJsonLines(events: readonly WinEventSpec[]): Uint8Array {
  return new TextEncoder().encode(
    events.map((e, i) => JSON.stringify(winEvent(e, 1001 + i))).join('\n') + '\n',
  );
}

const WORD = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE';
const WMI = 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe';
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
export const RUNDLL32 = 'C:\\Windows\\System32\\rundll32.exe';
export const OUTLOOK = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE';

/** Sysmon's process GUID; one per pid in this story, so parents and children join as on a real host. */
export const processGuid = (pid: number) =>
  `{5d1c0a00-6a2b-673d-0000-${String(pid).padStart(12, '0')}}`;

/** Sysmon 1: process creation with the fields Sigma's process_creation rules read. */
export function processCreate(
  at: number,
  fields: {
    image: string;
    commandLine: string;
    parentImage: string;
    parentCommandLine?: string;
    pid: number;
    parentPid: number;
  },
): WinEventSpec {
  return {
    channel: SYSMON,
    eventId: 1,
    at,
    data: {
      RuleName: '-',
      UtcTime: eventTime(at).slice(0, 23).replace('T', ' '),
      ProcessGuid: processGuid(fields.pid),
      ProcessId: String(fields.pid),
      Image: fields.image,
      OriginalFileName: fields.image.slice(fields.image.lastIndexOf('\\') + 1),
      CommandLine: fields.commandLine,
      CurrentDirectory: `${DEMO_HOST.profile}\\Documents\\`,
      User: DEMO_HOST.account,
      IntegrityLevel: 'Medium',
      ParentProcessGuid: processGuid(fields.parentPid),
      ParentProcessId: String(fields.parentPid),
      ParentImage: fields.parentImage,
      ParentCommandLine: fields.parentCommandLine ?? fields.parentImage,
    },
  };
}

/** ② Word opens the attachment Outlook saved; ③ Word loads the VBA runtime. */
export function openDocumentEvents(document: string): WinEventSpec[] {
  return [
    processCreate(60, {
      image: WORD,
      commandLine: `"${WORD}" /n "${document}" /o ""`,
      parentImage: OUTLOOK,
      pid: 3700,
      parentPid: 3300,
    }),
  ];
}

export function macroRunsEvents(): WinEventSpec[] {
  return [
    {
      channel: SYSMON,
      eventId: 7,
      at: 75,
      data: {
        RuleName: '-',
        Image: WORD,
        ImageLoaded: 'C:\\Program Files\\Common Files\\Microsoft Shared\\VBA\\VBA7.1\\VBE7.DLL',
        Signed: 'true',
        User: DEMO_HOST.account,
      },
    },
  ];
}

/** ④ WMI's provider host starts the hidden, encoded PowerShell (Win32_Process.Create from the macro). */
export function wmiPowerShellEvents(encoded: string): WinEventSpec[] {
  return [
    processCreate(80, {
      image: POWERSHELL,
      commandLine: `powershell -w hidden -enc ${encoded}`,
      parentImage: WMI,
      parentCommandLine: `${WMI} -secured -Embedding`,
      pid: 4100,
      parentPid: 2044,
    }),
  ];
}

/** ⑤ The decoded script as PowerShell script-block logging (4104) records it. */
export function scriptBlockEvents(script: string): WinEventSpec[] {
  return [
    {
      channel: 'Microsoft-Windows-PowerShell/Operational',
      eventId: 4104,
      at: 81,
      data: {
        MessageNumber: '1',
        MessageTotal: '1',
        ScriptBlockText: script,
        ScriptBlockId: '{0b7e2c1a-0000-4000-8000-000000000001}',
        Path: '',
      },
    },
  ];
}

export function loaderEvents(dll: string): WinEventSpec[] {
  return [
    processCreate(95, {
      image: RUNDLL32,
      commandLine: `rundll32.exe "${dll}",Control_RunDLL`,
      parentImage: POWERSHELL,
      parentCommandLine: 'powershell -w hidden -enc …',
      pid: 4200,
      parentPid: 4100,
    }),
  ];
}
