import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as CFB from 'cfb';
import { ConfigError } from '../../core/index.js';
import { parseCfb } from '../cfb/index.js';
import {
  buildOleWordDocument,
  buildVbaProjectBin,
  buildVbaProjectCfb,
  decryptProjectData,
  parseProjectText,
  readVbaProjects,
  type VbaModuleSpec,
  vbaModuleSource,
} from './index.js';

const WESTERN: VbaModuleSpec[] = [
  {
    name: 'ThisDocument',
    type: 'document',
    code: vbaModuleSource('ThisDocument', 'Sub AutoOpen()\n  Demo\nEnd Sub', 'document'),
  },
  {
    name: 'Module1',
    code: vbaModuleSource('Module1', 'Sub Demo()\n  MsgBox "café — inert demo"\nEnd Sub'),
  },
  { name: 'Class1', type: 'class', code: vbaModuleSource('Class1', 'Public X As Long', 'class') },
];

const JAPANESE: VbaModuleSpec[] = [
  {
    name: 'ThisDocument',
    type: 'document',
    code: vbaModuleSource(
      'ThisDocument',
      "' 文書を開くと実行されます\nSub AutoOpen()\nEnd Sub",
      'document',
    ),
  },
  {
    name: 'モジュール1',
    code: vbaModuleSource('モジュール1', 'Sub 表示()\n  MsgBox "こんにちは、世界"\nEnd Sub'),
  },
];

function roundTrip(bytes: Uint8Array, modules: VbaModuleSpec[], root: string, codePage: number) {
  const cfb = parseCfb(bytes);
  assert.deepEqual(cfb.anomalies, []);
  const projects = readVbaProjects(cfb);
  assert.equal(projects.length, 1);
  const [project] = projects;
  assert.deepEqual(project!.anomalies, []);
  assert.equal(project!.root, root);
  assert.equal(project!.codePage, codePage);
  assert.deepEqual(
    project!.modules.map((m) => ({ name: m.name, type: m.type, code: m.code, stream: m.stream })),
    modules.map((m) => ({
      name: m.name,
      type: m.type ?? 'procedural',
      code: m.code,
      stream: `${root ? `${root}/` : ''}VBA/${m.name}`,
    })),
  );
  return project!;
}

describe('ovba: writers', () => {
  it('buildOleWordDocument round-trips module names, types and code (cp1252)', () => {
    roundTrip(
      buildOleWordDocument({ text: 'Inert demo', modules: WESTERN }),
      WESTERN,
      'Macros',
      1252,
    );
  });

  it('buildOleWordDocument round-trips Japanese comments, strings and names (cp932)', () => {
    const bytes = buildOleWordDocument({ text: 'demo', modules: JAPANESE, codePage: 932 });
    roundTrip(bytes, JAPANESE, 'Macros', 932);
  });

  it('picks cp932 by itself for Japanese text when no code page is given', () => {
    const bytes = buildOleWordDocument({ text: '請求書', modules: JAPANESE });
    roundTrip(bytes, JAPANESE, 'Macros', 932);
    const word = parseCfb(bytes).readStream('WordDocument')!;
    assert.ok(new TextDecoder('utf-16le').decode(word.subarray(0x200)).startsWith('請求書'));
  });

  it('refuses text the given code page cannot hold → ConfigError E_OVBA_UNENCODABLE', () => {
    assert.throws(
      () => buildVbaProjectBin({ modules: JAPANESE, codePage: 1252 }),
      (e: unknown) => e instanceof ConfigError && e.code === 'E_OVBA_UNENCODABLE',
    );
  });

  it('buildVbaProjectBin puts the project at the root, as vbaProject.bin in a .docm', () => {
    roundTrip(buildVbaProjectBin({ modules: WESTERN }), WESTERN, '', 1252);
  });

  it('buildVbaProjectCfb accepts an Excel root and extra streams', () => {
    const bytes = buildVbaProjectCfb({
      root: '_VBA_PROJECT_CUR',
      modules: WESTERN.slice(1, 2),
      streams: [{ path: 'Workbook', data: new Uint8Array(10) }],
    });
    roundTrip(bytes, WESTERN.slice(1, 2), '_VBA_PROJECT_CUR', 1252);
    assert.equal(parseCfb(bytes).find('Workbook')?.size, 10);
  });

  it('writes a .doc shape: Word CLSID, FIB magic, SummaryInformation, no cfb marker stream', () => {
    const cfb = parseCfb(buildOleWordDocument({ text: 'Hello', title: 'Demo', modules: WESTERN }));
    assert.equal(cfb.entries[0]?.clsid, '00020906-0000-0000-C000-000000000046');
    const word = cfb.readStream('WordDocument')!;
    assert.equal(word[0]! | (word[1]! << 8), 0xa5ec);
    assert.ok(cfb.readStream('1Table'));
    const summary = cfb.readStream('\x05SummaryInformation')!;
    assert.deepEqual([...summary.subarray(0, 2)], [0xfe, 0xff]);
    assert.ok(new TextDecoder('latin1').decode(summary).includes('Demo\0'));
    assert.ok(!cfb.entries.some((e) => e.name.includes('Sh33tJ5')));
  });

  it('is readable by another CFB reader (the cfb package)', () => {
    const doc = CFB.read(buildOleWordDocument({ text: 'x', modules: WESTERN }), { type: 'array' });
    assert.ok(CFB.find(doc, '/Macros/VBA/dir'));
    assert.deepEqual(CFB.find(doc, '/Macros/VBA/_VBA_PROJECT')?.size, 7);
  });

  it('writes a PROJECT stream whose CMG/DPB/GC decrypt to unprotected and visible', () => {
    const project = roundTrip(buildVbaProjectBin({ modules: WESTERN }), WESTERN, '', 1252);
    const { properties, modules } = parseProjectText(project.projectText!);
    assert.deepEqual(
      [...decryptProjectData(properties.get('CMG')!.slice(1, -1))!.data],
      [0, 0, 0, 0],
    );
    assert.deepEqual([...decryptProjectData(properties.get('DPB')!.slice(1, -1))!.data], [0]);
    assert.deepEqual([...decryptProjectData(properties.get('GC')!.slice(1, -1))!.data], [0xff]);
    assert.equal(modules.get('THISDOCUMENT'), 'document');
    assert.equal(modules.get('CLASS1'), 'class');
  });

  it('builds byte-identical files for the same spec', () => {
    const spec = { text: 'x', modules: WESTERN };
    assert.deepEqual(buildOleWordDocument(spec), buildOleWordDocument(spec));
  });

  it('rejects module names a compound file cannot hold → ConfigError', () => {
    for (const name of ['', 'a/b', 'x'.repeat(32), 'Tab\there']) {
      assert.throws(
        () => buildVbaProjectBin({ modules: [{ name, code: '' }] }),
        (e: unknown) => e instanceof ConfigError,
        JSON.stringify(name),
      );
    }
    assert.throws(
      () =>
        buildVbaProjectBin({
          modules: [
            { name: 'M', code: '' },
            { name: 'm', code: '' },
          ],
        }),
      ConfigError,
    );
    assert.throws(() => buildVbaProjectBin({ modules: [], codePage: 12345 }), ConfigError);
  });

  it('vbaModuleSource writes the VB_Name attribute and CRLF line ends', () => {
    assert.equal(
      vbaModuleSource('M', 'Sub A()\nEnd Sub\n'),
      'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\n',
    );
  });
});
