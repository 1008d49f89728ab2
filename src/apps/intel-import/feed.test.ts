import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeFeodoCsv, writeUrlhausCsv } from '../../formats/intel/index.js';
import { openSqliteStore, type IntelRows } from '../../store/index.js';
import { feedRows, type FeedOutcome } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-intel-feed-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse('2024-02-01T00:00:00Z');

function urlhausFile(n: number): string {
  const path = join(dir, `urlhaus-${n}.csv`);
  const entries = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    dateAdded: `2024-01-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`,
    url: `http://198.51.100.${i % 250}/p/${i}.doc`,
    tags: i % 2 ? ['doc', 'emotet'] : [],
  }));
  writeFileSync(path, writeUrlhausCsv(entries, { banner: (t) => `# ${t}`, reporter: 'test' }));
  return path;
}

async function read(file: string, workerMinBytes: number, batchRows = 7) {
  let outcome: FeedOutcome | undefined;
  const batches: IntelRows[] = [];
  for await (const b of feedRows(
    { file, format: 'auto', now: NOW, batchRows },
    (o) => (outcome = o),
    { workerMinBytes },
  )) {
    batches.push(b);
  }
  assert.ok(outcome, 'the outcome is reported after the last batch');
  return { batches, outcome };
}

test('feedRows: a worker thread and the calling thread give the same batches and summary', async () => {
  const file = urlhausFile(40);
  const [inThread, inWorker] = [await read(file, Infinity), await read(file, 0)];
  assert.deepEqual(inWorker, inThread);
  assert.deepEqual(
    inThread.batches.map((b) => b.rows),
    [7, 7, 7, 7, 7, 5],
    'batches of batchRows, the rest last',
  );
  const first = inThread.batches[0]!.cells.slice(0, 10);
  assert.deepEqual(first, [
    'url',
    'http://198.51.100.0/p/0.doc',
    'urlhaus',
    '2024-01-01T10:00:00.000Z',
    null,
    null,
    '["malware_download","online"]',
    null,
    'https://urlhaus.abuse.ch/url/1/',
    '2024-03-31T10:00:00.000Z',
  ]);
  assert.equal(inThread.outcome.summary.iocs, 40);
});

test('feedRows: a store import from the worker stores what the in-thread import stores', async () => {
  const file = join(dir, 'feodo.csv');
  const entries = Array.from({ length: 30 }, (_, i) => ({
    firstSeen: '2024-01-10 10:00:00',
    ip: `203.0.113.${i % 12}`,
    port: [8080, 7080, 443][i % 3]!,
    malware: 'Emotet',
  }));
  writeFileSync(file, writeFeodoCsv(entries, { banner: (t) => `# ${t}` }));
  const rows = [];
  for (const workerMinBytes of [0, Infinity]) {
    const store = openSqliteStore(':memory:');
    await store.migrate();
    const r = await store.importIntelStream(
      feedRows({ file, format: 'auto', now: NOW, batchRows: 4 }, () => undefined, {
        workerMinBytes,
      }),
      { importedAt: new Date(NOW) },
    );
    rows.push({ r, list: await store.listIntel({ limit: 1000 }) });
    await store.close();
  }
  assert.deepEqual(rows[0], rows[1]);
  assert.ok(rows[0]!.r.updated > 0, 'the feed repeats addresses (ip rows of several ports)');
});

test('feedRows: stopping early ends the worker; a missing file throws', async () => {
  const file = urlhausFile(100);
  for await (const b of feedRows(
    { file, format: 'auto', now: NOW, batchRows: 5 },
    () => undefined,
    {
      workerMinBytes: 0,
    },
  )) {
    assert.equal(b.rows, 5);
    break;
  }
  await assert.rejects(async () => {
    for await (const _ of feedRows(
      { file: join(dir, 'missing.csv'), format: 'auto', now: NOW },
      () => undefined,
      { workerMinBytes: 0 },
    ));
  }, /ENOENT/);
});
