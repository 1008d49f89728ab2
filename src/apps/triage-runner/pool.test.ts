import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  snapshotBytes,
  withEmotetV1,
} from '../../../test/builders/host-snapshot.js';
import { triageFile, TriagePool } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-triage-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const LIMITS = { maxFileSize: 1 << 20, maxEvidenceChars: 512, maxTimePerInputMs: 30_000 };

describe('triage-runner: TriagePool', () => {
  test('workers give the same outcome as the main thread, for snapshots, a missing file and a too-big file', async () => {
    const files = [0, 1, 2, 3, 4].map((i) => {
      const path = join(dir, `ws-${i}.json`);
      const spec = buildCleanSnapshot({ hostname: `WS-${i}` });
      writeFileSync(path, snapshotBytes(i % 2 ? withEmotetV1(spec) : spec));
      return path;
    });
    files.push(join(dir, 'missing.json'));
    const pool = new TriagePool(2, LIMITS);
    try {
      const inWorkers = await Promise.all(files.map((f) => pool.triage(f)));
      for (const [i, f] of files.entries()) {
        const here = await triageFile(f, LIMITS);
        const there = inWorkers[i]!;
        if (here.ok && there.ok) {
          assert.deepEqual({ ...there, elapsedMs: 0 }, { ...here, elapsedMs: 0 }, f);
          assert.equal(there.input.reports[0]!.isInfected, i % 2 === 1, f);
        } else {
          assert.deepEqual(there, here, f);
        }
      }
      assert.equal(inWorkers.at(-1)!.ok, false);
      const cut = await pool.triage(files[0]!);
      assert.equal(cut.ok, true);
    } finally {
      await pool.close();
    }
    const small = await triageFile(files[0]!, { ...LIMITS, maxFileSize: 100 });
    assert.ok(!small.ok || small.read === 100, 'maxFileSize: only the head is read');
  });

  test('a worker that never answers is stopped after its time limit plus grace; its task fails with E_LIMIT_TIME', async () => {
    const stuck = new URL('./testdata/stuck-worker.ts', import.meta.url);
    const pool = new TriagePool(1, { ...LIMITS, maxTimePerInputMs: 20 }, stuck, 20);
    try {
      const outcome = await pool.triage(join(dir, 'any.json'));
      assert.equal(outcome.ok, false);
      assert.match(!outcome.ok ? outcome.message : '', /^E_LIMIT_TIME: /);
      // The replacement worker takes tasks again (and is stuck again, being the same script).
      const again = await pool.triage(join(dir, 'any.json'));
      assert.equal(again.ok, false);
    } finally {
      await pool.close();
    }
  });
});
