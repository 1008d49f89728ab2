import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fakeIO, runCli } from '../../../../test/support/cli-io.js';
import {
  defineFinding,
  emptyExtracted,
  mergeExtracted,
  type ScanResult,
} from '../../../core/index.js';
import { correlate } from '../../../correlate/index.js';
import { openSqliteStore } from '../../../store/index.js';
import { CHROMIUM_CANDIDATES } from '../../pdf/index.js';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-report-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'store.db');
const SUBJECT = '<img src=x onerror=alert(1)>';

const mail = defineFinding({
  id: 'mail.office-attachment',
  title: `Macro-enabled Office attachment ${SUBJECT}`,
  severity: 'medium',
  step: '1',
  attack: ['T1566.001'],
  description: '',
});
const chain = defineFinding({
  id: 'vba.autoexec-execution-chain',
  title: 'Macro runs on open and starts a process',
  severity: 'critical',
  step: '4',
  attack: ['T1047', 'T1059.001'],
  description: '',
});

function tree(): ScanResult {
  const doc: ScanResult = {
    path: 'in/請求書.eml!invoice.docm',
    sha256: 'b'.repeat(64),
    size: 100,
    type: 'ooxml',
    verdict: 'malicious',
    findings: [chain({ text: "=cmd|' /C calc'!A0 http://203.0.113.5/loader.dll" })],
    extracted: mergeExtracted(emptyExtracted(), {
      iocs: { urls: ['http://203.0.113.5/loader.dll'] },
    }),
    children: [],
  };
  return {
    path: 'in/請求書.eml',
    sha256: 'a'.repeat(64),
    size: 200,
    type: 'eml',
    verdict: 'malicious',
    findings: [mail({ text: SUBJECT })],
    extracted: emptyExtracted(),
    children: [doc],
  };
}

const wmi = defineFinding({
  id: 'sigma.wmiprvse-spawns-powershell',
  title: 'WMI Provider Host starts PowerShell',
  severity: 'high',
  step: '4',
  attack: ['T1047'],
  description: '',
});
const c2 = defineFinding({
  id: 'ioc.c2-match',
  title: 'Traffic to a threat-intel C2',
  severity: 'high',
  step: '6',
  attack: ['T1071.001'],
  description: '',
});

function huntResult(): ScanResult {
  return {
    path: 'logs/pc-1.jsonl',
    sha256: 'e'.repeat(64),
    size: 300,
    type: 'jsonl',
    verdict: 'suspicious',
    findings: [
      wmi({
        text: 'powershell -enc SQBFAFgA',
        note: 'user=EXAMPLE\\taro | parent of invoice.docm',
      }),
      c2({ text: 'dst=198.51.100.7:8080 feodotracker Emotet' }),
    ],
    extracted: emptyExtracted(),
    children: [],
  };
}

let incidentId = 0;
before(async () => {
  const store = openSqliteStore(db);
  await store.migrate();
  const scanId = await store.beginScan({ command: 'scan', args: ['in'], host: 'pc-1' });
  await store.saveResults(scanId, [tree()]);
  await store.finishScan(scanId, { inputs: 1, malicious: 1, suspicious: 0, clean: 0, errors: 0 });
  // pc-1's own logs: WMI starts PowerShell after invoice.docm opened, then C2 traffic.
  const hunt = await store.beginScan({ command: 'hunt', args: ['logs'], host: 'soc-1' });
  await store.saveResults(hunt, [huntResult()], { host: 'pc-1' });
  await store.finishScan(hunt, { inputs: 1, malicious: 1, suspicious: 0, clean: 0, errors: 0 });
  // The real path: correlation makes the incident and the sightings its view reads.
  await correlate(store);
  const incident = (await store.listIncidents()).find((i) => i.subject === 'pc-1')!;
  await store.updateIncident(incident.id, { title: `Emotet on pc-1 ${SUBJECT}` });
  incidentId = incident.id;
  await store.close();
});

/** `emoguard report --db <store> --incident <the incident> …args`. */
const reportIncident = (args: string[]) =>
  runCli(['report', '--db', db, '--incident', String(incidentId), ...args]);

describe('cli: report --incident', () => {
  test('markdown and json: the incident with its checklist; html escapes the hostile subject', async () => {
    const md = await reportIncident([]);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^# emoguard incident report/);
    assert.match(md.stdout, /Isolate the infected host and preserve evidence\*\* — to do/);
    // By default the simulation runs and the matrix closes the report, as `emoguard coverage` prints it.
    assert.match(md.stdout, /## Coverage matrix\n/);
    assert.match(md.stdout, /\| ④ \| .*\(T1047\) \| .*◎ Tech/);
    assert.match(md.stdout, /- ◎ Tech {2}Technique: /);
    const json = await reportIncident(['--format', 'json', '--no-coverage']);
    const report = JSON.parse(json.stdout);
    assert.equal(report.kind, 'incident');
    assert.equal(report.coverage, undefined, '--no-coverage: no matrix');
    assert.equal(report.checklist.length, 12);
    // The hunt over pc-1's logs is in the store: the C2 check is done, the host sweep is not.
    const status = Object.fromEntries(
      report.checklist.map((t: { id: string; status: string }) => [t.id, t.status]),
    );
    assert.equal(status['c2-logs'], 'done');
    assert.equal(status.sweep, 'todo');
    const html = await reportIncident(['--format', 'html', '--lang', 'ja', '--no-coverage']);
    assert.ok(!html.stdout.includes(SUBJECT), 'expected: !html.stdout.includes(SUBJECT)');
    assert.ok(
      html.stdout.includes('&lt;img src=x onerror=alert(1)&gt;'),
      "expected: html.stdout.includes('&lt;img src=x onerror=alert(1)&gt;')",
    );
    assert.ok(
      html.stdout.includes('感染端末の隔離と証拠保全'),
      "expected: html.stdout.includes('感染端末の隔離と証拠保全')",
    );
    assert.doesNotMatch(html.stdout, /https?:\/\/203\.0\.113/);
  });

  test('the store-wide report lists the incidents', async () => {
    const md = await runCli(['report', '--db', db, '--no-coverage']);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /## Incidents/);
    assert.doesNotMatch(md.stdout, /Coverage matrix/);
    assert.match(md.stdout, /Emotet on pc-1 \\<img/);
  });

  test('an unknown incident, or --incident with --scan, is an error (exit 2)', async () => {
    const r = await runCli(['report', '--db', db, '--incident', '999', '--no-coverage']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_STORE_NOT_FOUND/);
    const both = await runCli(['report', '--db', db, '--incident', '1', '--scan', '1']);
    assert.equal(both.code, 2);
  });

  test('pdf with EMOGUARD_CHROMIUM pointing at nothing says what is wrong (exit 2)', async () => {
    const f = fakeIO();
    f.io.env.EMOGUARD_CHROMIUM = join(dir, 'no-such-browser');
    const code = await main(
      ['report', '--db', db, '--format', 'pdf', '--out', join(dir, 'y.pdf'), '--no-coverage'],
      f.io,
    );
    assert.equal(code, 2);
    assert.match(
      f.err(),
      /E_PDF_NO_CHROMIUM: EMOGUARD_CHROMIUM=.*no-such-browser is not an executable/,
    );
    assert.ok(!existsSync(join(dir, 'y.pdf')), "expected: !existsSync(join(dir, 'y.pdf'))");
  });
});

const chromium = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
describe('cli: report --format pdf', () => {
  test(
    'prints the Japanese incident report to a PDF whose text holds the Japanese headings',
    { skip: chromium === undefined ? 'no Chromium installed (apt-get install chromium)' : false },
    async () => {
      const out = join(dir, 'incident.pdf');
      const r = await reportIncident(['--format', 'pdf', '--lang', 'ja', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      const pdf = readFileSync(out);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      if (!hasPdftotext) return; // poppler-utils absent: the header check above is all we can do
      const text = spawnSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' }).stdout;
      assert.match(text, /インシデント報告書/);
      assert.match(text, /感染端末の隔離と証拠保全/);
      assert.match(text, /対応チェックリスト/);
      assert.match(text, /検知範囲マトリクス/);
      assert.match(text, /◎ 技術/);
    },
  );
});

describe('cli: export', () => {
  test('ocsf, stix, navigator and timesketch from the store and from one incident', async () => {
    const ocsf = await runCli(['export', 'ocsf', '--db', db]);
    assert.equal(ocsf.code, 0, ocsf.stderr);
    const lines = ocsf.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 4); // two scan findings, two hunt findings
    assert.ok(
      lines.every((e) => e.class_uid === 2004),
      'expected: lines.every((e) => e.class_uid === 2004)',
    );
    const stix = JSON.parse(
      (await runCli(['export', 'stix', '--db', db, '--incident', String(incidentId)])).stdout,
    );
    assert.equal(stix.type, 'bundle');
    assert.ok(
      stix.objects.some((o: { type: string }) => o.type === 'indicator'),
      "expected: stix.objects.some((o: { type: string }) => o.type === 'indicator')",
    );
    const layer = JSON.parse(
      (await runCli(['export', 'navigator', '--db', db, '--scan', '1'])).stdout,
    );
    assert.equal(layer.versions.layer, '4.5');
    const out = join(dir, 'timeline.csv');
    const csv = await runCli(['export', 'timesketch', '--db', db, '--out', out]);
    assert.equal(csv.code, 0, csv.stderr);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /^message,datetime,timestamp,timestamp_desc,/);
    assert.ok(!text.includes('"=cmd'), "expected: !text.includes('\"=cmd')");
  });

  test('an unknown format is a usage error (exit 2)', async () => {
    assert.equal((await runCli(['export', 'csv', '--db', db])).code, 2);
  });
});
