/**
 * The collectors write this format: the Velociraptor artifact must be an artifact Velociraptor loads,
 * and both collectors must write every snapshot field the parser reads. PowerShell itself is not in
 * Debian, so the script is checked for balanced delimiters here and parsed by pwsh only when present.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../../../test/support/fixtures.js';

const ARTIFACT = join(
  repoRoot(),
  'collectors',
  'velociraptor',
  'Custom.Emoguard.HostSnapshot.yaml',
);
const SCRIPT = join(repoRoot(), 'collectors', 'windows', 'collect.ps1');
const SNAPSHOT_KEYS = [
  'schema',
  'hostname',
  'volumeSerial',
  'collectedAt',
  'arch',
  'processes',
  'registry',
  'services',
  'scheduledTasks',
  'files',
  'system32',
  'knownFolders',
  'network',
];
const ROW_KEYS = {
  process: ['pid', 'name', 'path', 'commandLine', 'parentPid', 'createdAt'],
  registry: ['key', 'name', 'type', 'data'],
  service: ['name', 'displayName', 'binaryPath', 'serviceDll', 'startType', 'state', 'account'],
  task: ['name', 'command', 'arguments', 'enabled', 'userId', 'author'],
  file: ['path', 'size', 'mtime', 'ctime', 'isDir', 'isPe'],
  address: ['ip', 'mac', 'interface'],
};

/** Delimiters outside strings and comments must pair up (a cheap syntax check with no parser at hand). */
function unbalanced(code: string, comment: RegExp, strings: RegExp): string | undefined {
  const bare = code.replace(strings, '""').replace(comment, '');
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const [i, c] of [...bare].entries()) {
    if ('([{'.includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c])
      return `unexpected ${c} at ${i}: …${bare.slice(Math.max(0, i - 60), i + 1)}`;
  }
  return stack.length === 0 ? undefined : `${stack.length} unclosed (${stack.join('')})`;
}

describe('collectors: Velociraptor artifact', () => {
  const artifact = parse(readFileSync(ARTIFACT, 'utf8')) as Record<string, unknown>;

  test('has the fields Velociraptor requires: name, a CLIENT type, sources with a query', () => {
    assert.equal(artifact.name, 'Custom.Emoguard.HostSnapshot');
    assert.match(String(artifact.name), /^[A-Za-z0-9.]+$/, 'artifact names are dotted words');
    assert.equal(artifact.type, 'CLIENT');
    assert.equal(typeof artifact.description, 'string');
    assert.match(String(artifact.precondition), /^SELECT .* FROM info\(\)/);
    const sources = artifact.sources as Record<string, unknown>[];
    assert.ok(Array.isArray(sources) && sources.length === 1);
    assert.equal(sources[0]!.name, 'Snapshot');
    assert.equal(typeof sources[0]!.query, 'string');
  });

  test('parameters have names, descriptions and defaults of their type', () => {
    for (const p of artifact.parameters as Record<string, unknown>[]) {
      assert.match(String(p.name), /^[A-Za-z]+$/);
      assert.equal(typeof p.description, 'string', String(p.name));
      assert.equal(
        typeof p.default,
        'string',
        `${String(p.name)}: Velociraptor defaults are strings`,
      );
      if (p.type === 'int') assert.match(String(p.default), /^\d+$/);
    }
  });

  test('the query balances its brackets, defines every LET it uses and selects every snapshot field', () => {
    const query = String((artifact.sources as Record<string, unknown>[])[0]!.query);
    assert.equal(unbalanced(query, /--[^\n]*/g, /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g), undefined);
    const defined = new Set([...query.matchAll(/^\s*LET (\w+)/gm)].map((m) => m[1]!));
    for (const name of [
      'Processes',
      'Registry',
      'Services',
      'Tasks',
      'Files',
      'System32',
      'KnownFolders',
      'Serial',
      'Addresses',
    ]) {
      assert.ok(defined.has(name), `LET ${name}`);
    }
    const final = query.slice(query.lastIndexOf("SELECT 'emoguard.host-snapshot/1'"));
    for (const key of SNAPSHOT_KEYS) assert.match(final, new RegExp(`AS ${key}\\b`), key);
    for (const key of [
      ...ROW_KEYS.process,
      ...ROW_KEYS.registry,
      ...ROW_KEYS.service,
      ...ROW_KEYS.task,
      ...ROW_KEYS.file,
      ...ROW_KEYS.address,
    ]) {
      assert.match(query, new RegExp(`AS ${key}\\b`), `column ${key}`);
    }
  });
});

describe('collectors: collect.ps1', () => {
  const script = readFileSync(SCRIPT, 'utf8');

  test('is ASCII only (PowerShell 5.1 reads BOM-less scripts in the ANSI code page)', () => {
    assert.equal(/[^\x00-\x7f]/.exec(script), null);
  });

  test('balances its brackets outside strings and comments', () => {
    const noBlockComments = script.replace(/<#[\s\S]*?#>/g, '');
    assert.equal(
      unbalanced(noBlockComments, /#[^\n]*/g, /'(?:[^']|'')*'|"(?:[^"`]|`.)*"/g),
      undefined,
    );
  });

  test('writes every snapshot field and every row field the parser reads', () => {
    for (const key of SNAPSHOT_KEYS) assert.match(script, new RegExp(`^\\s+${key}\\s+=`, 'm'), key);
    for (const key of [
      ...ROW_KEYS.process,
      ...ROW_KEYS.registry,
      ...ROW_KEYS.service,
      ...ROW_KEYS.task,
      ...ROW_KEYS.file,
      ...ROW_KEYS.address,
    ]) {
      assert.match(script, new RegExp(`\\b${key}\\s+=`), key);
    }
    assert.match(script, /UTF8Encoding \$false/, 'UTF-8 without BOM');
    assert.match(script, /ConvertTo-Json -InputObject \$snapshot -Depth \d/);
  });

  const pwsh = spawnSync('pwsh', ['-NoProfile', '-Command', '$PSVersionTable.PSVersion.Major'], {
    encoding: 'utf8',
  });
  const skip =
    pwsh.status === 0 ? false : 'pwsh is not installed (PowerShell is not packaged in Debian)';
  test('parses without errors in PowerShell', { skip }, () => {
    const check = `$e=$null; [void][System.Management.Automation.Language.Parser]::ParseFile('${SCRIPT}', [ref]$null, [ref]$e); $e.Count`;
    const r = spawnSync('pwsh', ['-NoProfile', '-Command', check], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), '0', r.stdout + r.stderr);
  });
});
