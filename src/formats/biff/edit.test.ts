import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import { buildWorkbookStream, record } from '../../../test/builders/biff.js';
import { joinBiffStream, parseWorkbook, RT_EXTSST, RT_INDEX, splitBiffStream } from './index.js';

const u32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const readU32 = (b: Uint8Array, at: number): number =>
  new DataView(b.buffer, b.byteOffset).getUint32(at, true);

const SPEC = {
  sheets: [
    { name: 'A', cells: [{ ref: 'A1', value: 'first sheet' }] },
    { name: 'B', cells: [{ ref: 'A1', value: 'second sheet' }] },
  ],
};

describe('biff record editing', () => {
  test('split then join without edits gives the same bytes', () => {
    const stream = buildWorkbookStream(SPEC);
    const layout = splitBiffStream(stream);
    assert.equal(layout.substreams.length, 3);
    assert.equal(layout.trailing, 0);
    assert.deepEqual(joinBiffStream(layout.substreams), stream);
  });

  test('a record inserted in the globals moves every BoundSheet8 lbPlyPos with its sheet', () => {
    const { substreams } = splitBiffStream(buildWorkbookStream(SPEC));
    substreams[0]!.splice(1, 0, { type: 0x00e1, data: new Uint8Array(300) }); // InterfaceHdr-sized filler
    const joined = joinBiffStream(substreams);
    const book = parseWorkbook(joined);
    assert.deepEqual(book.anomalies, []);
    assert.deepEqual(
      book.sheets.map((s) => s.cells[0]?.value),
      ['first sheet', 'second sheet'],
    );
  });

  test('Index offsets follow the records they name; ExtSST too', () => {
    const stream = buildWorkbookStream(SPEC);
    const { substreams } = splitBiffStream(stream);
    const sheet = substreams[2]!;
    const target = sheet[1]!; // the cell record: stands in for a DBCell
    const index = {
      type: RT_INDEX,
      data: Uint8Array.from([
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        ...u32(target.offset!),
      ]),
    };
    sheet.splice(1, 0, index);
    const sst = substreams[0]!.find((r) => r.type === 0x00fc)!;
    const globals = substreams[0]!;
    const extsst = Uint8Array.from([8, 0, ...u32(sst.offset! + 12), 12, 0, 0, 0]);
    globals.splice(globals.length - 1, 0, { type: RT_EXTSST, data: extsst });
    substreams[0]!.splice(1, 0, { type: 0x00e1, data: new Uint8Array(10) });
    const joined = joinBiffStream(substreams);
    const again = splitBiffStream(joined).substreams;
    const movedIndex = again[2]!.find((r) => r.type === RT_INDEX)!;
    const cell = again[2]!.find((r) => r.type === target.type)!;
    assert.equal(readU32(movedIndex.data, 16), cell.offset);
    const movedExtSst = again[0]!.find((r) => r.type === RT_EXTSST)!;
    const movedSst = again[0]!.find((r) => r.type === 0x00fc)!;
    assert.equal(readU32(movedExtSst.data, 2), movedSst.offset! + 12);
  });

  test('an Index whose target is gone drops every Index and ExtSST (hints only)', () => {
    const { substreams } = splitBiffStream(buildWorkbookStream(SPEC));
    const sheet = substreams[2]!;
    const target = sheet[1]!;
    sheet.splice(1, 0, {
      type: RT_INDEX,
      data: Uint8Array.from([...new Array(16).fill(0), ...u32(target.offset!)]),
    });
    sheet.splice(2, 1); // the target
    const records = splitBiffStream(joinBiffStream(substreams)).substreams.flat();
    assert.ok(!records.some((r) => r.type === RT_INDEX));
  });

  test('broken streams throw coded errors: no BOF, record past the end, missing EOF', () => {
    assert.throws(() => splitBiffStream(new Uint8Array(8)), { code: 'E_BIFF_NOT_BIFF' });
    const pastEnd = concatBytes([
      record(0x0809, new Uint8Array(16)),
      Uint8Array.from([0x42, 0, 100, 0, 1, 2]),
    ]);
    assert.throws(() => splitBiffStream(pastEnd), {
      code: 'E_BIFF_RECORD_PAST_END',
    });
    const noEof = concatBytes([record(0x0809, new Uint8Array(16)), record(0x0042, [1, 0])]);
    assert.throws(() => splitBiffStream(noEof), { code: 'E_BIFF_NO_EOF' });
  });

  test('zero padding after the last EOF is counted, not parsed', () => {
    const stream = concatBytes([buildWorkbookStream(SPEC), new Uint8Array(100)]);
    assert.equal(splitBiffStream(stream).trailing, 100);
  });
});
