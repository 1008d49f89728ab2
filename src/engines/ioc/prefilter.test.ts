import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Detection, HuntEngine, LogEvent } from '../../core/index.js';
import { NetlogReader } from '../../formats/netlog/index.js';
import { buildZeekTsv, connRow, httpRow, T0, type ZeekRow } from '../../../test/builders/netlog.js';
import { buildIocSet, createIocHuntEngine, createIocPrefilter, type IocInput } from './index.js';

const INTEL: IocInput[] = [
  { type: 'ip-port', value: '198.51.100.7:8080', source: 'feodotracker', malware: 'Emotet' },
  { type: 'cidr', value: '203.0.113.128/25', source: 'misp:CIRCL' },
];

function events(text: string, path: string, filter?: ReturnType<typeof createIocPrefilter>) {
  const reader = new NetlogReader({ path, ...(filter ? { filter } : {}) });
  const out: LogEvent[] = [...reader.push(new TextEncoder().encode(text)), ...reader.end()];
  return { events: out, reader };
}

function hunt(engine: HuntEngine, list: LogEvent[]): Detection[] {
  const out: Detection[] = [];
  for (const e of list) out.push(...engine.match(e));
  out.push(...(engine.finish?.() ?? []));
  return out;
}
const ids = (ds: Detection[]) => ds.map((d) => d.rule.id);
test('ioc prefilter: a filtered conn.log gives the same detections, parsing only the records that matter', () => {
  const rows: ZeekRow[] = [];
  for (let i = 0; i < 300; i++)
    rows.push(connRow({ ts: T0 + i, 'id.resp_h': `192.0.2.${i % 200}`, 'id.resp_p': 443 }));
  rows.push(connRow({ 'id.resp_h': '198.51.100.7', 'id.resp_p': 8080 }));
  rows.push(connRow({ 'id.orig_h': '203.0.113.130', 'id.resp_h': '10.0.0.5', 'id.resp_p': 3389 }));
  for (let i = 0; i < 9; i++)
    rows.push(
      connRow({
        ts: T0 + i,
        'id.orig_h': '10.0.0.77',
        'id.resp_h': `192.0.2.${i + 1}`,
        'id.resp_p': 7080,
      }),
    );
  const text = buildZeekTsv('conn', rows);
  const options = { iocs: buildIocSet(INTEL) };
  const plain = hunt(createIocHuntEngine(options), events(text, 'conn.log').events);
  const { events: kept, reader } = events(text, 'conn.log', createIocPrefilter(options));
  const filtered = hunt(createIocHuntEngine(options), kept);
  assert.deepEqual(
    filtered.map((d) => [d.rule.id, d.host, d.ioc?.value]),
    plain.map((d) => [d.rule.id, d.host, d.ioc?.value]),
  );
  assert.deepEqual(ids(plain), ['c2-match', 'c2-match', 'c2-rotation']);
  assert.equal(kept.length, 11);
  assert.equal(reader.summary().filtered, 300);
  const http = new NetlogReader({ path: 'http.log', filter: createIocPrefilter(options) });
  assert.equal(
    [...http.push(new TextEncoder().encode(buildZeekTsv('http', [httpRow()]))), ...http.end()]
      .length,
    1,
    'other logs are always parsed',
  );
});
