import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes, FormatError } from '../../core/index.js';
import {
  buildWorkbookStream,
  ptgExp,
  record,
  sharedFormulaRecord,
  type BiffWorkbookSpec,
} from '../../../test/builders/biff.js';
import { compileFormula } from '../../../test/builders/xlm-formula.js';
import {
  decodeFormula,
  functionAt,
  functionNamed,
  MAX_SUBSTREAM_DEPTH,
  parseWorkbook,
  type BiffWorkbook,
} from './index.js';

const codes = (book: BiffWorkbook) => book.anomalies.map((a) => a.code);
const macro = (
  cells: BiffWorkbookSpec['sheets'][number]['cells'],
  extra: Partial<BiffWorkbookSpec['sheets'][number]> = {},
) => ({ name: 'Macro1', type: 'macro', cells, ...extra }) as const;
const u16 = (n: number) => [n & 0xff, n >> 8];
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

test('functions: Ftab and Cetab indexes are the specification’s', () => {
  const ftab: [number, string][] = [
    [53, 'GOTO'],
    [54, 'HALT'],
    [110, 'EXEC'],
    [111, 'CHAR'],
    [149, 'REGISTER'],
    [150, 'CALL'],
    [186, 'GET.WORKSPACE'],
    [225, 'END.IF'],
    [255, 'USER.DEFINED'],
    [332, 'TINV'],
    [336, 'CONCATENATE'],
    [480, 'IFERROR'],
  ];
  for (const [index, name] of ftab)
    assert.equal(functionAt(index, false)?.name, name, `Ftab ${index}`);
  const cetab: [number, string][] = [
    [0x11, 'RUN'],
    [0x60, 'FORMULA'],
    [0x61, 'FORMULA.FILL'],
    [0x76, 'ALERT'],
    [0x95, 'WAIT'],
    [0xad, 'APP.MAXIMIZE'],
    [0x180, 'WORKBOOK.UNHIDE'],
  ];
  for (const [index, name] of cetab)
    assert.equal(functionAt(index, true)?.name, name, `Cetab ${index}`);
  assert.deepEqual(functionNamed('char'), {
    name: 'CHAR',
    index: 111,
    isCommand: false,
    minArgs: 1,
    maxArgs: 1,
  });
});

test('ptg: unknown token and truncated operands stop decoding with an error and the partial text', () => {
  const env = { dialect: 8 as const, row: 0, col: 0 };
  const unknown = decodeFormula(Uint8Array.of(0x1e, 1, 0, 0x18, 0x01), env);
  assert.equal(unknown.text, '1');
  assert.match(unknown.error ?? '', /unsupported token 0x18/);
  const cut = decodeFormula(Uint8Array.of(0x17, 10, 0, 0x41), env);
  assert.match(cut.error ?? '', /truncated/);
  assert.match(decodeFormula(Uint8Array.of(0x03), env).error ?? '', /underflow/);
});

test('ptg: tAttrSum becomes SUM(), tAttrChoose offsets are skipped, PtgParen keeps parentheses', () => {
  const env = { dialect: 8 as const, row: 0, col: 0 };
  const sum = Uint8Array.of(0x1e, 4, 0, 0x19, 0x10, 0, 0);
  assert.equal(decodeFormula(sum, env).text, 'SUM(4)');
  const choose = Uint8Array.of(0x1e, 1, 0, 0x19, 0x04, 1, 0, 0, 0, 0, 0, 0x1e, 2, 0, 0x15);
  assert.deepEqual(decodeFormula(choose, env), {
    text: '1 (2)',
    error: 'token stream leaves 2 operands',
  });
});

test('ptg: PtgArray reads its constant array from rgcb (PtgExtraArray)', () => {
  const rgce = Uint8Array.of(0x60, 0, 0, 0, 0, 0, 0, 0);
  const rgcb = Uint8Array.from([
    1,
    ...u16(0),
    0x01,
    ...new Array(8).fill(0),
    0x02,
    ...u16(2),
    0,
    0x41,
    0x42,
  ]);
  assert.equal(decodeFormula(rgce, { dialect: 8, row: 0, col: 0 }, rgcb).text, '{0,"AB"}');
});

test('biff: shared formulas resolve PtgRefN per cell; a PtgExp to nowhere or to another PtgExp is refused', () => {
  // B1&"x" relative to A1 = one column right: for A2 it reads B2, for A3 B3.
  const rgce = Uint8Array.of(0x2c, ...u16(0), ...u16(0xc001), 0x17, 1, 0, 0x78, 0x08);
  const stream = buildWorkbookStream({
    sheets: [
      macro(
        [
          { ref: 'A1', rgce: ptgExp('A1') },
          { ref: 'A2', rgce: ptgExp('A1') },
          { ref: 'A3', rgce: ptgExp('A1') },
          { ref: 'C1', rgce: ptgExp('Z9') },
          { ref: 'D1', rgce: ptgExp('D1') },
        ],
        {
          extraRecords: [
            sharedFormulaRecord('A1', 'A3', rgce),
            sharedFormulaRecord('D1', 'D1', ptgExp('D1')),
          ],
        },
      ),
    ],
  });
  const cells = parseWorkbook(stream).sheets[0]!.cells;
  assert.deepEqual(
    cells.slice(0, 3).map((c) => c.formula),
    ['B1&"x"', 'B2&"x"', 'B3&"x"'],
  );
  assert.match(cells[3]!.formulaError ?? '', /no shared/);
  assert.match(cells[4]!.formulaError ?? '', /refers to another/);
});

test('biff: SST strings split across CONTINUE records restart with their own flags', () => {
  // "abc" compressed in the SST record, "déf€" continued as UTF-16 in the CONTINUE record.
  const sst = record(0x00fc, [...u32(2), ...u32(2), ...u16(7), 0, 0x61, 0x62, 0x63]);
  const cont = record(0x003c, [1, 0x64, 0, 0xe9, 0, 0x66, 0, 0xac, 0x20, ...u16(2), 0, 0x6f, 0x6b]);
  const labels = [0, 1].map((i) => record(0x00fd, [...u16(i), ...u16(0), ...u16(0), ...u32(i)]));
  const book = parseWorkbook(
    buildWorkbookStream({
      isSstUsed: false,
      extraGlobals: [sst, cont],
      sheets: [{ name: 'S', cells: [], extraRecords: labels }],
    }),
  );
  assert.deepEqual(
    book.sheets[0]!.cells.map((c) => c.value),
    ['abcdéf€', 'ok'],
  );
  assert.deepEqual(codes(book), []);
});

test('biff: a huge SST count costs nothing (E_BIFF_SST_TRUNCATED); maxSstStrings caps on both sides', () => {
  const sst = (n: number) =>
    record(0x00fc, [...u32(n), ...u32(n), ...[0, 1, 2].flatMap(() => [...u16(1), 0, 0x7a])]);
  const spec = (n: number) => ({
    isSstUsed: false,
    extraGlobals: [sst(n)],
    sheets: [{ name: 'S', cells: [] }],
  });
  assert.deepEqual(codes(parseWorkbook(buildWorkbookStream(spec(0xffffffff)))), [
    'E_BIFF_SST_TRUNCATED',
  ]);
  assert.deepEqual(codes(parseWorkbook(buildWorkbookStream(spec(3)), { maxSstStrings: 3 })), []);
  assert.deepEqual(codes(parseWorkbook(buildWorkbookStream(spec(3)), { maxSstStrings: 2 })), [
    'E_BIFF_SST_LIMIT',
  ]);
});

test('biff: maxCells admits exactly its count, per kind of sheet', () => {
  const cells = [1, 2, 3].map((i) => ({ ref: `A${i}`, formula: 'HALT()' }));
  const stream = buildWorkbookStream({
    sheets: [{ name: 'S', cells: [{ ref: 'A1', value: 1 }] }, macro(cells)],
  });
  assert.deepEqual(codes(parseWorkbook(stream, { maxCells: 3 })), []);
  const cut = parseWorkbook(stream, { maxCells: 2 });
  assert.deepEqual(codes(cut), ['E_BIFF_CELL_LIMIT']);
  assert.equal(cut.sheets[1]!.cells.length, 2);
  assert.equal(cut.sheets[0]!.cells.length, 1, 'the worksheet has its own budget');
});

test('biff: maxFormulaBytes decodes up to its budget and reports the rest', () => {
  const rgce = compileFormula('HALT()', { dialect: 8, sheets: [], names: [] });
  const stream = buildWorkbookStream({
    sheets: [
      macro([
        { ref: 'A1', formula: 'HALT()' },
        { ref: 'A2', formula: 'HALT()' },
      ]),
    ],
  });
  assert.deepEqual(codes(parseWorkbook(stream, { maxFormulaBytes: rgce.length * 2 })), []);
  const cut = parseWorkbook(stream, { maxFormulaBytes: rgce.length * 2 - 1 });
  assert.deepEqual(codes(cut), ['E_BIFF_FORMULA_LIMIT']);
  assert.deepEqual(
    cut.sheets[0]!.cells.map((c) => c.formula),
    ['HALT()', undefined],
  );
});

test('biff: maxFormulaChars keeps decoded text up to its budget', () => {
  const stream = buildWorkbookStream({
    sheets: [
      macro([
        { ref: 'A1', formula: 'HALT()' },
        { ref: 'A2', formula: 'HALT()' },
      ]),
    ],
  });
  assert.deepEqual(codes(parseWorkbook(stream, { maxFormulaChars: 12 })), []);
  const cut = parseWorkbook(stream, { maxFormulaChars: 11 });
  assert.deepEqual(codes(cut), ['E_BIFF_FORMULA_LIMIT']);
  assert.deepEqual(
    cut.sheets[0]!.cells.map((c) => c.formula),
    ['HALT()', undefined],
  );
});

test('ptg: one formula stops at maxChars characters of text (hostile 40-fold expansion)', () => {
  const env = { dialect: 8 as const, row: 0, col: 0 };
  const rgce = Uint8Array.of(0x17, 10, 0, ...new Array<number>(10).fill(0x61));
  assert.deepEqual(decodeFormula(rgce, env, undefined, 12), { text: '"aaaaaaaaaa"' });
  assert.deepEqual(decodeFormula(rgce, env, undefined, 11), {
    text: '',
    error: 'formula text longer than 11 characters',
  });
});

test('biff: maxNames and maxSheets admit exactly their count', () => {
  const stream = buildWorkbookStream({
    sheets: [macro([]), { name: 'S2', cells: [] }],
    names: [
      { name: 'a', formula: '1' },
      { name: 'b', formula: '2' },
    ],
  });
  assert.deepEqual(codes(parseWorkbook(stream, { maxNames: 2, maxSheets: 2 })), []);
  const cut = parseWorkbook(stream, { maxNames: 1, maxSheets: 1 });
  assert.deepEqual(codes(cut).sort(), [
    'E_BIFF_NAME_LIMIT',
    'E_BIFF_ORPHAN_SUBSTREAM',
    'E_BIFF_SHEET_LIMIT',
  ]);
  assert.deepEqual(
    cut.names.map((n) => n.name),
    ['a'],
  );
});

test('biff: FILEPASS is reported with its kind and nothing after it is read', () => {
  for (const kind of ['xor', 'rc4', 'rc4-cryptoapi'] as const) {
    const book = parseWorkbook(
      buildWorkbookStream({ filepass: kind, sheets: [macro([{ ref: 'A1', formula: 'HALT()' }])] }),
    );
    assert.equal(book.encryption?.type, kind);
    assert.deepEqual(book.sheets, []);
  }
});

test('biff: a stream that is not BIFF5/BIFF8 throws E_BIFF_NOT_BIFF', () => {
  for (const bytes of [
    new Uint8Array(0),
    Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
    record(0x0809, [...u16(0x0200), ...u16(5)]),
  ]) {
    assert.throws(
      () => parseWorkbook(bytes),
      (e: unknown) => e instanceof FormatError && e.code === 'E_BIFF_NOT_BIFF',
    );
  }
});

test('biff: a record longer than the stream stops the walk, the prefix is kept', () => {
  const stream = buildWorkbookStream({ sheets: [macro([{ ref: 'A1', formula: 'HALT()' }])] });
  const broken = concatBytes([
    stream.subarray(0, stream.length - 4),
    Uint8Array.of(0x0a, 0, 0xff, 0xff),
  ]);
  const book = parseWorkbook(broken);
  assert.deepEqual(codes(book), ['E_BIFF_RECORD_PAST_END', 'E_BIFF_NO_EOF']);
  assert.equal(book.sheets[0]!.cells[0]!.formula, 'HALT()');
});

test('biff: a macro BOF under a worksheet BOUNDSHEET is still a macro sheet (and reported)', () => {
  const spec: BiffWorkbookSpec = { sheets: [macro([{ ref: 'A1', formula: 'HALT()' }])] };
  const stream = buildWorkbookStream(spec);
  // BoundSheet8.dt is the 6th byte of the BOUNDSHEET data: patch it to 0 (worksheet).
  const at = findRecord(stream, 0x0085) + 4 + 5;
  stream[at] = 0;
  const book = parseWorkbook(stream);
  assert.equal(book.sheets[0]!.type, 'macro');
  assert.deepEqual(codes(book), ['E_BIFF_SHEET_TYPE_MISMATCH']);
});

test('biff: a wrong lbPlyPos is reported; the unlisted substream is read anyway', () => {
  const stream = buildWorkbookStream({ sheets: [macro([{ ref: 'A1', formula: 'HALT()' }])] });
  const at = findRecord(stream, 0x0085) + 4;
  new DataView(stream.buffer).setUint32(at, 3, true);
  const book = parseWorkbook(stream);
  assert.deepEqual(codes(book), ['E_BIFF_ORPHAN_SUBSTREAM', 'E_BIFF_BAD_SHEET_OFFSET']);
  assert.equal(book.sheets[1]!.type, 'macro');
  assert.equal(book.sheets[1]!.cells[0]!.formula, 'HALT()');
});

test('biff: nested BOFs past MAX_SUBSTREAM_DEPTH end the sheet instead of recursing', () => {
  const bof = record(0x0809, [...u16(0x0600), ...u16(0x0020), ...new Array<number>(12).fill(0)]);
  const nested = (n: number) => [
    ...new Array<Uint8Array>(n).fill(bof),
    ...new Array<Uint8Array>(n).fill(record(0x000a)),
  ];
  const at = parseWorkbook(
    buildWorkbookStream({ sheets: [macro([], { extraRecords: nested(MAX_SUBSTREAM_DEPTH - 1) })] }),
  );
  assert.deepEqual(codes(at), []);
  const past = parseWorkbook(
    buildWorkbookStream({ sheets: [macro([], { extraRecords: nested(MAX_SUBSTREAM_DEPTH) })] }),
  );
  assert.ok(codes(past).includes('E_BIFF_TOO_DEEP'));
});

test('biff: LABELSST past the table is an anomaly, the cell reads empty', () => {
  const label = record(0x00fd, [...u16(0), ...u16(0), ...u16(0), ...u32(99)]);
  const book = parseWorkbook(
    buildWorkbookStream({ sheets: [{ name: 'S', cells: [], extraRecords: [label] }] }),
  );
  assert.deepEqual(codes(book), ['E_BIFF_BAD_SST_INDEX']);
  assert.equal(book.sheets[0]!.cells[0]!.value, '');
});

function findRecord(stream: Uint8Array, type: number): number {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  for (let at = 0; at + 4 <= stream.length; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) === type) return at;
  }
  throw new Error(`no record 0x${type.toString(16)}`);
}
