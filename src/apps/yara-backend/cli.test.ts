/**
 * `emoguard scan --yara PATH` end to end through the built launcher, as users run it (like test/e2e;
 * `make test` builds dist/ first): user rules are added to the bundled ones, rule errors are reported
 * with their file:line:col and do not stop the scan, a missing rule path is a usage error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/emoguard', import.meta.url));
const BUILT = fileURLToPath(new URL('../../../dist/apps/cli/main.js', import.meta.url));
const skip = existsSync(BUILT) ? false : 'dist/ is not built (npx tsc -p tsconfig.build.json)';

async function cli(args: string[]) {
  const cache = join(mkdtempSync(join(tmpdir(), 'emoguard-yara-cli-cache-')), 'cache');
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', EMOGUARD_DB: '', EMOGUARD_YARA_CACHE: cache },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-yara-cli-'));
  writeFileSync(
    join(dir, 'marker.yar'),
    'rule Marker_Seen { meta: severity = "critical" step = "5" attack = "T1105" strings: $m = "EMOGUARD-TEST-MARKER" condition: $m }\n',
  );
  writeFileSync(join(dir, 'broken.yar'), 'rule Broken {\n  condition: missing_identifier\n}\n');
  writeFileSync(join(dir, 'sample.bin'), 'prefix EMOGUARD-TEST-MARKER suffix');
  writeFileSync(join(dir, 'clean.txt'), 'nothing to see');
  return dir;
}

test(
  'scan --yara: a user rule match is a yara.match finding; a broken rule file is reported, not fatal',
  { skip },
  async () => {
    const dir = fixture();
    const r = await cli([
      'scan',
      '--json',
      '--no-store',
      '--no-progress',
      '--yara',
      join(dir, 'marker.yar'),
      '--yara',
      join(dir, 'broken.yar'),
      join(dir, 'sample.bin'),
      join(dir, 'clean.txt'),
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error\[E_YARA_E009\]: unknown identifier `missing_identifier`/);
    assert.match(r.stderr, /broken\.yar:2:14/);
    const [hit, clean] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(hit.verdict, 'malicious');
    assert.deepEqual(
      hit.findings.map((f: { id: string; title: string; step: string }) => [f.id, f.title, f.step]),
      [['yara.match', 'Marker_Seen', '5']],
    );
    assert.equal(hit.findings[0].evidence[0].offset, 7);
    assert.equal(clean.verdict, 'clean');
  },
);

test(
  'scan --yara with a path that does not exist: exit 2 with E_YARA_RULES_NOT_FOUND, nothing scanned',
  { skip },
  async () => {
    const dir = fixture();
    const r = await cli(['scan', '--json', '--no-store', '--yara', join(dir, 'nope.yar'), dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_YARA_RULES_NOT_FOUND/);
    assert.equal(r.stdout, '');
  },
);
