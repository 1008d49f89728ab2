import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../core/index.js';
import { createYaraEngine, YARA_EXTERNALS } from '../../engines/yara/index.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { MAX_CACHED_RULE_SETS } from './cache.js';
import { bundledRulesDir, loadYaraRules, readRuleFiles } from './index.js';
import { variablesUsedBy } from './scanner.js';

function ruleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-yara-rules-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const HELLO = 'rule Hello : demo { meta: severity = "high" strings: $a = "hello" condition: $a }\n';
const BINARY = 'rule Binary { strings: $b = { FF FE 00 80 } condition: $b }\n';

test('yara backend: user rules are compiled with the bundled ones; matches carry namespace, tags, meta', () => {
  const dir = ruleDir({ 'hello.yar': HELLO });
  const { scanner, files, errors, cache } = loadYaraRules({ paths: [dir], cacheDir: null });
  assert.deepEqual(errors, []);
  assert.equal(cache, 'off');
  assert.ok(files.some((f) => f.startsWith(bundledRulesDir())));
  const [match] = scanner.scan(new TextEncoder().encode('oh hello'), { filetype: 'text' });
  assert.deepEqual(match, {
    rule: 'Hello',
    namespace: 'hello',
    tags: ['demo'],
    meta: { severity: 'high' },
    strings: [{ identifier: '$a', offset: 3, length: 5 }],
  });
});

test('yara backend: a broken rule is reported with file:line:col; the other rules still load', () => {
  const dir = ruleDir({
    'good.yar': HELLO,
    'bad.yara': 'rule Ok { condition: true }\nrule Bad {\n  condition: no_such_thing\n}\n',
  });
  const { scanner, errors } = loadYaraRules({
    paths: [dir],
    includeBundled: false,
    cacheDir: null,
  });
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.code, 'E_YARA_E009');
  assert.deepEqual(errors[0]!.span, { file: join(dir, 'bad.yara'), line: 3, col: 14 });
  assert.match(errors[0]!.render(), /^error\[E_YARA_E009\]: unknown identifier `no_such_thing`/);
  const rules = scanner.scan(new TextEncoder().encode('hello')).map((m) => m.rule);
  assert.deepEqual(rules.sort(), ['Hello', 'Ok']);
});

test('yara backend: rules importing "magic" (absent from YARA-X) are skipped with a note, not errors', () => {
  const dir = ruleDir({
    'm.yar': 'import "magic"\nrule UsesMagic { condition: magic.type() contains "PE" }\n' + HELLO,
  });
  const { scanner, errors, skipped } = loadYaraRules({
    paths: [dir],
    includeBundled: false,
    cacheDir: null,
  });
  assert.deepEqual(errors, []);
  assert.match(skipped.join('\n'), /UsesMagic skipped: ignored_module \(magic\)/);
  assert.equal(scanner.scan(new TextEncoder().encode('hello')).length, 1);
});

test('yara backend: a directory is walked recursively; same-named files get distinct namespaces', () => {
  const dir = ruleDir({ 'a/x.yar': HELLO, 'b/x.yara': HELLO, 'b/notes.txt': 'not a rule' });
  const files = readRuleFiles([dir], false);
  assert.deepEqual(
    files.map((f) => f.namespace),
    ['x', 'x-2'],
  );
  const { scanner, errors } = loadYaraRules({
    paths: [dir],
    includeBundled: false,
    cacheDir: null,
  });
  assert.deepEqual(errors, []);
  assert.equal(scanner.scan(new TextEncoder().encode('hello')).length, 2);
});

test('yara backend: a missing path or a directory without rules → ConfigError E_YARA_RULES_NOT_FOUND', () => {
  const empty = ruleDir({ 'readme.txt': 'x' });
  for (const path of [join(empty, 'missing.yar'), empty]) {
    assert.throws(
      () => loadYaraRules({ paths: [path], cacheDir: null }),
      (e: unknown) => e instanceof ConfigError && e.code === 'E_YARA_RULES_NOT_FOUND',
    );
  }
});

test('yara cache: first load compiles and stores, the second deserializes; editing a file misses', () => {
  const dir = ruleDir({ 'hello.yar': HELLO, 'bad.yar': 'rule Bad { condition: nope }' });
  const cacheDir = join(mkdtempSync(join(tmpdir(), 'emoguard-yara-cache-')), 'c');
  const first = loadYaraRules({ paths: [dir], cacheDir });
  const second = loadYaraRules({ paths: [dir], cacheDir });
  assert.deepEqual([first.cache, second.cache], ['miss', 'hit']);
  assert.deepEqual(
    second.errors.map((e) => e.render()),
    first.errors.map((e) => e.render()),
  );
  assert.equal(second.scanner.scan(new TextEncoder().encode('hello')).length, 1);
  writeFileSync(join(dir, 'hello.yar'), HELLO.replace('hello', 'howdy'));
  assert.equal(loadYaraRules({ paths: [dir], cacheDir }).cache, 'miss');
  assert.ok(readdirSync(cacheDir).every((f) => !f.endsWith('.tmp')));
});

test('yara cache: SECURITY: a directory others can write is never trusted (no load, no store)', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'emoguard-yara-shared-'));
  chmodSync(cacheDir, 0o777);
  const dir = ruleDir({ 'hello.yar': HELLO });
  assert.equal(loadYaraRules({ paths: [dir], cacheDir }).cache, 'miss');
  assert.equal(loadYaraRules({ paths: [dir], cacheDir }).cache, 'miss');
  assert.deepEqual(readdirSync(cacheDir), []);
});

test('yara backend + engine: evidence is sliced from the buffer (binary bytes kept, not lossy UTF-8)', async () => {
  const dir = ruleDir({ 'bin.yar': BINARY });
  const { scanner } = loadYaraRules({ paths: [dir], includeBundled: false, cacheDir: null });
  const bytes = new Uint8Array([0x41, 0xff, 0xfe, 0x00, 0x80, 0x42]);
  const out = await createYaraEngine(scanner).analyze(makeContext(bytes));
  assert.equal(out.findings?.[0]?.evidence[0]?.text, '$b \\xff\\xfe\\x00\\x80');
  assert.equal(out.findings?.[0]?.evidence[0]?.offset, 1);
});

test('yara backend: an empty buffer scans cleanly', () => {
  const { scanner } = loadYaraRules({ cacheDir: null });
  assert.deepEqual(scanner.scan(new Uint8Array(0), { filetype: 'empty' }), []);
});

test('yara backend: the bundled rules are found from the package root', () => {
  const dir = bundledRulesDir();
  assert.ok(existsSync(join(dir, 'emotet.yar')));
  assert.ok(existsSync(join(dir, 'office-droppers.yar')));
});

test('yara cache: at most MAX_CACHED_RULE_SETS compiled sets are kept, the oldest deleted first', () => {
  const cacheDir = join(mkdtempSync(join(tmpdir(), 'emoguard-yara-prune-')), 'c');
  const dir = ruleDir({});
  for (let i = 0; i < MAX_CACHED_RULE_SETS + 2; i++) {
    writeFileSync(join(dir, 'r.yar'), `rule R${i} { condition: filesize == ${i} }\n`);
    loadYaraRules({ paths: [dir], includeBundled: false, cacheDir });
  }
  const blobs = readdirSync(cacheDir).filter((f) => f.endsWith('.yarc'));
  assert.equal(blobs.length, MAX_CACHED_RULE_SETS);
  assert.equal(
    readdirSync(cacheDir).filter((f) => f.endsWith('.json')).length,
    MAX_CACHED_RULE_SETS,
  );
});

test('yara backend: only the external variables the rules name are passed, and they still decide matches', () => {
  assert.deepEqual(
    variablesUsedBy(['rule A { condition: filetype == "ole" }'], Object.keys(YARA_EXTERNALS)),
    ['filetype'],
  );
  assert.deepEqual(variablesUsedBy(['rule A { condition: true }'], ['filename', 'owner']), []);
  // An included file may name any of them: all are passed.
  assert.deepEqual(variablesUsedBy(['include "x.yar"'], ['filename', 'owner']), [
    'filename',
    'owner',
  ]);
  const dir = ruleDir({
    'v.yar': 'rule ByName { condition: filename == "a.doc" and extension == ".doc" }\n',
  });
  for (const cacheDir of [null, join(mkdtempSync(join(tmpdir(), 'emoguard-yara-vars-')), 'c')]) {
    // Twice with a cache: compiled (miss) and deserialized (hit) rules behave the same.
    for (let round = 0; round < (cacheDir === null ? 1 : 2); round++) {
      const { scanner } = loadYaraRules({ paths: [dir], includeBundled: false, cacheDir });
      const bytes = new Uint8Array(4);
      const vars = { ...YARA_EXTERNALS, filename: 'a.doc', extension: '.doc' };
      assert.deepEqual(
        scanner.scan(bytes, vars).map((m) => m.rule),
        ['ByName'],
      );
      assert.deepEqual(scanner.scan(bytes, { ...vars, filename: 'b.doc' }), []);
      assert.deepEqual(
        scanner.scan(bytes, vars).map((m) => m.rule),
        ['ByName'],
      );
    }
  }
});
