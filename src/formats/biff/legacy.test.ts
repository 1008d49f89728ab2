import assert from 'node:assert/strict';
import { test } from 'node:test';
import { record } from '../../../test/builders/biff.js';
import {
  buildLegacySheet,
  buildLegacyWorkbook,
  legacyXlmSpec,
  type LegacyVersion,
} from '../../../test/builders/biff-legacy.js';
import { compileFormula } from '../../../test/builders/xlm-formula.js';
import { FormatError } from '../../core/index.js';
import { decodeFormula, legacyBiffVersion, parseLegacyWorkbook } from './index.js';

const codes = (book: { anomalies: { code: string }[] }) => book.anomalies.map((a) => a.code);
const env = (dialect: 2 | 3 | 4) => ({ dialect, row: 0, col: 0 }) as const;

test('biff legacy: BIFF2, BIFF3 and BIFF4 BOF records give the version; BIFF5/8 and junk do not', () => {
  for (const v of [2, 3, 4] as const) {
    assert.equal(legacyBiffVersion(buildLegacySheet(v, { type: 'macro', cells: [] })), v);
  }
  const biff8 = Uint8Array.from([0x09, 0x08, 0x10, 0, 0, 6, 5, 0]);
  assert.equal(legacyBiffVersion(biff8), undefined);
  // A BOF-like header with an unknown substream type is not taken for Excel.
  assert.equal(legacyBiffVersion(Uint8Array.from([0x09, 0x04, 6, 0, 4, 0, 0x77, 0])), undefined);
  assert.throws(
    () => parseLegacyWorkbook(Uint8Array.from([1, 2, 3])),
    (e: unknown) => e instanceof FormatError && e.code === 'E_BIFF_NOT_BIFF',
  );
});

test('biff legacy: function indexes are 1 byte before BIFF4 and 2 bytes from BIFF4 on', () => {
  // EXEC is function 110 (0x6E): PtgFuncVar argc=1.
  const str = [0x17, 4, ...new TextEncoder().encode('calc')];
  assert.equal(
    decodeFormula(Uint8Array.from([...str, 0x42, 1, 0x6e]), env(3)).text,
    'EXEC("calc")',
  );
  assert.equal(
    decodeFormula(Uint8Array.from([...str, 0x42, 1, 0x6e, 0x00]), env(4)).text,
    'EXEC("calc")',
  );
  // The BIFF4 command bit (0x8000) is read; BIFF3 has no room for it and uses PtgFuncCE (0x38).
  const halt = compileFormula('HALT()', { dialect: 4, sheets: [], names: [] });
  assert.equal(decodeFormula(halt, env(4)).text, 'HALT()');
  const cmd = compileFormula('FORMULA("=1",A5)', { dialect: 3, sheets: [], names: [] });
  assert.ok(cmd.includes(0x38), 'BIFF3 commands compile to PtgFuncCE');
  assert.equal(decodeFormula(cmd, env(3)).text, 'FORMULA("=1",A5)');
});

test('biff legacy: BIFF2 tAttr data is one byte; a 3-D reference token is refused before BIFF5', () => {
  // tAttrSum (0x19 0x10 <data>) over 1: BIFF2 one data byte, BIFF3 two.
  assert.equal(decodeFormula(Uint8Array.from([0x1e, 1, 0, 0x19, 0x10, 0]), env(2)).text, 'SUM(1)');
  assert.equal(
    decodeFormula(Uint8Array.from([0x1e, 1, 0, 0x19, 0x10, 0, 0]), env(3)).text,
    'SUM(1)',
  );
  const ref3d = decodeFormula(Uint8Array.from([0x3a, 0xff, 0xff, 0, 0, 0, 0, 0, 0]), env(4));
  assert.match(ref3d.error ?? '', /unsupported token 0x3a/);
});

for (const version of [2, 3, 4] as const satisfies readonly LegacyVersion[]) {
  test(`biff legacy: BIFF${version} round trip — macro sheet cells, cached results and Auto_Open`, () => {
    const spec = legacyXlmSpec();
    spec.cells.push({ ref: 'C1', value: 'label' }, { ref: 'C2', value: 12.5 });
    const book = parseLegacyWorkbook(buildLegacySheet(version, spec));
    assert.equal(book.version, version);
    assert.deepEqual(codes(book), []);
    const sheet = book.sheets[0]!;
    assert.equal(sheet.type, 'macro');
    assert.equal(sheet.name, '');
    const byRef = new Map(sheet.cells.map((c) => [`${c.row},${c.col}`, c]));
    assert.equal(byRef.get('0,0')?.formula, spec.cells[0]!.formula);
    assert.equal(byRef.get('0,0')?.value, false);
    assert.equal(byRef.get('2,0')?.formula, spec.cells[2]!.formula);
    assert.equal(byRef.get('0,2')?.value, 'label');
    assert.equal(byRef.get('1,2')?.value, 12.5);
    assert.deepEqual(
      book.names.map((n) => [n.name, n.formula, n.isBuiltin]),
      [['Auto_Open', '$A$1', version > 2]],
    );
  });
}

test('biff legacy: a BIFF4W workbook reads each bundled sheet with its name, state and names', () => {
  const book = parseLegacyWorkbook(
    buildLegacyWorkbook({
      version: 4,
      sheets: [
        { name: 'Data', cells: [{ ref: 'A1', value: 'x' }] },
        { name: 'Macro1', state: 'very-hidden', ...legacyXlmSpec() },
      ],
    }),
  );
  assert.deepEqual(
    book.sheets.map((s) => [s.name, s.type, s.state, s.cells.length]),
    [
      ['Data', 'worksheet', 'visible', 1],
      ['Macro1', 'macro', 'very-hidden', 7],
    ],
  );
  assert.deepEqual(
    book.names.map((n) => [n.name, n.sheetIndex]),
    [['Auto_Open', 2]],
  );
});

test('biff legacy: a formula whose text result follows in STRING keeps that text', () => {
  const book = parseLegacyWorkbook(
    buildLegacySheet(3, { cells: [{ ref: 'A1', formula: '"a"&"b"', value: 'ab' }] }),
  );
  assert.deepEqual(book.sheets[0]!.cells, [{ row: 0, col: 0, formula: '"a"&"b"', value: 'ab' }]);
});

test('biff legacy: a record longer than the file and a cut FORMULA are anomalies, the rest is kept', () => {
  const good = buildLegacySheet(4, { type: 'macro', cells: [{ ref: 'A1', formula: 'HALT()' }] });
  const cut = good.subarray(0, good.length - 2); // the EOF header loses its length
  const book = parseLegacyWorkbook(cut);
  assert.equal(book.sheets[0]!.cells[0]?.formula, 'HALT()');
  assert.ok(codes(book).includes('E_BIFF_NO_EOF'), codes(book).join(' '));
  const shortFormula = record(0x0406, [0, 0, 0, 0, 0x0f]);
  const spec = { type: 'macro' as const, cells: [], extraRecords: [shortFormula] };
  const broken = parseLegacyWorkbook(buildLegacySheet(4, spec));
  assert.ok(codes(broken).includes('E_BIFF_RECORD_TRUNCATED'), codes(broken).join(' '));
  const past = new Uint8Array([...good.subarray(0, good.length - 4), 0x0a, 0, 0xff, 0x7f]);
  assert.ok(codes(parseLegacyWorkbook(past)).includes('E_BIFF_RECORD_PAST_END'));
});

test('biff legacy: BOF records nested past the depth limit stop the walk with E_BIFF_TOO_DEEP', () => {
  const bof = buildLegacySheet(4, { cells: [] }).subarray(0, 10);
  const deep = new Uint8Array(Array.from({ length: 12 }, () => [...bof]).flat());
  const book = parseLegacyWorkbook(deep);
  assert.ok(codes(book).includes('E_BIFF_TOO_DEEP'), codes(book).join(' '));
  const seven = new Uint8Array(Array.from({ length: 8 }, () => [...bof]).flat());
  assert.ok(!codes(parseLegacyWorkbook(seven)).includes('E_BIFF_TOO_DEEP'));
});

test('biff legacy: maxCells, maxNames and maxFormulaBytes hold on each side of the limit', () => {
  const cells = [1, 2, 3].map((n) => ({ ref: `A${n}`, formula: 'HALT()' }));
  const names = [1, 2].map((n) => ({ name: `N${n}`, formula: '$A$1' }));
  const bytes = buildLegacySheet(4, { type: 'macro', names, cells });
  assert.deepEqual(codes(parseLegacyWorkbook(bytes, { maxCells: 3, maxNames: 2 })), []);
  const over = parseLegacyWorkbook(bytes, { maxCells: 2, maxNames: 1 });
  assert.deepEqual(codes(over).sort(), ['E_BIFF_CELL_LIMIT', 'E_BIFF_NAME_LIMIT']);
  assert.equal(over.sheets[0]!.cells.length, 2);
  const halt = 3; // PtgFuncVar argc + 2-byte index
  assert.deepEqual(codes(parseLegacyWorkbook(bytes, { maxFormulaBytes: 3 * (halt + 1) })), []);
  const cut = parseLegacyWorkbook(bytes, { maxFormulaBytes: 3 * (halt + 1) - 1 });
  assert.deepEqual(codes(cut), ['E_BIFF_FORMULA_LIMIT']);
});

test('biff legacy: FILEPASS stops reading and reports XOR obfuscation', () => {
  const spec = { cells: [{ ref: 'A1', value: 'x' }], extraRecords: [] };
  const plain = buildLegacySheet(4, spec);
  const withPass = new Uint8Array([
    ...plain.subarray(0, 10),
    ...record(0x002f, [0x34, 0x12, 0x78, 0x56]),
    ...plain.subarray(10),
  ]);
  const book = parseLegacyWorkbook(withPass);
  assert.equal(book.encryption?.type, 'xor');
  assert.equal(book.sheets[0]?.cells.length, 0);
});

test('biff legacy: 500 byte-mutated BIFF2–4 macro sheets never throw past E_BIFF_NOT_BIFF', () => {
  let seed = 0x5eed;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) as number;
  const bases = ([2, 3, 4] as const).map((v) => buildLegacySheet(v, legacyXlmSpec()));
  for (let i = 0; i < 500; i++) {
    const bytes = Uint8Array.from(bases[i % 3]!);
    // Keep the BOF (what the sniffer checked) and mutate the records after it.
    for (let k = 0; k < 1 + (i % 8); k++) {
      bytes[10 + Math.floor(random() * (bytes.length - 10))] = Math.floor(random() * 256);
    }
    const cut = bytes.subarray(0, bytes.length - Math.floor(random() * 40));
    const book = parseLegacyWorkbook(cut);
    assert.ok(book.sheets.length >= 1, `mutation ${i} keeps the sheet`);
  }
});
