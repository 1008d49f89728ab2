import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as CFB from 'cfb';
import { FormatError } from '../../core/index.js';
import { buildCfb, patternBytes } from '../../../test/builders/cfb.js';
import { isCfb, parseCfb } from './index.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const SPEC = {
  streams: [
    { path: 'WordDocument', data: patternBytes(9000, 1) },
    { path: '\x05SummaryInformation', data: patternBytes(300, 2) },
    { path: 'Macros/VBA/dir', data: patternBytes(700, 3) },
    { path: 'Macros/VBA/ThisDocument', data: patternBytes(5000, 4) },
    { path: 'Macros/PROJECT', data: text('ID="{00000000-0000-0000-0000-000000000000}"\r\n') },
    { path: 'Empty', data: new Uint8Array(0) },
  ],
};

function assertAllStreams(bytes: Uint8Array): void {
  const cfb = parseCfb(bytes);
  assert.deepEqual(cfb.anomalies, []);
  for (const { path, data } of SPEC.streams) {
    assert.deepEqual(cfb.readStream(path), data, path);
  }
}

describe('cfb: valid files', () => {
  it('reads every stream of a 512-byte-sector file, mini and regular, with full paths in tree order', () => {
    const built = buildCfb(SPEC);
    const cfb = parseCfb(built.bytes);
    assert.equal(cfb.sectorSize, 512);
    assert.equal(cfb.majorVersion, 3);
    assert.deepEqual(
      cfb.entries.map((e) => `${e.type}:${e.path}`),
      [
        'root:',
        'stream:Empty',
        'storage:Macros',
        'storage:Macros/VBA',
        'stream:Macros/VBA/dir',
        'stream:Macros/VBA/ThisDocument',
        'stream:Macros/PROJECT',
        'stream:WordDocument',
        'stream:\x05SummaryInformation',
      ],
    );
    assertAllStreams(built.bytes);
  });

  it('reads a version 4 file with 4096-byte sectors', () => {
    const built = buildCfb({ ...SPEC, sectorSize: 4096 });
    assert.equal(parseCfb(built.bytes).sectorSize, 4096);
    assertAllStreams(built.bytes);
  });

  it('follows FAT sectors listed in a DIFAT sector', () => {
    assertAllStreams(buildCfb({ ...SPEC, isDifatChained: true }).bytes);
  });

  it('looks paths up case-insensitively and accepts a leading slash', () => {
    const cfb = parseCfb(buildCfb(SPEC).bytes);
    assert.deepEqual(cfb.readStream('/macros/vba/DIR'), SPEC.streams[2]!.data);
    assert.equal(cfb.find('MACROS/vba')?.type, 'storage');
    assert.equal(cfb.readStream('Macros/VBA'), undefined, 'a storage is not a stream');
    assert.equal(cfb.readStream('Macros/VBA/missing'), undefined);
  });

  it('reads files written by the cfb npm package (cross-check with another writer)', () => {
    const doc = CFB.utils.cfb_new();
    for (const { path, data } of SPEC.streams) CFB.utils.cfb_add(doc, path, data);
    const bytes = new Uint8Array(CFB.write(doc, { type: 'array', fileType: 'cfb' }) as Uint8Array);
    const cfb = parseCfb(bytes);
    assert.deepEqual(cfb.anomalies, []);
    for (const { path, data } of SPEC.streams) assert.deepEqual(cfb.readStream(path), data, path);
  });

  it('reports the CLSID of a storage in registry form', () => {
    const doc = CFB.utils.cfb_new({ CLSID: '0609020000000000c000000000000046' });
    CFB.utils.cfb_add(doc, 'WordDocument', text('x'));
    const bytes = new Uint8Array(CFB.write(doc, { type: 'array' }) as Uint8Array);
    assert.equal(parseCfb(bytes).entries[0]?.clsid, '00020906-0000-0000-C000-000000000046');
  });

  it('isCfb checks the signature only', () => {
    assert.equal(isCfb(buildCfb(SPEC).bytes), true);
    assert.equal(isCfb(text('PK\x03\x04')), false);
    assert.equal(isCfb(new Uint8Array(0)), false);
  });

  it('throws E_CFB_NOT_CFB for other bytes, and nothing else', () => {
    assert.throws(
      () => parseCfb(text('not a compound file at all')),
      (e: unknown) => e instanceof FormatError && e.code === 'E_CFB_NOT_CFB',
    );
  });
});
