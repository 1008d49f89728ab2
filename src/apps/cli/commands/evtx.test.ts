import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildEvtx, type EvtxRecordSpec, eventRoot } from '../../../../test/builders/evtx.js';
import type { CliIO } from '../io.js';
import { loadWinlogMappings, readLogEvents, runEvtx } from './evtx.js';

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (sink: (s: string) => void) =>
    ({
      write: (s: string) => (sink(s), true),
      once: () => undefined,
    }) as unknown as NodeJS.WriteStream;
  return {
    io: { stdout: stream((s) => (out += s)), stderr: stream((s) => (err += s)), env: {} },
    out: () => out,
    err: () => err,
  };
}

const record = (id: number, image: string): EvtxRecordSpec => ({
  recordId: id,
  time: '2024-05-01T10:00:00.000000Z',
  event: eventRoot({
    System: {
      EventID: 1,
      TimeCreated: { '#attributes': { SystemTime: '2024-05-01T10:00:00.000001Z' } },
      EventRecordID: 100 + id,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'ws01.example.com',
    },
    EventData: { Image: image, ParentImage: 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe' },
  }),
  types: { 'Event.System.TimeCreated.#attributes.SystemTime': 'filetime' },
});

function files() {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-evtx-'));
  const evtx = join(dir, 'a.evtx');
  // Two chunks while the header claims one: the second must still be printed, with a warning.
  writeFileSync(
    evtx,
    buildEvtx({
      chunks: [
        { records: [record(1, 'C:\\x\\powershell.exe')] },
        { records: [record(2, 'C:\\x\\cmd.exe')] },
      ],
      headerChunkCount: 1,
    }),
  );
  const jsonl = join(dir, 'b.jsonl');
  writeFileSync(jsonl, `${JSON.stringify(record(3, 'C:\\x\\rundll32.exe').event)}\n`);
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'nothing to see\n');
  return { dir, evtx, jsonl, text };
}

test('cli evtx --json: one evtx-rs object per record, EVTX and JSON alike; anomalies are warnings', async () => {
  const { evtx, jsonl } = files();
  const c = capture();
  assert.equal(await runEvtx([evtx, jsonl], { json: true }, c.io), 0);
  const lines = c
    .out()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(lines, [
    record(1, 'C:\\x\\powershell.exe').event,
    record(2, 'C:\\x\\cmd.exe').event,
    record(3, 'C:\\x\\rundll32.exe').event,
  ]);
  assert.match(c.err(), /warning: .*a\.evtx: E_EVTX_HEADER_CHUNK_COUNT/);
});

test('cli evtx: one readable line per record, a header per file when there are several', async () => {
  const { evtx } = files();
  const c = capture();
  assert.equal(await runEvtx([evtx], {}, c.io), 0);
  assert.deepEqual(c.out().trim().split('\n'), [
    '2024-05-01T10:00:00.000001Z  #101  Microsoft-Windows-Sysmon/Operational  1  ws01.example.com  Image=C:\\x\\powershell.exe ParentImage=C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
    '2024-05-01T10:00:00.000001Z  #102  Microsoft-Windows-Sysmon/Operational  1  ws01.example.com  Image=C:\\x\\cmd.exe ParentImage=C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
  ]);
});

test('cli evtx: unreadable files, directories and non-logs → exit 2, the other files still printed', async () => {
  const { dir, evtx, text } = files();
  const c = capture();
  assert.equal(
    await runEvtx([join(dir, 'missing.evtx'), dir, text, evtx], { json: true }, c.io),
    2,
  );
  assert.equal(c.out().trim().split('\n').length, 2);
  assert.match(c.err(), /missing\.evtx: cannot read: ENOENT/);
  assert.match(c.err(), /: cannot read: is a directory/);
  assert.match(c.err(), /notes\.txt: no Windows events found/);
});

test('cli evtx: readLogEvents gives hunt events for EVTX (System/EventRecordID) and JSON logs', () => {
  const { evtx, jsonl } = files();
  const mappings = loadWinlogMappings();
  const sources = [...readLogEvents(evtx, mappings), ...readLogEvents(jsonl, mappings)].flatMap(
    (i) => (i.type === 'event' ? [i.event.source] : []),
  );
  assert.deepEqual(sources, [
    { path: evtx, recordId: 101 },
    { path: evtx, recordId: 102 },
    { path: jsonl, line: 1 },
  ]);
});
