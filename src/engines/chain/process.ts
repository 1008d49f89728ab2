import type { LogEvent } from '../../core/index.js';

/** A process start from Sysmon 1 or Security 4688, fields named as Sysmon names them. */
export interface ProcessStart {
  host: string;
  time: number;
  image: string;
  parentImage: string;
  commandLine: string;
  user: string;
  /** ProcessGuid (Sysmon) or `pid:<id>` (4688). */
  id: string;
  parentId: string;
  event: LogEvent;
}

const SYSMON = 'microsoft-windows-sysmon/operational';

/** Reads a process creation from the evtx-rs layout; undefined for any other event. */
export function processStart(event: LogEvent): ProcessStart | undefined {
  const root = event.data.Event as Record<string, unknown> | undefined;
  const system = root?.System as Record<string, unknown> | undefined;
  const data = root?.EventData as Record<string, unknown> | undefined;
  if (!system || !data) return undefined;
  const channel = String(system.Channel ?? '').toLowerCase();
  const rawId = system.EventID;
  const eventId = Number(
    typeof rawId === 'object' && rawId ? (rawId as Record<string, unknown>)['#text'] : rawId,
  );
  const str = (k: string) =>
    typeof data[k] === 'string'
      ? (data[k] as string)
      : typeof data[k] === 'number'
        ? String(data[k])
        : '';
  const host = event.host ?? String(system.Computer ?? '');
  const time = Date.parse(event.time ?? '') || 0;
  if (channel === SYSMON && eventId === 1) {
    return {
      host,
      time,
      event,
      image: str('Image'),
      parentImage: str('ParentImage'),
      commandLine: str('CommandLine'),
      user: str('User'),
      id: str('ProcessGuid') || `pid:${str('ProcessId')}`,
      parentId: str('ParentProcessGuid') || `pid:${str('ParentProcessId')}`,
    };
  }
  if (channel === 'security' && eventId === 4688) {
    return {
      host,
      time,
      event,
      image: str('NewProcessName'),
      parentImage: str('ParentProcessName'),
      commandLine: str('CommandLine'),
      user: str('SubjectUserName'),
      id: `pid:${parseInt(str('NewProcessId'), 16) || str('NewProcessId')}`,
      parentId: `pid:${parseInt(str('ProcessId'), 16) || str('ProcessId')}`,
    };
  }
  return undefined;
}

export const baseName = (path: string) => path.split(/[\\/]/).pop()!.toLowerCase();
