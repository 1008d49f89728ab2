import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCfb } from '../../src/formats/cfb/index.js';
import { readVbaCompiled, readVbaProjects } from '../../src/formats/ovba/index.js';
import { buildPcodeProject } from './pcode.js';

const BODY = [
  'Sub AutoOpen()',
  "    ' say hello",
  '    MsgBox "Hello, ""world""", vbOKOnly, "Greeting"',
  '',
  'End Sub',
].join('\n');

test('buildPcodeProject: readVbaCompiled gives back identifiers, lines and literals', () => {
  const built = buildPcodeProject({ modules: [{ name: 'Module1', source: BODY }] });
  const cfb = parseCfb(built.bytes);
  const [compiled] = readVbaCompiled(cfb);
  assert.equal(compiled?.version, 0x00b2);
  assert.equal(compiled.hasCache, true);
  assert.deepEqual(compiled.identifiers, built.identifiers);
  assert.deepEqual(compiled.anomalies, []);
  const pcode = compiled.modules[0]?.pcode;
  assert.equal(pcode?.lineCount, 5);
  assert.equal(pcode.codeLineCount, 4);
  assert.deepEqual(
    pcode.strings.map((s) => [s.line, s.text]),
    [
      [1, ' say hello'],
      [2, 'Hello, "world"'],
      [2, 'Greeting'],
    ],
  );
  const source = readVbaProjects(cfb)[0]?.modules[0]?.code;
  assert.equal(source, `Attribute VB_Name = "Module1"\r\n${BODY.replaceAll('\n', '\r\n')}\r\n`);
});

test('buildPcodeProject: version 0xFFFF writes no cache and no p-code', () => {
  const built = buildPcodeProject({
    modules: [{ name: 'Module1', source: BODY }],
    version: 0xffff,
  });
  const [compiled] = readVbaCompiled(parseCfb(built.bytes));
  assert.equal(compiled?.hasCache, false);
  assert.deepEqual(compiled.modules, []);
});
