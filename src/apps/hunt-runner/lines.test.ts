import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { huntNoStore, POWERSHELL as PS, processCreator } from '../../../test/support/hunt-evtx.js';
import { buildEvtx, type EvtxRecordSpec } from '../../../test/builders/evtx.js';
import { evtxRecordToLogEvent, readEvtx } from '../../formats/evtx/index.js';
import { LINE_RANGE_BYTES, lineRanges, poolKind } from './index.js';

const guid = (pid: number) => `{5770385F-0000-0000-0000-${String(pid).padStart(12, '0')}}`;
const proc = processCreator(guid);
const WORD = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE';

const tempDir = () => mkdtempSync(join(tmpdir(), 'emoguard-hunt-lines-'));

/** The events of records built in code, as evtx-rs JSON lines (what `emoguard evtx --json` prints). */
function jsonLines(records: EvtxRecordSpec[]): string[] {
  const chunks = [];
  for (let i = 0; i < records.length; i += 20) chunks.push({ records: records.slice(i, i + 20) });
  const lines: string[] = [];
  for (const item of readEvtx(buildEvtx({ chunks })))
    if (item.type === 'record') lines.push(JSON.stringify(evtxRecordToLogEvent(item, 'x').data));
  return lines;
}

/**
 * A JSON Lines log of more than two ranges, CRLF line ends, with the Word → WMI → PowerShell →
 * rundll32 chain spread over it, a broken line that straddles the first cut and filler lines.
 */
function bigJsonl(dir: string): { path: string; lines: string[]; broken: number } {
  let id = 1;
  const filler = () => {
    const i = id++;
    return proc(i, 5000 + i, 4, 'C:\\Windows\\System32\\svchost.exe', 'x', `svchost -k ${i}`);
  };
  const chain = [
    proc(id++, 1003, 900, WORD, 'C:\\Windows\\explorer.exe', 'WINWORD.EXE /n a.doc'),
    proc(id++, 2003, 1500, PS, 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', 'powershell -nop'),
    proc(
      id++,
      3003,
      2003,
      'C:\\Windows\\System32\\rundll32.exe',
      PS,
      'rundll32.exe C:\\ProgramData\\a.dll,Control_RunDLL',
    ),
  ];
  const fill = jsonLines(Array.from({ length: 200 }, filler));
  const [word, ps, dll] = jsonLines(chain);
  const lines: string[] = [word!];
  let size = word!.length + 2;
  let broken = 0;
  for (let i = 0; size < 2.3 * LINE_RANGE_BYTES; i++) {
    const line = fill[i % fill.length]!;
    // The broken line covers the first nominal cut: it belongs to the first range.
    if (broken === 0 && size + line.length + 2 > LINE_RANGE_BYTES) {
      lines.push(`{"Event": {"System": ${'x'.repeat(line.length)}`);
      broken = lines.length;
    } else lines.push(line);
    size += lines.at(-1)!.length + 2;
    if (lines.length === 700) lines.push(ps!);
  }
  lines.push(dll!);
  const path = join(dir, 'big.jsonl');
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return { path, lines, broken };
}

describe('hunt on all cores: JSON Lines', () => {
  test('lineRanges: ranges end after a newline; a straddling line belongs to the range it starts in', () => {
    const dir = tempDir();
    const path = join(dir, 'r.jsonl');
    writeFileSync(path, 'aaaa\r\nbbbbbbbb\r\ncc\nd');
    assert.deepEqual(lineRanges(path, undefined, 8), [
      { start: 0, end: 16 },
      { start: 16, end: 20 },
    ]);
    assert.deepEqual(lineRanges(path, undefined, 3), [
      { start: 0, end: 6 },
      { start: 6, end: 16 },
      { start: 16, end: 19 },
      { start: 19, end: 20 },
    ]);
    writeFileSync(path, '');
    assert.deepEqual(lineRanges(path, undefined, 8), [], 'an empty file has no range');
    writeFileSync(path, 'x'.repeat(100));
    assert.deepEqual(lineRanges(path, undefined, 8), [{ start: 0, end: 100 }]);
  });

  test('poolKind: EVTX and JSON Lines split; a JSON array, pretty JSON and UTF-16 do not', () => {
    const dir = tempDir();
    const kind = (name: string, text: string | Uint8Array) => {
      writeFileSync(join(dir, name), text);
      return poolKind(join(dir, name));
    };
    assert.equal(kind('a.jsonl', '{"Event":{}}\n{"Event":{}}\n'), 'lines');
    assert.equal(kind('b.json', '[{"Event":{}},\n{"Event":{}}]\n'), undefined);
    assert.equal(kind('c.json', '{\n  "Event": {}\n}\n'), undefined);
    assert.equal(kind('d.log', 'May 1 host sysmon: <Event/>\n'), 'lines');
    assert.equal(kind('e.jsonl', new Uint8Array([0xff, 0xfe, 0x7b, 0])), undefined);
    assert.equal(kind('f.jsonl', ''), 'lines', 'an empty file has no task');
  });

  test('--workers 2 gives the output of one thread: detections, lines, chain, anomalies', async () => {
    const dir = tempDir();
    const { path, lines, broken } = bigJsonl(dir);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const small = join(dir, 'small.jsonl');
    writeFileSync(small, `${lines[0]}\n{"a": tru}\n`);
    const args = ['--json', '--tree', path, empty, small];
    const one = await huntNoStore('emoguard-hunt-lines-db-', '--workers', '1', ...args);
    const two = await huntNoStore('emoguard-hunt-lines-db-', '--workers', '2', ...args);
    assert.equal(two.code, one.code, two.stderr);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.stderr, one.stderr);
    assert.match(one.stdout, /"id":"office-wmi-powershell-payload"/, 'the chain across ranges');
    assert.ok(
      one.stderr.includes(`${path}:${broken}: E_WINLOG_BAD_JSON`),
      `the broken line is named: ${one.stderr}`,
    );
    assert.ok(one.stderr.includes(`${small}:2: E_WINLOG_BAD_JSON`), 'and in the second file');
    // Every detection's line is the line of its event.
    const detections = one.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: { path: string; line?: number }; event?: unknown });
    const onLines = detections.filter((d) => d.source.path === path && d.event);
    assert.ok(onLines.length >= 2, 'detections in the big file');
    for (const d of onLines)
      assert.equal(lines[d.source.line! - 1], JSON.stringify(d.event), `line ${d.source.line}`);
  });
});
