import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { LimitError, type Anomaly } from '../../core/index.js';
import { parseCfb } from '../cfb/index.js';
import {
  buildCompObj,
  buildDocWithObjects,
  buildEquationCfb,
  buildOle1Object,
  buildOleLinkCfb,
  buildPackageCfb,
  buildPackageNative,
  buildPpt,
  exOleObjStg,
  pptRecord,
} from '../../../test/builders/oleobj.js';
import {
  clsidBytes,
  extractStorage,
  findEmbeddedObjects,
  findMonikerTargets,
  findPptOleStorages,
  inflateZlib,
  isEquationClassName,
  OLE1_LINKED,
  parseOle1Object,
  parseOlePackage,
  scanDocFieldCodes,
} from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('oleobj: OLE1 objects (MS-OLEDS 2.2)', () => {
  test('a linked object gives its topic (the link source) and network name', () => {
    const bytes = buildOle1Object({
      className: 'OLE2Link',
      formatId: 1,
      topicName: 'http://192.0.2.9/x.hta',
      networkName: '',
    });
    const obj = parseOle1Object(bytes)!;
    assert.equal(obj.formatId, OLE1_LINKED);
    assert.equal(obj.topicName, 'http://192.0.2.9/x.hta');
    assert.equal(obj.nativeData, undefined);
  });

  test('a NativeDataSize past the end keeps what is there, with E_OLE1_TRUNCATED', () => {
    const obj = parseOle1Object(
      buildOle1Object({ className: 'Package', nativeData: enc('abc'), declaredSize: 1000 }),
    )!;
    assert.deepEqual([...obj.nativeData!], [...enc('abc')]);
    assert.deepEqual(
      obj.anomalies.map((a) => a.code),
      ['E_OLE1_TRUNCATED'],
    );
  });

  test('not an OLE1 object: wrong FormatID, empty or absurd class name → undefined', () => {
    assert.equal(parseOle1Object(enc('\x01\x05\x00\x00\x07\x00\x00\x00')), undefined);
    assert.equal(parseOle1Object(new Uint8Array(3)), undefined);
    const absurd = Uint8Array.of(1, 5, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f);
    assert.equal(parseOle1Object(absurd), undefined);
  });

  test('Equation class names: case and trailing NULs do not hide them', () => {
    for (const name of ['Equation.3', 'EQUATION.3', 'equation.2\0\0', 'Equation'])
      assert.ok(isEquationClassName(name), name);
    for (const name of ['Equation.3x', 'Package', undefined]) assert.ok(!isEquationClassName(name));
  });
});

describe('oleobj: packages', () => {
  test('a package cut inside its data keeps the part present, with E_OLE_PACKAGE_TRUNCATED', () => {
    const full = buildPackageNative({
      fileName: 'a.exe',
      sourcePath: 'a',
      tempPath: 't',
      data: new Uint8Array(100),
    });
    const pkg = parseOlePackage(full.subarray(0, full.length - 40), { hasSizePrefix: false })!;
    assert.equal(pkg.data.length, 60);
    assert.deepEqual(
      pkg.anomalies.map((a) => a.code),
      ['E_OLE_PACKAGE_TRUNCATED'],
    );
  });

  test('a package that ends after the source path is a link', () => {
    const full = buildPackageNative({
      fileName: 'a.exe',
      sourcePath: 'C:\\a.exe',
      tempPath: 't',
      data: new Uint8Array(1),
    });
    const pkg = parseOlePackage(full.subarray(0, 2 + 6 + 9), { hasSizePrefix: false })!;
    assert.equal(pkg.isLink, true);
  });

  test('no NUL in reach: not a package', () => {
    assert.equal(
      parseOlePackage(new Uint8Array(70_000).fill(0x41), { hasSizePrefix: false }),
      undefined,
    );
  });
});

describe('oleobj: object storages and monikers', () => {
  test('the root of an oleObject.bin: package, equation, URL link', () => {
    const objects = (bytes: Uint8Array) =>
      findEmbeddedObjects(parseCfb(bytes), { maxPayloadBytes: 1 << 20 }, []);
    const [pkg] = objects(
      buildPackageCfb({
        fileName: 'x.lnk',
        sourcePath: 'x.lnk',
        tempPath: 'x.lnk',
        data: enc('L'),
      }),
    );
    assert.equal(pkg!.storage, '');
    assert.equal(pkg!.package?.fileName, 'x.lnk');
    assert.equal(pkg!.className, 'Package');
    assert.equal(objects(buildEquationCfb())[0]!.isEquation, true);
    const [link] = objects(buildOleLinkCfb('http://192.0.2.7/x.hta'));
    assert.equal(link!.isLinked, true);
    assert.deepEqual(
      link!.links.map((l) => [l.kind, l.target]),
      [['url', 'http://192.0.2.7/x.hta']],
    );
  });

  test('a plain compound file without object streams yields no object', () => {
    assert.deepEqual(
      findEmbeddedObjects(
        parseCfb(buildDocWithObjects({ text: 'hi' })),
        { maxPayloadBytes: 1 << 20 },
        [],
      ),
      [],
    );
  });

  test('an ObjectPool document is rebuilt as its own compound file with its CLSID and streams', () => {
    const doc = buildDocWithObjects({
      text: 'x',
      objects: [
        {
          id: '7',
          clsid: '00020906-0000-0000-C000-000000000046',
          streams: {
            WordDocument: enc('inner'),
            '\x01CompObj': buildCompObj('Word', 'Word.Document.8'),
            'Macros/VBA/dir': enc('d'),
          },
        },
      ],
    });
    const cfb = parseCfb(doc);
    const [object] = findEmbeddedObjects(cfb, { maxPayloadBytes: 1 << 20 }, []);
    assert.equal(object!.isDocument, true);
    const inner = parseCfb(extractStorage(cfb, object!.storage, { maxBytes: 1 << 20 }));
    assert.equal(inner.entries[0]!.clsid, '00020906-0000-0000-C000-000000000046');
    assert.deepEqual([...inner.readStream('WordDocument')!], [...enc('inner')]);
    assert.deepEqual([...inner.readStream('Macros/VBA/dir')!], [...enc('d')]);
    assert.throws(() => extractStorage(cfb, object!.storage, { maxBytes: 10 }), LimitError);
  });

  test('maxPayloadBytes: a package stream at the cap is read; one byte over is skipped with E_LIMIT_OLE_STREAM_BYTES', () => {
    const bytes = buildPackageCfb({
      fileName: 'x',
      sourcePath: 'x',
      tempPath: 'x',
      data: new Uint8Array(100),
    });
    const size = parseCfb(bytes).find('\x01Ole10Native')!.size;
    const at = findEmbeddedObjects(parseCfb(bytes), { maxPayloadBytes: size }, []);
    assert.ok(at[0]!.package);
    const anomalies: Anomaly[] = [];
    const over = findEmbeddedObjects(parseCfb(bytes), { maxPayloadBytes: size - 1 }, anomalies);
    assert.equal(over[0]?.package, undefined);
    assert.deepEqual(
      anomalies.map((a) => a.code),
      ['E_LIMIT_OLE_STREAM_BYTES'],
    );
  });

  test('maxObjects: past the cap the rest is reported, not read', () => {
    const doc = buildDocWithObjects({
      text: 'x',
      objects: ['1', '2', '3'].map((id) => ({ id, streams: { CONTENTS: enc(id) } })),
    });
    const anomalies: Anomaly[] = [];
    const objects = findEmbeddedObjects(
      parseCfb(doc),
      { maxPayloadBytes: 100, maxObjects: 3 },
      anomalies,
    );
    assert.equal(objects.length, 2); // the root counts as one storage examined
    assert.deepEqual(
      anomalies.map((a) => a.code),
      ['E_LIMIT_EMBEDDED_OBJECTS'],
    );
  });

  test('monikers: a cut URL moniker yields what is there; random bytes yield nothing', () => {
    const clsid = clsidBytes('79EAC9E0-BAF9-11CE-8C82-00AA004BA90B')!;
    const cut = Uint8Array.from([
      ...clsid,
      200,
      0,
      0,
      0,
      ...new Uint8Array(Buffer.from('http://x', 'utf16le')),
    ]);
    assert.deepEqual(
      findMonikerTargets(cut).map((m) => m.target),
      ['http://x'],
    );
    assert.deepEqual(
      findMonikerTargets(Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff)),
      [],
    );
  });
});

describe('oleobj: zlib and PowerPoint storages', () => {
  const data = new Uint8Array(10_000).fill(7);
  const packed = deflateSync(data);

  test('inflateZlib: output at the cap passes; one byte over throws LimitError', () => {
    assert.equal(inflateZlib(packed, { maxBytes: 10_000, anomalies: [] })!.length, 10_000);
    assert.throws(() => inflateZlib(packed, { maxBytes: 9_999, anomalies: [] }), LimitError);
  });

  test('inflateZlib: truncated data yields the decoded part with E_ZLIB_TRUNCATED; garbage yields E_ZLIB_BAD_DATA', () => {
    const anomalies: Anomaly[] = [];
    const big = deflateSync(Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) & 0xff));
    const partial = inflateZlib(big.subarray(0, big.length / 2), { maxBytes: 1 << 20, anomalies });
    assert.ok(partial!.length > 0);
    assert.deepEqual(
      anomalies.map((a) => a.code),
      ['E_ZLIB_TRUNCATED'],
    );
    const bad: Anomaly[] = [];
    assert.equal(inflateZlib(enc('not zlib at all'), { maxBytes: 100, anomalies: bad }), undefined);
    assert.deepEqual(
      bad.map((a) => a.code),
      ['E_ZLIB_BAD_DATA'],
    );
  });

  test('a zlib bomb in ExOleObjStg is stopped at the per-storage cap; the next storage is still read', () => {
    const bomb = exOleObjStg(new Uint8Array(5 << 20));
    const fine = exOleObjStg(buildEquationCfb());
    const stream = parseCfb(buildPpt([bomb, fine])).readStream('PowerPoint Document')!;
    const found = findPptOleStorages(stream, {
      maxBytesPerStorage: (stored) => ({ maxBytes: stored * 200, limit: 'maxRatio' }),
      maxTotalBytes: 1 << 30,
    });
    assert.equal(found.storages.length, 1);
    assert.deepEqual(
      found.anomalies.map((a) => a.code),
      ['E_LIMIT_INFLATED_SIZE'],
    );
  });

  test('records that overrun their container and record floods are anomalies, not exceptions', () => {
    const overrun = pptRecord(0, 0, 0x1011, new Uint8Array(10)).subarray(0, 12);
    assert.deepEqual(
      findPptOleStorages(overrun, {
        maxBytesPerStorage: () => ({ maxBytes: 1, limit: 'x' }),
        maxTotalBytes: 1,
      }).anomalies.map((a) => a.code),
      ['E_PPT_RECORD_OVERRUN'],
    );
    const flood = new Uint8Array(8 * 1000); // 1000 empty atoms
    const capped = findPptOleStorages(flood, {
      maxBytesPerStorage: () => ({ maxBytes: 1, limit: 'x' }),
      maxTotalBytes: 1,
      maxRecords: 999,
    });
    assert.deepEqual(
      capped.anomalies.map((a) => a.code),
      ['E_LIMIT_PPT_RECORDS'],
    );
  });

  test('nested containers 10,000 deep are walked to a bounded depth without recursion', () => {
    let record = exOleObjStg(buildEquationCfb());
    for (let i = 0; i < 10_000; i++) record = pptRecord(0x0f, 0, 0x03e8, record);
    const found = findPptOleStorages(record, {
      maxBytesPerStorage: () => ({ maxBytes: 1 << 20, limit: 'x' }),
      maxTotalBytes: 1 << 20,
    });
    assert.equal(found.storages.length, 0); // deeper than the walk goes: skipped, not crashed
  });
});

describe('oleobj: Word binary field codes', () => {
  test('cp1252 and UTF-16 text, nested fields, stray marks', () => {
    const text = (s: string) =>
      enc(s.replace(/\{/g, '\x13').replace(/\|/g, '\x14').replace(/\}/g, '\x15'));
    assert.deepEqual(
      scanDocFieldCodes(text('a{DDE x y|r}b{ PAGE }')).fields.map((f) => f.instruction),
      ['DDE x y', 'PAGE'],
    );
    const utf16 = new Uint8Array(Buffer.from('\x13DDEAUTO cmd\x14r\x15', 'utf16le'));
    assert.deepEqual(
      scanDocFieldCodes(utf16).fields.map((f) => f.instruction),
      ['DDEAUTO cmd'],
    );
    assert.deepEqual(
      scanDocFieldCodes(text('{IF {QUOTE 65}|x}')).fields.map((f) => f.instruction),
      ['QUOTE 65', 'IF'],
    );
    assert.deepEqual(scanDocFieldCodes(text('{{{{ never ended')).fields, []);
  });

  test('maxFields: at the limit all are kept; past it E_LIMIT_DOC_FIELDS', () => {
    const many = enc('\x13PAGE\x15'.repeat(6));
    assert.equal(scanDocFieldCodes(many, { maxFields: 6 }).fields.length, 6);
    const over = scanDocFieldCodes(many, { maxFields: 5 });
    assert.equal(over.fields.length, 5);
    assert.deepEqual(
      over.anomalies.map((a) => a.code),
      ['E_LIMIT_DOC_FIELDS'],
    );
  });
});
