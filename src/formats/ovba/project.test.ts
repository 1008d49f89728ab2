import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { parseCfb } from '../cfb/index.js';
import { buildDir, buildModuleStream, buildVbaCfb, latin1 } from '../../../test/builders/ovba.js';
import { FormatError } from '../../core/index.js';
import {
  buildOleWordDocument,
  compressOvba,
  readVbaProjects,
  type VbaProject,
  vbaModuleSource,
} from './index.js';

const SOURCE = 'Attribute VB_Name = "Module1"\r\nSub AutoOpen()\r\n  Shell "calc"\r\nEnd Sub\r\n';
const DOC_SOURCE =
  'Attribute VB_Name = "ThisDocument"\r\nAttribute VB_Base = "1Normal.ThisDocument"\r\n' +
  'Private Sub Document_Open()\r\nEnd Sub\r\n';
const codes = (p: VbaProject): string[] => p.anomalies.map((a) => a.code);

function project(bytes: Uint8Array): VbaProject[] {
  return readVbaProjects(parseCfb(bytes));
}

describe('ovba: readVbaProjects', () => {
  it('reads modules at their MODULEOFFSET past a PerformanceCache', () => {
    const module = buildModuleStream(latin1(SOURCE), 333);
    const doc = buildModuleStream(latin1(DOC_SOURCE), 57);
    const bytes = buildVbaCfb({
      root: 'Macros',
      dir: compressOvba(
        buildDir({
          modules: [
            { name: 'ThisDocument', type: 0x22, textOffset: doc.textOffset },
            { name: 'Module1', textOffset: module.textOffset },
          ],
        }),
      ),
      project: latin1(
        'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisDocument/&H00000000\r\nModule=Module1\r\n',
      ),
      streams: [
        { name: 'ThisDocument', data: doc.bytes },
        { name: 'Module1', data: module.bytes },
      ],
    });
    const [p, ...rest] = project(bytes);
    assert.equal(rest.length, 0);
    assert.equal(p!.root, 'Macros');
    assert.deepEqual(p!.anomalies, []);
    assert.equal(p!.isRecovered, false);
    assert.deepEqual(
      p!.modules.map(({ stream, name, type, code }) => ({ stream, name, type, code })),
      [
        {
          stream: 'Macros/VBA/ThisDocument',
          name: 'ThisDocument',
          type: 'document',
          code: DOC_SOURCE,
        },
        { stream: 'Macros/VBA/Module1', name: 'Module1', type: 'procedural', code: SOURCE },
      ],
    );
  });

  it('finds every project: Excel _VBA_PROJECT_CUR and a root VBA storage in one file', () => {
    const one = (root: string) => ({
      root,
      dir: compressOvba(buildDir({ modules: [{ name: 'Module1' }] })),
      streams: [{ name: 'Module1', data: compressOvba(latin1(SOURCE)) }],
    });
    const projects = project(buildVbaCfb(one('_VBA_PROJECT_CUR'), one('')));
    assert.deepEqual(projects.map((p) => p.root).sort(), ['', '_VBA_PROJECT_CUR']);
    for (const p of projects) assert.equal(p.modules[0]?.code, SOURCE);
  });

  it('class module without a PROJECT stream is typed class from MODULETYPE 0x22', () => {
    const bytes = buildVbaCfb({
      root: '',
      dir: compressOvba(buildDir({ modules: [{ name: 'Class1', type: 0x22 }] })),
      streams: [{ name: 'Class1', data: compressOvba(latin1('Attribute VB_Name = "Class1"\r\n')) }],
    });
    assert.equal(project(bytes)[0]?.modules[0]?.type, 'class');
  });

  it('decodes source in PROJECTCODEPAGE: cp1251 Cyrillic', () => {
    const source = 'Attribute VB_Name = "M"\r\n\' Привет\r\n';
    const bytes = buildVbaCfb({
      root: '',
      dir: compressOvba(buildDir({ codePage: 1251, modules: [{ name: 'M' }] })),
      streams: [{ name: 'M', data: compressOvba(new Uint8Array(iconv.encode(source, 'cp1251'))) }],
    });
    const [p] = project(bytes);
    assert.equal(p!.codePage, 1251);
    assert.equal(p!.modules[0]?.code, source);
  });

  it('unknown code page → E_OVBA_UNKNOWN_CODEPAGE, source decoded as latin1', () => {
    const bytes = buildVbaCfb({
      root: '',
      dir: compressOvba(buildDir({ codePage: 12345, modules: [{ name: 'M' }] })),
      streams: [{ name: 'M', data: compressOvba(latin1(SOURCE)) }],
    });
    const [p] = project(bytes);
    assert.ok(codes(p!).includes('E_OVBA_UNKNOWN_CODEPAGE'));
    assert.equal(p!.modules[0]?.code, SOURCE);
  });

  it('corrupt dir stream → E_OVBA_FALLBACK_SCAN, modules recovered from their streams', () => {
    const garbage = new Uint8Array(64).fill(0x41);
    const bytes = buildVbaCfb({
      root: 'Macros',
      dir: garbage,
      streams: [{ name: 'Module1', data: buildModuleStream(latin1(SOURCE), 200).bytes }],
    });
    const [p] = project(bytes);
    assert.ok(codes(p!).includes('E_OVBA_BAD_SIGNATURE'));
    assert.ok(codes(p!).includes('E_OVBA_FALLBACK_SCAN'));
    assert.equal(p!.isRecovered, true);
    assert.deepEqual(
      p!.modules.map((m) => [m.stream, m.name, m.type, m.code]),
      [['Macros/VBA/Module1', 'Module1', 'procedural', SOURCE]],
    );
  });

  it('missing dir stream → E_OVBA_NO_DIR and the same fallback', () => {
    const bytes = buildVbaCfb({
      root: '',
      streams: [{ name: 'Module1', data: compressOvba(latin1(SOURCE)) }],
    });
    const [p] = project(bytes);
    assert.ok(codes(p!).includes('E_OVBA_NO_DIR'));
    assert.equal(p!.modules[0]?.code, SOURCE);
  });

  it('MODULEOFFSET pointing at garbage → E_OVBA_BAD_OFFSET, source found by scanning', () => {
    const module = buildModuleStream(latin1(SOURCE), 100);
    const bytes = buildVbaCfb({
      root: '',
      dir: compressOvba(buildDir({ modules: [{ name: 'Module1', textOffset: 10 }] })),
      streams: [{ name: 'Module1', data: module.bytes }],
    });
    const [p] = project(bytes);
    assert.ok(codes(p!).includes('E_OVBA_BAD_OFFSET'));
    assert.equal(p!.modules[0]?.code, SOURCE);
  });

  it('MODULEOFFSET past the stream → E_OVBA_BAD_OFFSET, no throw', () => {
    const bytes = buildVbaCfb({
      root: '',
      dir: compressOvba(buildDir({ modules: [{ name: 'Module1', textOffset: 1 << 30 }] })),
      streams: [{ name: 'Module1', data: compressOvba(latin1(SOURCE)) }],
    });
    const [p] = project(bytes);
    assert.ok(codes(p!).includes('E_OVBA_BAD_OFFSET'));
    assert.equal(p!.modules[0]?.code, SOURCE);
  });

  it('module listed in dir but missing → E_OVBA_MODULE_MISSING, other modules read', () => {
    const bytes = buildVbaCfb({
      root: '',
      dir: compressOvba(buildDir({ modules: [{ name: 'Gone' }, { name: 'Module1' }] })),
      streams: [{ name: 'Module1', data: compressOvba(latin1(SOURCE)) }],
    });
    const [p] = project(bytes);
    assert.deepEqual(codes(p!), ['E_OVBA_MODULE_MISSING']);
    assert.deepEqual(
      p!.modules.map((m) => m.name),
      ['Module1'],
    );
  });

  it('truncated dir → modules it lost are recovered by scanning unused streams', () => {
    const dir = buildDir({ modules: [{ name: 'Module1' }, { name: 'Module2' }] });
    const bytes = buildVbaCfb({
      root: '',
      dir: compressOvba(dir.subarray(0, dir.length - 120)),
      streams: [
        { name: 'Module1', data: compressOvba(latin1(SOURCE)) },
        { name: 'Module2', data: compressOvba(latin1(SOURCE.replace('Module1', 'Module2'))) },
      ],
    });
    const [p] = project(bytes);
    assert.ok(codes(p!).includes('E_OVBA_DIR_TRUNCATED'));
    assert.deepEqual(p!.modules.map((m) => m.name).sort(), ['Module1', 'Module2']);
  });

  it('many modules sharing one compressed bomb → E_OVBA_OUTPUT_LIMIT, total output bounded', () => {
    const modules = Array.from({ length: 200 }, (_, i) => ({ name: `M${i}`, streamName: 'Bomb' }));
    const bytes = buildVbaCfb({
      root: '',
      dir: compressOvba(buildDir({ modules })),
      streams: [{ name: 'Bomb', data: compressOvba(new Uint8Array(1 << 20)) }],
    });
    const [p] = readVbaProjects(parseCfb(bytes), { maxTotalBytes: 4 << 20 });
    assert.ok(codes(p!).includes('E_OVBA_OUTPUT_LIMIT'));
    const total = p!.modules.reduce((n, m) => n + m.code.length, 0);
    assert.ok(total <= 4 << 20, `total ${total}`);
  });

  it('a file without VBA has no projects', () => {
    assert.deepEqual(project(buildVbaCfb()), []);
  });

  it('random corruption of a macro document never throws raw errors', () => {
    const doc = buildOleWordDocument({
      text: 'x',
      modules: [{ name: 'Module1', code: vbaModuleSource('Module1', 'Sub A()\nEnd Sub') }],
    });
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const bytes = doc.slice();
      for (let flips = 1 + random(6); flips > 0; flips--)
        bytes[512 + random(bytes.length - 512)] = random(256);
      try {
        for (const p of project(bytes))
          for (const m of p.modules) assert.equal(typeof m.code, 'string');
      } catch (error) {
        assert.ok(error instanceof FormatError, String(error));
      }
    }
  });
});
