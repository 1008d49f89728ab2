import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  buildFeodoCsv,
  buildMispFeed,
  buildThreatFoxCsv,
  buildUrlhausCsv,
} from '../../../../test/builders/intel.js';
import type { CliIO } from '../io.js';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-intel-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fakeIO(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) =>
    ({
      write: (s: string) => (append(String(s)), true),
      once: () => undefined,
      isTTY: false,
    }) as unknown as NodeJS.WriteStream;
  return {
    io: {
      stdout: stream((s) => (out += s)),
      stderr: stream((s) => (err += s)),
      env: { NO_COLOR: '1' },
    },
    out: () => out,
    err: () => err,
  };
}

async function run(args: string[]) {
  const f = fakeIO();
  const code = await main(args, f.io);
  return { code, stdout: f.out(), stderr: f.err() };
}

describe('cli: intel', () => {
  const db = join(dir, 'intel.db');
  const recent = new Date(Date.now() - 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
  writeFileSync(
    join(dir, 'ipblocklist.csv'),
    buildFeodoCsv([
      {
        firstSeen: recent,
        ip: '198.51.100.7',
        port: 8080,
        malware: 'Emotet',
        lastOnline: recent.slice(0, 10),
      },
      {
        firstSeen: '2020-01-01 00:00:00',
        ip: '198.51.100.8',
        port: 7080,
        malware: 'Heodo',
        lastOnline: '2020-01-02',
      },
    ]),
  );
  writeFileSync(
    join(dir, 'urlhaus.csv'),
    buildUrlhausCsv([
      { id: 1, dateAdded: recent, url: 'http://dl.example/a.doc', tags: ['emotet'] },
    ]) + '"2","bad line\n',
  );
  writeFileSync(
    join(dir, 'threatfox.csv'),
    buildThreatFoxCsv([
      {
        firstSeen: recent,
        id: 3,
        value: 'c2.example',
        type: 'domain',
        threatType: 'botnet_cc',
        malware: 'win.emotet',
        printable: 'Emotet',
        confidence: 100,
        tags: [],
      },
    ]),
  );
  const misp = join(dir, 'misp');
  mkdirSync(misp);
  for (const [name, text] of Object.entries(
    buildMispFeed([
      {
        uuid: '5a1b3c0e-8f7d-4e2a-9c6b-0d1e2f3a4b5c',
        info: 'x',
        date: '2024-01-15',
        org: 'CIRCL',
        attributes: [{ type: 'sha256', value: 'ab'.repeat(32), toIds: true }],
      },
    ]),
  )) {
    writeFileSync(join(misp, name), text);
  }
  writeFileSync(join(misp, 'hashes.csv'), 'not read: the manifest says which files are events\n');

  test('import: every file summarised, anomalies with file:line on stderr, MISP folder by its manifest', async () => {
    const r = await run([
      'intel',
      'import',
      join(dir, 'ipblocklist.csv'),
      join(dir, 'urlhaus.csv'),
      join(dir, 'threatfox.csv'),
      misp,
      '--json',
      '--db',
      db,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.format, l.source, l.indicators, l.inserted, l.anomalies]),
      [
        ['feodo', 'feodotracker', 4, 4, 0],
        ['urlhaus', 'urlhaus', 1, 1, 1],
        ['threatfox', 'threatfox', 1, 1, 0],
        ['misp', null, 1, 1, 0],
      ],
    );
    assert.match(r.stderr, /urlhaus\.csv:10: E_INTEL_CSV: unterminated quote/);
    const again = await run(['intel', 'import', join(dir, 'threatfox.csv'), '--db', db]);
    assert.match(
      again.stdout,
      /threatfox\.csv: threatfox \(threatfox\), 1 indicator\(s\): 0 new, 1 updated/,
    );
  });

  test('list, stats, expire: old Feodo entries expire 30 days after last seen', async () => {
    const list = await run(['intel', 'list', '--type', 'ip', '--json', '--db', db]);
    assert.deepEqual(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).value),
      ['198.51.100.7', '198.51.100.8'],
    );
    const table = await run(['intel', 'list', '--source', 'threatfox', '--db', db]);
    assert.match(
      table.stdout,
      /^TYPE\s+VALUE\s+SOURCE\s+MALWARE\s+LAST SEEN\s+EXPIRES\ndomain\s+c2\.example\s+threatfox\s+Emotet/,
    );
    const stats = JSON.parse((await run(['intel', 'stats', '--json', '--db', db])).stdout);
    assert.deepEqual(
      [stats.total, stats.expired, stats.byType.ip, stats.byType['ip-port']],
      [7, 2, 2, 2],
    );
    assert.match(
      (await run(['intel', 'stats', '--db', db])).stdout,
      /7 indicator\(s\): 5 active, 2 expired/,
    );
    assert.equal((await run(['intel', 'expire', '--db', db])).stdout, 'expired 2 indicator(s)\n');
    assert.equal(JSON.parse((await run(['intel', 'stats', '--json', '--db', db])).stdout).total, 5);
  });

  test('export: Suricata rules, blocklists and a STIX bundle from the store', async () => {
    const rules = await run([
      'intel',
      'export',
      '--format',
      'suricata',
      '--sid-base',
      '1000000',
      '--db',
      db,
    ]);
    assert.match(rules.stdout, /^# generated by emoguard intel export/);
    assert.match(rules.stdout, /sid:1000000;/);
    assert.match(rules.stdout, /dns\.query; dotprefix; content:"\.c2\.example"/);
    assert.equal(
      (await run(['intel', 'export', '--format', 'blocklist-ip', '--db', db])).stdout
        .split('\n')
        .slice(1)
        .join('\n'),
      '198.51.100.7\n',
    );
    assert.equal(
      (
        await run([
          'intel',
          'export',
          '--format',
          'blocklist-domain',
          '--source',
          'threatfox',
          '--db',
          db,
        ])
      ).stdout.split('\n')[1],
      'c2.example',
    );
    const out = join(dir, 'bundle.json');
    const stix = await run(['intel', 'export', '--format', 'stix', '--out', out, '--db', db]);
    assert.equal(stix.code, 0);
    const bundle = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(bundle.type, 'bundle');
    assert.equal(bundle.objects.filter((o: { type: string }) => o.type === 'indicator').length, 5);
  });

  test('a manifest.json given as a file imports the events it lists', async () => {
    const db2 = join(dir, 'manifest.db');
    const r = await run(['intel', 'import', join(misp, 'manifest.json'), '--json', '--db', db2]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.format, l.indicators]),
      [
        ['misp', 0],
        ['misp', 1],
      ],
    );
  });

  test('a missing file is an error (exit 2) and the other files still import; bad flags are errors', async () => {
    const r = await run([
      'intel',
      'import',
      join(dir, 'nope.csv'),
      join(dir, 'threatfox.csv'),
      '--db',
      db,
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.csv/);
    assert.match(r.stdout, /threatfox\.csv/);
    assert.equal(
      (await run(['intel', 'import', join(dir, 'threatfox.csv'), '--ttl', 'soon', '--db', db]))
        .code,
      2,
    );
    assert.equal(
      (await run(['intel', 'import', join(dir, 'threatfox.csv'), '--format', 'csv', '--db', db]))
        .code,
      2,
    );
    assert.equal((await run(['intel', 'export', '--db', db])).code, 2, '--format is required');
    const missing = await run(['intel', 'list', '--db', join(dir, 'nowhere.db')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /E_STORE_MISSING: no store at .*nowhere\.db/);
  });
});
