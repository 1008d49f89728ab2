import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  buildCleanSnapshot,
  snapshotBytes,
  withEmotetV4,
} from '../../../../test/builders/host-snapshot.js';
import { runCli } from '../../../../test/support/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-triage-workers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('triage --workers 2 prints the same lines in the same order as one thread, errors included', async () => {
  const snaps = join(dir, 'snaps');
  mkdirSync(snaps);
  for (let i = 0; i < 7; i++) {
    const spec = buildCleanSnapshot({ hostname: `WS-${i}` });
    writeFileSync(join(snaps, `${i}.json`), snapshotBytes(i === 3 ? withEmotetV4(spec) : spec));
  }
  writeFileSync(join(snaps, '5-notes.txt'), 'meeting notes\n');
  const strip = (out: string) =>
    out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { elapsedMs?: number })
      .map((r) => ({ ...r, elapsedMs: 0 }));
  const one = await runCli(['triage', '--json', '--no-store', '--workers', '1', snaps]);
  const two = await runCli(['triage', '--json', '--no-store', '--workers', '2', snaps]);
  assert.equal(one.code, 1, one.stderr);
  assert.equal(two.code, 1, two.stderr);
  assert.deepEqual(strip(two.stdout), strip(one.stdout));
  assert.equal(strip(two.stdout).length, 7);
  assert.equal(two.stderr, one.stderr);
  assert.match(two.stderr, /5-notes\.txt: not a host snapshot/);
});
