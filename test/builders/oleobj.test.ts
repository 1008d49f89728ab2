import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCfb } from '../../src/formats/cfb/index.js';
import {
  findEmbeddedObjects,
  findPptOleStorages,
  parseCompObj,
  parseOle1Object,
  parseOlePackage,
  scanDocFieldCodes,
} from '../../src/formats/oleobj/index.js';
import {
  buildCompObj,
  buildDocWithObjects,
  buildEquationCfb,
  buildOle1Object,
  buildPackageNative,
  buildPpt,
  EQUATION_CLSID,
  exOleObjStg,
  PACKAGE_CLSID,
} from './oleobj.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('buildOle1Object: parseOle1Object gives class, topic, item and native data back', () => {
  const spec = {
    className: 'Package',
    topicName: 'C:\\a.txt',
    itemName: '',
    nativeData: enc('native'),
  };
  const parsed = parseOle1Object(buildOle1Object(spec))!;
  assert.deepEqual(
    {
      className: parsed.className,
      topicName: parsed.topicName,
      itemName: parsed.itemName,
      nativeData: [...parsed.nativeData!],
    },
    { ...spec, nativeData: [...spec.nativeData] },
  );
  assert.deepEqual(parsed.anomalies, []);
});

test('buildPackageNative: parseOlePackage gives the names and data back, with or without the size prefix', () => {
  const spec = {
    fileName: 'a.vbs',
    sourcePath: 'C:\\x\\a.vbs',
    tempPath: 'C:\\t\\a.vbs',
    data: enc('WScript.Echo 1'),
  };
  for (const hasSizePrefix of [false, true]) {
    const pkg = parseOlePackage(
      buildPackageNative({ ...spec, hasSizePrefix, hasUnicodeNames: true }),
      { hasSizePrefix },
    )!;
    assert.deepEqual(
      {
        fileName: pkg.fileName,
        sourcePath: pkg.sourcePath,
        tempPath: pkg.tempPath,
        data: [...pkg.data],
      },
      { ...spec, data: [...spec.data] },
    );
    assert.deepEqual(pkg.unicode, {
      fileName: spec.fileName,
      sourcePath: spec.sourcePath,
      tempPath: spec.tempPath,
    });
  }
});

test('buildCompObj: parseCompObj gives user type, clipboard format and ProgID back', () => {
  assert.deepEqual(
    parseCompObj(buildCompObj('Microsoft Equation 3.0', 'Equation.3', 'DS Equation')),
    {
      userType: 'Microsoft Equation 3.0',
      clipboardFormat: 'DS Equation',
      progId: 'Equation.3',
    },
  );
});

test('buildDocWithObjects: the ObjectPool storages, their CLSIDs and the field codes read back', () => {
  const doc = buildDocWithObjects({
    text: 'Dear {DDEAUTO cmd "/c calc"} customer',
    objects: [
      {
        id: '1',
        clsid: PACKAGE_CLSID,
        streams: {
          '\x01Ole10Native': buildPackageNative({
            fileName: 'a.js',
            sourcePath: 'a.js',
            tempPath: 'a.js',
            data: enc('x'),
            hasSizePrefix: true,
          }),
        },
      },
      { id: '2', clsid: EQUATION_CLSID, streams: { 'Equation Native': new Uint8Array(40) } },
    ],
  });
  const cfb = parseCfb(doc);
  const objects = findEmbeddedObjects(cfb, { maxPayloadBytes: 1 << 20 }, []);
  assert.deepEqual(
    objects.map((o) => [o.storage, o.clsid, o.package?.fileName, o.isEquation]),
    [
      ['ObjectPool/_1', PACKAGE_CLSID, 'a.js', false],
      ['ObjectPool/_2', EQUATION_CLSID, undefined, true],
    ],
  );
  const fields = scanDocFieldCodes(cfb.readStream('WordDocument')!).fields;
  assert.deepEqual(
    fields.map((f) => f.instruction),
    ['DDEAUTO cmd "/c calc"'],
  );
});

test('buildPpt: findPptOleStorages gives every ExOleObjStg back, compressed or stored', () => {
  const storage = buildEquationCfb();
  const ppt = parseCfb(buildPpt([exOleObjStg(storage), exOleObjStg(storage, false)]));
  const found = findPptOleStorages(ppt.readStream('PowerPoint Document')!, {
    maxBytesPerStorage: () => ({ maxBytes: 1 << 20, limit: 'test' }),
    maxTotalBytes: 1 << 20,
  });
  assert.deepEqual(
    found.storages.map((s) => [s.isCompressed, [...s.bytes].length]),
    [
      [true, storage.length],
      [false, storage.length],
    ],
  );
  assert.deepEqual(found.storages[0]!.bytes, storage);
  assert.deepEqual(found.anomalies, []);
});
