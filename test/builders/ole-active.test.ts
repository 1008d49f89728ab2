import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseWorkbook } from '../../src/formats/biff/index.js';
import { parseCfb } from '../../src/formats/cfb/index.js';
import { findPptOleStorages, scanDocFieldCodes } from '../../src/formats/oleobj/index.js';
import { readVbaProjects } from '../../src/formats/ovba/index.js';
import {
  buildActiveDoc,
  buildActivePpt,
  buildActiveXls,
  DDE_INSTRUCTION,
  DOC_TEXT,
} from './ole-active.js';

describe('ole-active builders read back with the project parsers', () => {
  test('.doc: Macros project with the Document_Open module, a DDEAUTO field, an ObjectPool package', () => {
    const cfb = parseCfb(buildActiveDoc({ hasMacro: true, hasDde: true, hasObject: true }));
    assert.deepEqual(cfb.anomalies, []);
    const [project] = readVbaProjects(cfb);
    assert.equal(project?.modules[0]?.name, 'ThisDocument');
    assert.match(project!.modules[0]!.code, /Sub Document_Open\(\)/);
    const word = cfb.readStream('WordDocument')!;
    assert.deepEqual(
      scanDocFieldCodes(word).fields.map((f) => f.instruction),
      [DDE_INSTRUCTION],
    );
    assert.ok(new TextDecoder('latin1').decode(word).includes(DOC_TEXT.slice(15)));
    assert.equal(cfb.find('ObjectPool/_1234/\x01Ole10Native')?.type, 'stream');
  });

  test('.xls: macro sheet, Auto_Open, _VBA_PROJECT_CUR, MBD storage', () => {
    const cfb = parseCfb(buildActiveXls({ hasXlm: true, hasMacro: true, hasObject: true }));
    assert.deepEqual(cfb.anomalies, []);
    const book = parseWorkbook(cfb.readStream('Workbook')!);
    assert.deepEqual(
      book.sheets.map((s) => s.type),
      ['worksheet', 'macro'],
    );
    assert.equal(book.names[0]?.name, 'Auto_Open');
    assert.equal(readVbaProjects(cfb)[0]?.modules[0]?.name, 'ThisWorkbook');
    assert.equal(cfb.find('MBD0001A2B3')?.type, 'storage');
  });

  test('.ppt: a zlib VbaProjectStg and a stored package ExOleObjStg', () => {
    const cfb = parseCfb(buildActivePpt());
    const found = findPptOleStorages(cfb.readStream('PowerPoint Document')!, {
      maxBytesPerStorage: () => ({ maxBytes: 1 << 20, limit: 'test' }),
      maxTotalBytes: 1 << 20,
    });
    assert.deepEqual(
      found.storages.map((s) => s.isCompressed),
      [true, false],
    );
    assert.equal(readVbaProjects(parseCfb(found.storages[0]!.bytes))[0]?.modules.length, 1);
    assert.equal(parseCfb(found.storages[1]!.bytes).find('\x01Ole10Native')?.type, 'stream');
  });
});
