import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseVbaSource, stripComment } from './index.js';

test('vba-source: continuations join into one logical line with its first line number', () => {
  const src = parseVbaSource('Sub A()\r\n  x = "a" & _\r\n      "b"\r\nEnd Sub\r\n');
  assert.equal(src.lines[1]!.line, 2);
  assert.equal(src.lines[1]!.code, '  x = "a" & "b"');
  assert.equal(src.lines[2]!.line, 4);
});

test('vba-source: comments are stripped outside strings only', () => {
  assert.equal(stripComment(`x = "it's" ' note`), `x = "it's"`);
  assert.equal(stripComment('Rem whole line'), '');
  assert.equal(stripComment('a = 1: Rem tail'), 'a = 1');
  assert.equal(stripComment('Remove = 1'), 'Remove = 1');
  assert.equal(stripComment('s = """quoted"" \'" \' c'), 's = """quoted"" \'"');
});

test('vba-source: procedures and module name', () => {
  const src = parseVbaSource(
    'Attribute VB_Name = "NewMacros"\nPrivate Sub Document_Open()\nEnd Sub\nPublic Function F(x)\nEnd Function\nDeclare Function Beep Lib "k" ()\nSub Truncated()\n',
  );
  assert.equal(src.moduleName, 'NewMacros');
  assert.deepEqual(
    src.procedures.map((p) => [p.name, p.kind, p.startLine, p.endLine]),
    [
      ['Document_Open', 'sub', 2, 3],
      ['F', 'function', 4, 5],
      ['Truncated', 'sub', 7, undefined],
    ],
  );
});

test('vba-source: maxLines bounds the work on junk-stuffed modules', () => {
  const src = parseVbaSource('x\n'.repeat(1000), { maxLines: 10 });
  assert.equal(src.lines.length, 10);
});
