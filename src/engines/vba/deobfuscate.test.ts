import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseVbaSource } from '../../formats/vba-source/index.js';
import { deobfuscate } from './deobfuscate.js';

const fold = (code: string, maxTotalChars = 1_000_000) =>
  deobfuscate(parseVbaSource(code).lines, { maxStringChars: 100_000, maxTotalChars }).map(
    (d) => d.value,
  );

test('deobfuscate: concatenation, Chr, StrReverse, Replace, Mid, Left, Right', () => {
  assert.deepEqual(fold('x = "pow" & Chr(101) + "r" & StrReverse("llehs")'), ['powershell']);
  assert.deepEqual(
    fold('x = Replace("cXXmd", "XX", "") & Mid("a.exe!", 2, 4) & Left("abc", 1) & Right("xyz", 2)'),
    ['cmd.exeayz'],
  );
  assert.deepEqual(fold('x = ChrW(&H68) & Chr$(116) & VBA.Chr(116) & Strings.Chr(112)'), ['http']);
});

test('deobfuscate: variables assigned earlier, with junk between them', () => {
  const code = [
    'a = "win"',
    'junk = 1 + 2 * 3',
    'b = a & "mgmts:"',
    'If 1 = 2 Then z = 3',
    'Set o = GetObject(b)',
  ].join('\n');
  assert.ok(fold(code).includes('winmgmts:'));
});

test('deobfuscate: Split, array indexing, Join(Array())', () => {
  assert.deepEqual(fold('p = Split("ps|http://192.0.2.1/x|y", "|")\nu = p(1)'), [
    'ps http://192.0.2.1/x y',
    'http://192.0.2.1/x',
  ]);
  assert.deepEqual(fold('c = Join(Array("cmd", "/c", "calc"), " ")'), ['cmd /c calc']);
});

test('deobfuscate: hex and base64 string literals that decode to text', () => {
  const hex = Buffer.from('http://198.51.100.7/a').toString('hex');
  const b64 = Buffer.from('powershell -nop', 'utf16le').toString('base64');
  assert.deepEqual(fold(`h = "${hex}"\nb = "${b64}"`), [
    'http://198.51.100.7/a',
    'powershell -nop',
  ]);
  assert.deepEqual(fold('h = "DEADBEEFDEADBEEF00FF"'), []); // binary: not text
});

test('deobfuscate: unknown calls stay unknown, never invented', () => {
  assert.deepEqual(fold('x = Foo("a") & Bar'), []);
  assert.deepEqual(fold('x = Environ("TEMP") & "\\a.exe"'), ['%TEMP%\\a.exe']);
});

test('deobfuscate: the total character budget bounds junk-stuffed modules', () => {
  const code = Array.from({ length: 1000 }, (_, i) => `v${i} = "abcdefghij" & "${i}"`).join('\n');
  const values = fold(code, 1000);
  assert.ok(values.join('').length <= 1000);
  assert.ok(values.length > 50);
});

test('deobfuscate: past the budget, telling values (powershell, URLs, …) are still kept', () => {
  const junk = Array.from({ length: 500 }, (_, i) => `v${i} = "abcdefghij" & "${i}"`);
  const values = fold([...junk, 'p = "power" & "shell -enc AAAA"'].join('\n'), 200);
  assert.ok(values.includes('powershell -enc AAAA'));
});
