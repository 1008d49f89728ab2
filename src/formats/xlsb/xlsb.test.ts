import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Anomaly } from '../../core/index.js';
import { brt } from '../../../test/builders/xlsm.js';
import {
  parseSheetBin,
  parseSheetXml,
  parseWorkbookXml,
  readBiff12Records,
  shiftFormula,
} from './index.js';

const sheet = (rows: string) =>
  `<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></xm:macrosheet>`;

test('spreadsheetml: shared formulas are expanded per cell with their relative references shifted', () => {
  const xml = sheet(
    '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1&amp;"B1"&amp;$C$1</f></c></row>' +
      '<row r="2"><c r="A2"><f t="shared" si="0"/></c></row><row r="3"><c r="A3"><f t="shared" si="7"/></c></row>',
  );
  const cells = parseSheetXml(xml, 'm', { maxCells: 10, sharedStrings: [] }, []);
  assert.deepEqual(cells, [
    { row: 0, col: 0, formula: 'B1&"B1"&$C$1' },
    { row: 1, col: 0, formula: 'B2&"B1"&$C$1' },
    { row: 2, col: 0, formulaError: 'shared formula 7 has no master cell' },
  ]);
  assert.equal(shiftFormula('A1+$A$1+Sheet2!B2', -1, 0), '#REF!+$A$1+Sheet2!B1');
});

test('spreadsheetml: values by type — shared strings, inline strings, booleans, errors, numbers', () => {
  const xml = sheet(
    '<row r="2"><c r="A2" t="s"><v>1</v></c><c t="inlineStr"><is><t>x&lt;y</t></is></c>' +
      '<c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c><c r="E2"><v>2.5</v></c>' +
      '<c r="F2" t="str"><f>CHAR(65)</f><v>A</v></c></row>',
  );
  const cells = parseSheetXml(xml, 'm', { maxCells: 10, sharedStrings: ['zero', 'one'] }, []);
  assert.deepEqual(
    cells.map((c) => c.value),
    ['one', 'x<y', true, { error: '#N/A' }, 2.5, 'A'],
  );
  assert.deepEqual(cells[1], { row: 1, col: 1, value: 'x<y' });
  assert.equal(cells[5]!.formula, 'CHAR(65)');
});

test('spreadsheetml: maxCells admits exactly its count', () => {
  const xml = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>');
  const ok: Anomaly[] = [];
  assert.equal(parseSheetXml(xml, 'm', { maxCells: 2, sharedStrings: [] }, ok).length, 2);
  assert.deepEqual(ok, []);
  const cut: Anomaly[] = [];
  assert.equal(parseSheetXml(xml, 'm', { maxCells: 1, sharedStrings: [] }, cut).length, 1);
  assert.deepEqual(
    cut.map((a) => a.code),
    ['E_XLSX_CELL_LIMIT'],
  );
});

test('spreadsheetml: workbook sheets with states and defined names with any r: prefix', () => {
  const info = parseWorkbookXml(
    '<workbook xmlns:x="r"><sheets><sheet name="A" sheetId="1" x:id="rId1"/>' +
      '<sheet name="M&amp;1" state="veryHidden" sheetId="2" x:id="rId2"/></sheets>' +
      '<definedNames><definedName name="_xlnm.Auto_Open" hidden="1">\'M&amp;1\'!$A$1</definedName></definedNames></workbook>',
    10,
  );
  assert.deepEqual(info.sheets, [
    { name: 'A', state: 'visible', relId: 'rId1' },
    { name: 'M&1', state: 'very-hidden', relId: 'rId2' },
  ]);
  assert.deepEqual(info.names, [
    { name: '_xlnm.Auto_Open', formula: "'M&1'!$A$1", isHidden: true, isBuiltin: true },
  ]);
});

test('biff12: two-byte record types, and a size past the end of the part stops the walk', () => {
  const seen: number[] = [];
  const anomalies: Anomaly[] = [];
  const bytes = Uint8Array.from([...brt(156, [1, 2]), ...brt(1, [0]), 0x05, 0x7f, 0x01]);
  readBiff12Records(bytes, anomalies, 'p', (r) => void seen.push(r.type));
  assert.deepEqual(seen, [156, 1]);
  assert.deepEqual(
    anomalies.map((a) => a.code),
    ['E_XLSB_RECORD_PAST_END'],
  );
});

test('biff12: a truncated formula record is an anomaly; the other cells are kept', () => {
  const row = brt(0, [0, 0, 0, 0]);
  const good = brt(5, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  const bad = brt(9, [1, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
  const anomalies: Anomaly[] = [];
  const cells = parseSheetBin(
    Uint8Array.from([...row, ...good, ...bad]),
    'p',
    { maxCells: 10, sharedStrings: [], env: {} },
    anomalies,
  );
  assert.deepEqual(cells, [{ row: 0, col: 0, value: 1 }]);
  assert.deepEqual(
    anomalies.map((a) => a.code),
    ['E_XLSB_RECORD_TRUNCATED'],
  );
});
