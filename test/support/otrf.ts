/**
 * OTRF Security-Datasets (../shared/data/evtx/*.zip) for tests and benches: JSON Lines of NXLog-style
 * flat events, converted here to the evtx-rs layout (`{Event:{System,EventData}}`) that hunt engines
 * read. A test helper, not the product's reader (src/formats/evtx reads these logs for `emoguard hunt`).
 * NXLog flattens System and EventData into one object and adds its own fields; when it had to rename a
 * colliding event field it keeps the original as `EventTypeOrignal` (sic).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { TextWriter, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import type { LogEvent } from '../../src/core/index.js';

/** NXLog's own fields and the System fields it flattens: everything else is EventData. */
const NXLOG_FIELDS = new Set([
  '@timestamp',
  '@version',
  'AccountName',
  'AccountType',
  'ActivityID',
  'Category',
  'Channel',
  'Domain',
  'ERROR_EVT_UNRESOLVED',
  'EventID',
  'EventReceivedTime',
  'EventTime',
  'EventType',
  'EventTypeOrignal',
  'ExecutionProcessID',
  'Hostname',
  'Keywords',
  'Message',
  'Opcode',
  'OpcodeValue',
  'ProviderGuid',
  'RecordNumber',
  'Severity',
  'SeverityValue',
  'SourceModuleName',
  'SourceModuleType',
  'SourceName',
  'Task',
  'ThreadID',
  'UserID',
  'Version',
  'host',
  'port',
  'tags',
]);

/** One flat NXLog record → the evtx-rs JSON layout. */
export function nxlogToEvtx(flat: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flat)) if (!NXLOG_FIELDS.has(k)) data[k] = v;
  if ('EventTypeOrignal' in flat) data.EventType = flat.EventType; // Sysmon's EventType, renamed by NXLog
  return {
    Event: {
      System: {
        Provider: { '#attributes': { Name: flat.SourceName, Guid: flat.ProviderGuid } },
        EventID: flat.EventID,
        Version: flat.Version,
        Task: flat.Task,
        Opcode: flat.OpcodeValue,
        Keywords: flat.Keywords,
        TimeCreated: { '#attributes': { SystemTime: flat['@timestamp'] } },
        EventRecordID: flat.RecordNumber,
        Execution: {
          '#attributes': { ProcessID: flat.ExecutionProcessID, ThreadID: flat.ThreadID },
        },
        Channel: flat.Channel,
        Computer: flat.Hostname,
        Security: { '#attributes': { UserID: flat.UserID } },
      },
      EventData: data,
    },
  };
}

/** Every event of an OTRF dataset zip, in file order, as LogEvents. */
export async function readOtrfZip(path: string): Promise<LogEvent[]> {
  const reader = new ZipReader(new Uint8ArrayReader(new Uint8Array(readFileSync(path))));
  const events: LogEvent[] = [];
  try {
    for (const entry of await reader.getEntries()) {
      if (entry.directory || !entry.getData) continue;
      const text = await entry.getData(new TextWriter());
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (lines[i]!.trim() === '') continue;
        const flat = JSON.parse(lines[i]!) as Record<string, unknown>;
        events.push({
          kind: 'windows',
          source: { path: `${basename(path)}!${entry.filename}`, line: i + 1 },
          ...(typeof flat.Hostname === 'string' ? { host: flat.Hostname } : {}),
          ...(typeof flat['@timestamp'] === 'string' ? { time: flat['@timestamp'] } : {}),
          data: nxlogToEvtx(flat),
        });
      }
    }
  } finally {
    await reader.close();
  }
  return events;
}
