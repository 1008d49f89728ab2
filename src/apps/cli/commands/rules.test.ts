import assert from 'node:assert/strict';
import { fakeIO } from '../../../../test/support/cli-io.js';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  loadSigmaRuleFiles,
  parsePlaceholderFlags,
  readRuleSources,
  runRulesCheck,
} from './rules.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-rules-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const event = (image: string) =>
  `    - Event:\n        System: {Channel: Microsoft-Windows-Sysmon/Operational, EventID: 1}\n        EventData: {Image: '${image}'}`;

const GOOD = `title: Office spawns cmd
id: 9f7c4a5e-0000-4000-8000-000000000001
level: high
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\cmd.exe'
  condition: selection
tests:
  match:
${event('C:\\Windows\\System32\\cmd.exe')}
  nomatch:
${event('C:\\Windows\\System32\\notepad.exe')}
`;

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('emoguard rules check', () => {
  test('good rules with passing tests → exit 0 and an ok summary', async () => {
    const path = write('good/office.yml', GOOD);
    const { io, out, err } = fakeIO();
    assert.equal(await runRulesCheck([join(dir, 'good')], {}, io), 0);
    assert.equal(out(), '');
    assert.match(
      err(),
      /rules check: ok: 1 files, 1 rules, 0 correlations, tests 2 passed \/ 0 failed in 1 rules/,
    );
    assert.equal(loadSigmaRuleFiles([path]).rules.length, 1);
  });

  test('a refused rule and a failing test → error[E_…]: message --> file:line:col, exit 2', async () => {
    write('bad/modifier.yml', GOOD.replace('endswith', 'endswithh').replace('0001', '0002'));
    write(
      'bad/test-fails.yml',
      GOOD.replace(
        "'C:\\Windows\\System32\\notepad.exe'",
        "'C:\\Windows\\System32\\cmd.exe'",
      ).replace('0001', '0003'),
    );
    const { io, out } = fakeIO();
    assert.equal(await runRulesCheck([join(dir, 'bad')], {}, io), 2);
    const file = (name: string) => relative(process.cwd(), join(dir, 'bad', name));
    assert.equal(
      out(),
      `error[E_SIGMA_UNSUPPORTED_MODIFIER]: Image|endswithh: modifier 'endswithh' is not supported (supported: expand, windash, base64, base64offset, utf16le, utf16be, utf16, wide, contains, startswith, endswith, re, cidr, lt, lte, gt, gte, exists, fieldref, neq, minute, hour, day, week, month, year, i, m, s, all, cased)\n --> ${file('modifier.yml')}:7:5\n` +
        `error[E_SIGMA_TEST_FAILED]: rule 'Office spawns cmd' (9f7c4a5e-0000-4000-8000-000000000003) fires on its tests.nomatch[0] event\n --> ${file('test-fails.yml')}:15:7\n`,
    );
  });

  test('--json prints one object with counts and errors', async () => {
    const { io, out } = fakeIO();
    assert.equal(await runRulesCheck([join(dir, 'bad'), join(dir, 'good')], { json: true }, io), 2);
    const report = JSON.parse(out()) as {
      ok: boolean;
      files: number;
      rules: number;
      tests: { failed: number };
      errors: { code: string; span: { line: number } }[];
    };
    assert.equal(report.ok, false);
    assert.equal(report.files, 3);
    assert.equal(report.rules, 2);
    assert.equal(report.tests.failed, 1);
    assert.deepEqual(
      report.errors.map((e) => e.code),
      ['E_SIGMA_UNSUPPORTED_MODIFIER', 'E_SIGMA_TEST_FAILED'],
    );
  });

  test('a path that does not exist is an error, not a crash', async () => {
    const { io, out } = fakeIO();
    assert.equal(await runRulesCheck([join(dir, 'missing.yml')], {}, io), 2);
    assert.match(out(), /error\[E_SIGMA_READ\]: cannot read/);
  });

  test('a rule file over maxRuleFileBytes is refused before it is read', () => {
    const path = write('big/big.yml', GOOD);
    const set = loadSigmaRuleFiles([path], { limits: { maxRuleFileBytes: 100 } });
    assert.equal(set.errors[0]?.code, 'E_SIGMA_TOO_LARGE');
  });

  test('a directory with more rule files than allowed is refused; at the cap it is read', () => {
    write('many/a.yml', GOOD);
    write('many/b.yml', GOOD);
    assert.equal(readRuleSources([join(dir, 'many')], 1 << 20, 2).sources.length, 2);
    const over = readRuleSources([join(dir, 'many')], 1 << 20, 1);
    assert.equal(over.sources.length, 0);
    assert.equal(over.errors[0]?.code, 'E_SIGMA_TOO_MANY_FILES');
  });

  test('--placeholder name=a,b feeds expand', () => {
    assert.deepEqual(parsePlaceholderFlags(['Admins=alice,bob', 'Admins=carol', 'Servers=srv1']), {
      Admins: ['alice', 'bob', 'carol'],
      Servers: ['srv1'],
    });
    assert.throws(() => parsePlaceholderFlags(['nope']), { code: 'E_CONFIG_PLACEHOLDER' });
  });
});
