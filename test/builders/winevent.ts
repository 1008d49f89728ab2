/**
 * Windows events in the evtx-rs JSON layout (`{"Event":{"System":{…},"EventData":{…}}}`), the shape
 * Chainsaw, Hayabusa and SigmaHQ's test data use and the one hunt engines read, built from a short spec.
 *
 * @example
 * buildWinEvent({ channel: 'Microsoft-Windows-Sysmon/Operational', eventId: 1, data: { Image: 'C:\\x.exe' } })
 */
import type { LogEvent } from '../../src/core/index.js';

export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
export const SECURITY = 'Security';

export interface WinEventSpec {
  channel: string;
  eventId: number;
  /** EventData fields by name; omit for a UserData event. */
  data?: Record<string, unknown>;
  /** UserData: `{ <Element>: { field: value } }`. */
  userData?: Record<string, unknown>;
  provider?: string;
  computer?: string;
  /** ISO 8601 UTC. */
  time?: string;
  recordId?: number;
  /** EventID Qualifiers (classic providers): EventID becomes `{#attributes:{Qualifiers},#text}`. */
  qualifiers?: number;
}

const PROVIDERS: Record<string, string> = {
  [SYSMON]: 'Microsoft-Windows-Sysmon',
  [SECURITY]: 'Microsoft-Windows-Security-Auditing',
  'Microsoft-Windows-PowerShell/Operational': 'Microsoft-Windows-PowerShell',
  'Windows PowerShell': 'PowerShell',
};

export function buildWinEvent(spec: WinEventSpec): Record<string, unknown> {
  const system: Record<string, unknown> = {
    Provider: { '#attributes': { Name: spec.provider ?? PROVIDERS[spec.channel] ?? spec.channel } },
    EventID:
      spec.qualifiers === undefined
        ? spec.eventId
        : { '#attributes': { Qualifiers: spec.qualifiers }, '#text': spec.eventId },
    Version: 5,
    Level: 4,
    Task: 1,
    Opcode: 0,
    Keywords: '0x8000000000000000',
    TimeCreated: { '#attributes': { SystemTime: spec.time ?? '2024-05-01T10:00:00.000000Z' } },
    EventRecordID: spec.recordId ?? 1,
    Correlation: null,
    Execution: { '#attributes': { ProcessID: 2000, ThreadID: 3000 } },
    Channel: spec.channel,
    Computer: spec.computer ?? 'WS01.example.com',
    Security: { '#attributes': { UserID: 'S-1-5-18' } },
  };
  const event: Record<string, unknown> = {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: system,
  };
  if (spec.userData) event.UserData = spec.userData;
  else event.EventData = spec.data ?? {};
  return { Event: event };
}

/** The same event wrapped as a LogEvent, as hunt engines receive it. */
export function buildLogEvent(spec: WinEventSpec, path = 'test.evtx'): LogEvent {
  return {
    kind: 'windows',
    source: { path, recordId: spec.recordId ?? 1 },
    host: spec.computer ?? 'WS01.example.com',
    time: spec.time ?? '2024-05-01T10:00:00.000000Z',
    data: buildWinEvent(spec),
  };
}

/** Sysmon 1 (process creation) with the fields Sigma process_creation rules read. */
export function sysmonProcess(
  fields: Record<string, string>,
  spec: Partial<WinEventSpec> = {},
): LogEvent {
  return buildLogEvent({
    channel: SYSMON,
    eventId: 1,
    data: {
      RuleName: '-',
      UtcTime: '2024-05-01 10:00:00.000',
      ProcessGuid: '{00000000-0000-0000-0000-000000000001}',
      ProcessId: '4242',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      OriginalFileName: 'Cmd.Exe',
      CommandLine: 'cmd.exe',
      CurrentDirectory: 'C:\\Windows\\system32\\',
      User: 'EXAMPLE\\alice',
      IntegrityLevel: 'Medium',
      ParentImage: 'C:\\Windows\\explorer.exe',
      ParentCommandLine: 'C:\\Windows\\Explorer.EXE',
      ...fields,
    },
    ...spec,
  });
}
