import type { LogEvent } from '../../core/index.js';
import type { EvtxRecord } from './types.js';

function pick(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * A record as a hunt event: host from System/Computer, time from System/TimeCreated/@SystemTime (the
 * record header's time when absent), and as record id System/EventRecordID, the number Event Viewer
 * shows (an exported or filtered log renumbers its record headers but keeps it), else the header's.
 */
export function evtxRecordToLogEvent(record: EvtxRecord, path: string): LogEvent {
  const system = pick(pick(record.event, 'Event'), 'System');
  const computer = pick(system, 'Computer');
  const systemTime = pick(pick(pick(system, 'TimeCreated'), '#attributes'), 'SystemTime');
  const eventRecordId = pick(system, 'EventRecordID');
  return {
    kind: 'windows',
    source: {
      path,
      recordId: typeof eventRecordId === 'number' ? eventRecordId : record.recordId,
    },
    ...(typeof computer === 'string' && computer !== '' ? { host: computer } : {}),
    time: typeof systemTime === 'string' && systemTime !== '' ? systemTime : record.time,
    data: record.event,
  };
}
