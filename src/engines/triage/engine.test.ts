import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  buildHugeSnapshot,
  buildVelociraptorCollection,
  pslistRows,
  snapshotBytes,
  snapshotJsonl,
  startupRows,
  withEmotetV4,
  withWmiPowerShell,
} from '../../../test/builders/host-snapshot.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { isKnownTechnique } from '../../core/index.js';
import { writeZip } from '../../formats/zip/index.js';
import { TRIAGE_FINDINGS, triageEngine, triageInput } from './index.js';

describe('triage engine (scan)', () => {
  test('declares every finding with a triage.* id and known ATT&CK ids', () => {
    for (const f of TRIAGE_FINDINGS) {
      assert.match(f.def.id, /^triage\.[a-z0-9-]+$/);
      for (const t of f.def.attack) assert.ok(isKnownTechnique(t), `${f.def.id}: ${t}`);
    }
  });

  test('a snapshot: findings, decoded PowerShell and loader files in extracted', async () => {
    const bytes = snapshotBytes(withWmiPowerShell(withEmotetV4(buildCleanSnapshot())));
    const out = await triageEngine.analyze(makeContext(bytes));
    assert.deepEqual(out.findings?.map((f) => f.id).sort(), [
      'triage.emocheck-v4-rundll32-dll',
      'triage.run-key-user-dir',
      'triage.rundll32-user-dir',
      'triage.wmi-powershell-running',
    ]);
    assert.equal(out.extracted?.powershell?.[0]?.decoded, "Write-Output 'emoguard test'");
    assert.deepEqual(out.extracted?.iocs?.files, [
      'C:\\Users\\alice\\AppData\\Local\\Xmzqfbnhwt\\ndqrxlkw.vpt',
    ]);
  });

  test('several hosts in one input: each finding is located "host <name>: …"', async () => {
    const bytes = snapshotJsonl([
      buildCleanSnapshot({ hostname: 'A' }),
      withEmotetV4(buildCleanSnapshot({ hostname: 'B' })),
    ]);
    const out = await triageEngine.analyze(makeContext(bytes));
    assert.ok(out.findings!.length > 0);
    for (const f of out.findings!) assert.match(f.evidence[0]!.location ?? '', /^host B: /);
  });

  test('Velociraptor built-in results in a collection ZIP are triaged at the ZIP', async () => {
    const spec = withEmotetV4(buildCleanSnapshot());
    const zip = buildVelociraptorCollection({
      results: {
        'Windows.System.Pslist': pslistRows(spec.processes),
        'Windows.Sys.StartupItems': startupRows(spec.registry),
      },
    });
    const out = await triageEngine.analyze(makeContext(zip));
    assert.deepEqual(
      out.findings?.map((f) => f.id),
      ['triage.rundll32-user-dir', 'triage.run-key-user-dir', 'triage.checks-incomplete'],
    );
  });

  test('a built-in result file extracted from a collection is skipped: the ZIP was triaged whole', async () => {
    const rows = pslistRows(withWmiPowerShell(buildCleanSnapshot()).processes);
    const bytes = new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n'));
    const base = makeContext(bytes, { type: 'jsonl', name: 'results/Windows.System.Pslist.json' });
    const member = { ...base, artifact: { ...base.artifact, relation: 'member' } };
    assert.deepEqual(await triageEngine.analyze(member), {});
    assert.ok(
      (await triageEngine.analyze(base)).findings?.length,
      'the same file on its own is triaged',
    );
  });

  test('a collection holding Custom.Emoguard.HostSnapshot is left to its member (scanned as a child)', async () => {
    const zip = buildVelociraptorCollection({
      results: { 'Custom.Emoguard.HostSnapshot/Snapshot': [withEmotetV4(buildCleanSnapshot())] },
    });
    assert.deepEqual(await triageEngine.analyze(makeContext(zip)), {});
  });

  test("ZIPs and JSONL that hold no host data are not the engine's business", async () => {
    assert.deepEqual(
      await triageEngine.analyze(makeContext(writeZip([{ name: 'a.txt', data: 'x' }]))),
      {},
    );
    const logs = new TextEncoder().encode('{"Event":{"System":{"EventID":1}}}\n{"Event":{}}\n');
    assert.deepEqual(await triageEngine.analyze(makeContext(logs, { type: 'jsonl' })), {});
  });

  test("Velociraptor Pslist JSONL (a hunt export): emoguard's process checks run on it", async () => {
    const rows = pslistRows(withWmiPowerShell(buildCleanSnapshot()).processes, 'ws-1.example.com');
    const bytes = new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n'));
    const out = await triageEngine.analyze(makeContext(bytes, { type: 'jsonl' }));
    assert.deepEqual(
      out.findings?.map((f) => f.id),
      ['triage.wmi-powershell-running', 'triage.checks-incomplete'],
    );
  });

  test('a broken snapshot → scan.parse-error; a capped one → scan.limit-exceeded', async () => {
    const broken = new TextEncoder().encode(
      '{"hostname":"x","volumeSerial":"1","processes":[{"pid":"zz"}]}',
    );
    const out = await triageEngine.analyze(makeContext(broken, { type: 'host-snapshot' }));
    assert.equal(out.findings?.[0]?.id, 'scan.parse-error');
    const huge = await triageInput(buildHugeSnapshot(20_001));
    assert.equal(huge.anomalies[0]?.code, 'E_LIMIT_SNAPSHOT_ITEMS');
    const capped = await triageEngine.analyze(makeContext(buildHugeSnapshot(20_001)));
    assert.equal(capped.findings?.[0]?.id, 'scan.limit-exceeded');
  });
});
