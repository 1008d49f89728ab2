import assert from 'node:assert/strict';
import { runCli } from '../../../../test/support/cli-io.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  buildVelociraptorCollection,
  snapshotBytes,
  snapshotJsonl,
  withEmotetV2,
  withEmotetV4,
} from '../../../../test/builders/host-snapshot.js';
import { sniffType } from '../../../formats/sniff/index.js';
import { openSqliteStore } from '../../../store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-triage-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const run = runCli;

function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

describe('cli: triage', () => {
  const infected = save('in/ws-0042.json', snapshotBytes(withEmotetV2(buildCleanSnapshot())));
  const clean = save(
    'clean/ws-0043.json',
    snapshotBytes(buildCleanSnapshot({ hostname: 'WS-0043' })),
  );

  test('an infected host: EmoCheck-style "Emotet was detected" with name, PID and image path; exit 1', async () => {
    const r = await run(['triage', '--no-store', infected]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^\[!!\] Emotet was detected on WS-0042/m);
    assert.match(r.stdout, /^ {5}Process Name: mstask\.exe$/m);
    assert.match(r.stdout, /^ {5}PID {9}: 5200$/m);
    assert.match(r.stdout, /^ {5}Image Path {2}: C:\\Users\\alice\\AppData\\Local\\mstask\.exe$/m);
    assert.match(
      r.stdout,
      /^ {5}Registry Key: HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\1a2b3c4d$/m,
    );
    assert.match(r.stdout, /triage\.emocheck-v2-registry-name/);
    assert.match(r.stdout, /Triaged 1 host snapshot\(s\) from 1 input\(s\): 1 with Emotet/);
  });

  test('a clean host: "Emotet was not detected", exit 0', async () => {
    const r = await run(['triage', '--no-store', clean]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Emotet was not detected on WS-0043/m);
  });

  test('--json: one line per host of a JSONL input, scan fields plus "triage"', async () => {
    const both = save(
      'hunt.jsonl',
      snapshotJsonl([
        buildCleanSnapshot({ hostname: 'A' }),
        withEmotetV4(buildCleanSnapshot({ hostname: 'B' })),
      ]),
    );
    const r = await run(['triage', '--json', '--no-store', both]);
    assert.equal(r.code, 1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
    assert.deepEqual(
      lines.map((l) => [l.path.slice(both.length), l.type, l.verdict, l.triage.isInfected]),
      [
        ['!A', 'host-snapshot', 'clean', false],
        ['!B', 'host-snapshot', 'malicious', true],
      ],
    );
    assert.equal(lines[1]!.triage.emotetProcesses[0].method, 'v4');
    for (const key of ['path', 'sha256', 'size', 'findings', 'extracted', 'children'])
      assert.ok(key in lines[0]!, key);
  });

  test('--emocheck-report DIR writes <COMPUTERNAME>_<yyyymmddhhmmss>_emocheck.txt and .json', async () => {
    const out = join(dir, 'reports');
    const r = await run(['triage', '--no-store', '--emocheck-report', out, infected, clean]);
    assert.equal(r.code, 1);
    assert.deepEqual(readdirSync(out).sort(), [
      'WS-0042_20240501102030_emocheck.json',
      'WS-0042_20240501102030_emocheck.txt',
      'WS-0043_20240501102030_emocheck.json',
      'WS-0043_20240501102030_emocheck.txt',
    ]);
    const json = JSON.parse(
      readFileSync(join(out, 'WS-0042_20240501102030_emocheck.json'), 'utf8'),
    );
    assert.equal(json.is_infected, 'yes');
    assert.match(
      readFileSync(join(out, 'WS-0043_20240501102030_emocheck.txt'), 'utf8'),
      /\[Result\] \r\nEmotet was not detected\.\r\n$/,
    );
  });

  test('a Velociraptor collection ZIP and a directory of snapshots are triaged too', async () => {
    const zip = save(
      'collections/c.zip',
      buildVelociraptorCollection({
        results: { 'Custom.Emoguard.HostSnapshot/Snapshot': [withEmotetV4(buildCleanSnapshot())] },
      }),
    );
    const r = await run(['triage', '--json', '--no-store', zip, join(dir, 'clean')]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).triage.hostname),
      ['WS-0042', 'WS-0043'],
    );
  });

  test("results are stored like scan results, under the snapshot's host name", async () => {
    const db = join(dir, 'triage.db');
    const r = await run(['triage', '--db', db, infected]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /stored as scan #1/);
    const store = openSqliteStore(db);
    try {
      const [scan] = await store.listScans();
      assert.equal(scan?.command, 'triage');
      assert.deepEqual(scan?.summary, {
        inputs: 1,
        malicious: 1,
        suspicious: 0,
        clean: 0,
        errors: 0,
      });
      assert.ok((await store.listHosts()).some((h) => h.name === 'WS-0042'));
      const findings = await store.listFindings({ scanId: scan!.id });
      assert.ok(findings.some((f) => f.ruleId === 'triage.emocheck-v2-registry-name'));
    } finally {
      await store.close();
    }
  });

  test('content sniffing names snapshots host-snapshot, UTF-16 (PowerShell Out-File) included', () => {
    assert.equal(sniffType(snapshotBytes(buildCleanSnapshot())), 'host-snapshot');
    assert.equal(sniffType(snapshotJsonl([buildCleanSnapshot()])), 'host-snapshot');
    const utf16 = new Uint16Array([
      0xfeff,
      ...[...JSON.stringify(buildCleanSnapshot())].map((c) => c.charCodeAt(0)),
    ]);
    assert.equal(sniffType(new Uint8Array(utf16.buffer)), 'host-snapshot');
  });

  test('emoguard scan runs the triage engine: a snapshot, and the snapshot member of a collection ZIP', async () => {
    const zip = save(
      'scan/c.zip',
      buildVelociraptorCollection({
        results: { 'Custom.Emoguard.HostSnapshot/Snapshot': [withEmotetV4(buildCleanSnapshot())] },
      }),
    );
    const r = await run([
      'scan',
      '--json',
      '--no-store',
      '--no-progress',
      '--workers',
      '1',
      infected,
      clean,
      zip,
    ]);
    assert.equal(r.code, 1, r.stderr);
    const [one, two, three] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
    assert.deepEqual([one!.type, one!.verdict], ['host-snapshot', 'malicious']);
    assert.deepEqual([two!.type, two!.verdict], ['host-snapshot', 'clean']);
    assert.equal(three!.verdict, 'malicious');
    assert.ok(
      !three!.findings.some((f: { id: string }) => f.id.startsWith('triage.')),
      'not triaged twice',
    );
    const member = three!.children.find((c: { path: string }) => c.path.endsWith('Snapshot.json'));
    assert.equal(member.type, 'host-snapshot');
    assert.ok(
      member.findings.some((f: { id: string }) => f.id === 'triage.emocheck-v4-rundll32-dll'),
    );
  });

  test('a file that is no snapshot, and a missing file: errors on stderr, exit 2', async () => {
    const other = save('notes.txt', new TextEncoder().encode('meeting notes\n'));
    const r = await run(['triage', '--no-store', other, join(dir, 'missing.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /notes\.txt: not a host snapshot/);
    assert.match(r.stderr, /missing\.json: /);
  });
});
