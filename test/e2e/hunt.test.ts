import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sharedDataPath, sharedDataSkip } from '../support/fixtures.js';

const BIN = fileURLToPath(new URL('../../bin/emoguard', import.meta.url));
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const SAMPLE = ['evtx', 'ID1-WMI_spawning_PowerShell_WMImplant.evtx'];

test(
  'hunt --json: bundled rules find WmiPrvSE → PowerShell in a real EVTX; the detection line has the documented shape; exit 1',
  { skip: sharedDataSkip(...SAMPLE) },
  () => {
    const r = run(['hunt', '--json', '--no-store', sharedDataPath(...SAMPLE)]);
    assert.equal(r.code, 1, r.stderr);
    const d = JSON.parse(r.stdout.trim().split('\n')[0]!);
    assert.equal(d.rule.title, 'WMI Provider Host Starts PowerShell or a Shell (emoguard)');
    for (const key of ['id', 'title', 'level', 'path']) assert.ok(key in d.rule, key);
    assert.equal(typeof d.source.recordId, 'number');
    assert.equal(d.step, '4');
    assert.ok(d.attack.includes('T1047'));
    assert.match(d.event.Event.EventData.ParentImage, /WmiPrvSE\.exe$/i);
  },
);

test(
  'hunt stores detections as findings that report can show',
  { skip: sharedDataSkip(...SAMPLE) },
  () => {
    const db = join(mkdtempSync(join(tmpdir(), 'emoguard-hunt-')), 'h.db');
    assert.equal(run(['hunt', '--db', db, sharedDataPath(...SAMPLE)]).code, 1);
    assert.match(run(['report', '--db', db]).stdout, /WMI Provider Host Starts PowerShell/);
  },
);

test(
  'hunt on a clean log exits 0; a missing file exits 2',
  { skip: sharedDataSkip('evtx', 'sysmon_dirty_header.evtx') },
  () => {
    assert.equal(
      run(['hunt', '--no-store', sharedDataPath('evtx', 'sysmon_dirty_header.evtx')]).code,
      0,
    );
    assert.equal(run(['hunt', '--no-store', '/nonexistent.evtx']).code, 2);
  },
);

test('the bundled Sigma rules load strictly and pass their own tests (rules check)', () => {
  const r = run(['rules', 'check']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr + r.stdout, /tests \d+ passed \/ 0 failed/);
});

test('hunt: a Zeek conn.log against a Feodo feed given with --intel → C2 detections with the IOC', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-hunt-net-'));
  const feed = join(dir, 'feodo.csv');
  writeFileSync(
    feed,
    '################################################################\n# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)\n################################################################\n' +
      '# "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"\n' +
      '"2026-11-01 10:00:00","203.0.113.77","7080","online","2026-11-20","Emotet"\n',
  );
  const conn = join(dir, 'conn.log');
  writeFileSync(
    conn,
    '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n' +
      '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\n' +
      '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\n' +
      '1795600000.000000\tC1\t10.1.2.3\t49812\t203.0.113.77\t7080\ttcp\thttp\t1.2\t300\t200\tSF\n' +
      '1795600001.000000\tC2\t10.1.2.3\t49813\t198.51.100.1\t443\ttcp\tssl\t1.2\t300\t200\tSF\n',
  );
  const r = run(['hunt', '--json', '--no-store', '--intel', feed, conn]);
  const lines = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const hit = lines.find((d) => d.ioc?.value?.startsWith('203.0.113.77'));
  assert.ok(hit, r.stdout + r.stderr);
  assert.equal(hit.step, '6');
  assert.equal(hit.source.line, 8);
});
