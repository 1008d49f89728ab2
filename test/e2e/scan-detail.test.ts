/** `emoguard scan --detail` as users run it (the built launcher, like test/e2e/cli.test.ts). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildRtf } from '../builders/rtf.js';

const BIN = fileURLToPath(new URL('../../bin/emoguard', import.meta.url));

test('scan --detail prints the DDE instruction of an RTF dropper, escaped, after the findings table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-detail-'));
  const rtf = buildRtf({
    fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k echo \u001b[2J"'],
  });
  writeFileSync(join(dir, 'dde.rtf'), rtf);
  const r = spawnSync(process.execPath, [BIN, 'scan', '--no-store', '--detail', 'dde.rtf'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', EMOGUARD_DB: '' },
    timeout: 60_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /office\.dde-command-execution/);
  assert.match(r.stdout, /── dde\.rtf {2}\(rtf\)\n {2}DDE\n {4}DDEAUTO .*\/k echo \\x1b\[2J/);
  assert.ok(!r.stdout.includes('\u001b'), 'no raw escape reaches the terminal');
});
