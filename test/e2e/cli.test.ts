import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertGolden } from '../support/golden.js';

// CLI tests run the built launcher as users do (`make test` builds first), like yara-x's cli tests.
const BIN = fileURLToPath(new URL('../../bin/emoguard', import.meta.url));

const MALICIOUS =
  'Sub AutoOpen()\n  Set o = GetObject("winmgmts:Win32_Process")\n  o.Create "powershell -enc SQBFAFgA", Null, Null, pid\nEnd Sub\n';
const BENIGN = 'Sub FormatAll()\n  Selection.Font.Bold = True\nEnd Sub\n';

function run(
  args: string[],
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', EMOGUARD_DB: '', ...options.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-cli-'));
  mkdirSync(join(dir, 'in', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'in', 'dropper.vba'), MALICIOUS);
  writeFileSync(join(dir, 'in', 'sub', 'format.bas'), BENIGN);
  writeFileSync(join(dir, 'in', 'notes.txt'), 'meeting notes, nothing else\n');
  return dir;
}

describe('cli: scan', () => {
  test('scan --json on an AutoOpen+WMI+PowerShell macro: malicious, a step-4 finding, exit 1', () => {
    const dir = fixtureDir();
    const r = run(['scan', '--json', '--no-store', 'in/dropper.vba'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const result = JSON.parse(lines[0]!);
    assert.equal(result.verdict, 'malicious');
    assert.equal(result.type, 'vba-source');
    assert.ok(result.findings.some((f: { step: string }) => f.step === '4'));
    for (const key of ['path', 'sha256', 'type', 'verdict', 'findings', 'extracted', 'children'])
      assert.ok(key in result, key);
    for (const key of ['macros', 'xlm', 'iocs', 'powershell', 'config'])
      assert.ok(key in result.extracted, key);
    assert.deepEqual(result.extracted.powershell[0], { raw: '-enc SQBFAFgA', decoded: 'IEX' });
    assert.equal(result.extracted.macros[0].module, 'dropper');
  });

  test('scan on a benign macro exits 0', () => {
    const dir = fixtureDir();
    const r = run(['scan', '--json', '--no-store', 'in/sub/format.bas'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).verdict, 'clean');
  });

  test('human output of a directory: stable order, step column, summary (golden)', () => {
    const dir = fixtureDir();
    const r = run(['scan', '--no-store', '--workers', '2', 'in'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assertGolden(
      r.stdout.replace(/ in \d+\.\d+ s:/, ' in X s:'),
      new URL('./testdata/scan-dir.out.txt', import.meta.url),
    );
  });

  test('scan - reads standard input', () => {
    const r = run(['scan', '--json', '--no-store', '-'], { input: MALICIOUS });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).path, '-');
  });

  test('a missing path is an error (exit 2) and the other inputs are still scanned', () => {
    const dir = fixtureDir();
    const r = run(['scan', '--json', '--no-store', 'in/sub/format.bas', 'in/missing.doc'], {
      cwd: dir,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /in\/missing\.doc: no such file or directory \(E_INPUT_ENOENT\)/);
    assert.equal(r.stdout.trim().split('\n').length, 1);
  });

  test('malicious wins over errors for the exit status (1)', () => {
    const dir = fixtureDir();
    assert.equal(run(['scan', '--no-store', 'in/dropper.vba', 'nope'], { cwd: dir }).code, 1);
  });

  test('a bad --limit is a usage error (exit 2) with the accepted names', () => {
    const r = run(['scan', '--limit', 'maxDepth=-1', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_CONFIG_LIMIT/);
  });
});

describe('cli: store and report', () => {
  test('scan stores into --db, report renders md/html/json from it', () => {
    const dir = fixtureDir();
    const db = join(dir, 'store.db');
    assert.equal(run(['scan', '--db', db, 'in'], { cwd: dir }).code, 1);
    const md = run(['report', '--db', db]);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /vba\.autoexec-execution-chain/);
    const html = run(['report', '--db', db, '--format', 'html', '--out', join(dir, 'r.html')]);
    assert.equal(html.code, 0, html.stderr);
    assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /<html/);
    const json = run(['report', '--db', db, '--format', 'json']);
    assert.doesNotThrow(() => JSON.parse(json.stdout));
  });

  test('EMOGUARD_DB picks the store when --db is absent', () => {
    const dir = fixtureDir();
    const db = join(dir, 'env.db');
    run(['scan', 'in/dropper.vba'], { cwd: dir, env: { EMOGUARD_DB: db } });
    assert.equal(run(['report'], { env: { EMOGUARD_DB: db } }).code, 0);
  });

  test('report without a store says how to make one (exit 2)', () => {
    const dir = fixtureDir();
    const r = run(['report', '--db', join(dir, 'none.db')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_STORE_MISSING/);
  });
});

describe('cli: help and version', () => {
  test('--help on each verb exits 0', () => {
    for (const args of [
      ['--help'],
      ['scan', '--help'],
      ['report', '--help'],
      ['demo', '--help'],
      ['coverage', '--help'],
      ['version', '--help'],
    ]) {
      const r = run(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /Usage: emoguard/);
    }
  });

  test('version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.match(
      run(['version']).stdout,
      new RegExp(`^emoguard ${pkg.version.replace(/\./g, '\\.')} `),
    );
  });

  test('an unknown verb is a usage error (exit 2)', () => {
    assert.equal(run(['frobnicate']).code, 2);
  });
});

describe('cli: demo', () => {
  test('demo generates the incident on PC-SALES-01, analyses it in every layer (steps ①–⑥), correlates it, writes reports, prints the coverage matrix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emoguard-demo-test-'));
    const r = run(['demo', '--out', join(dir, 'corpus'), '--db', join(dir, 'demo.db')]);
    assert.equal(r.code, 0, r.stderr);
    for (const id of [
      'mail.display-name-spoof',
      'mail.office-attachment',
      'vba.macro-present',
      'vba.autoexec-entrypoint',
      'vba.wmi-process-create',
      'vba.encoded-powershell',
      'powershell.download-and-execute',
      'chain.office-wmi-powershell-payload',
      'ioc.download-match',
      'ioc.c2-match',
      'triage.run-key-user-dir',
      'emotet-config.c2-table',
      // ⑥ endpoint rules (rules/sigma): SMB spread correlation, Outlook data file access, C2 port
      'sigma.31d0d0ae-1e70-429b-9bcf-0813d719bd3b',
      'sigma.72ef5f88-9ca9-4e28-8d8d-cb9599452c6a',
      'sigma.93daff9e-f07a-44b4-aad3-eaed8bf8573f',
    ]) {
      assert.match(r.stdout, new RegExp(id.replace('.', '\\.')), id);
    }
    assert.match(r.stdout, /malicious +mail\/請求書_202611\.eml/);
    assert.match(r.stdout, /clean +documents\/format-tables\.bas/);
    assert.match(r.stdout, /incident #\d+ host PC-SALES-01: critical, steps [^ ]*⑥/);
    assert.match(r.stdout, /Coverage of the simulated Emotet attack/);
    assert.match(r.stdout, /Legend \(MITRE ATT&CK Evaluations/);
    const html = readFileSync(join(dir, 'corpus', 'report.html'), 'utf8');
    assert.match(html, /vba\.autoexec-execution-chain/);
    assert.doesNotMatch(html, /https?:\/\/203\.0\.113/); // IOCs are defanged in reports
  });
});
