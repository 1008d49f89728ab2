/**
 * Excel 2007+ packages with Excel 4.0 macro sheets, built in code from the same spec as the BIFF
 * builder: .xlsm (xl/workbook.xml with sheet states and `_xlnm.Auto_Open`, xl/macrosheets/*.xml with
 * `<f>` formulas) and .xlsb (xl/workbook.bin BrtBundleSh/BrtExternSheet/BrtName, macro sheet .bin
 * with BrtRowHdr and BrtFmla* records whose formulas are compiled to BIFF12 Ptg tokens).
 */
import { concatBytes } from '../../src/core/index.js';
import { buildOoxmlPackage, type OoxmlRelSpec } from '../../src/formats/ooxml/index.js';
import type { BiffCellSpec, BiffWorkbookSpec } from './biff.js';
import { compileFormula, parseCell, type CompileContext } from './xlm-formula.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const MACRO_REL = 'http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

const esc = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

function partOf(spec: BiffWorkbookSpec, i: number, ext: 'xml' | 'bin'): string {
  const sheet = spec.sheets[i]!;
  const n = spec.sheets
    .slice(0, i + 1)
    .filter((s) => (s.type === 'macro') === (sheet.type === 'macro')).length;
  return `${sheet.type === 'macro' ? 'macrosheets' : 'worksheets'}/sheet${n}.${ext}`;
}

function packageFor(
  spec: BiffWorkbookSpec,
  ext: 'xml' | 'bin',
  files: Record<string, string | Uint8Array>,
) {
  const isBin = ext === 'bin';
  const overrides: Record<string, string> = {
    [`xl/workbook.${ext}`]: isBin
      ? 'application/vnd.ms-excel.sheet.binary.macroEnabled.main'
      : 'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
  };
  const rels: OoxmlRelSpec[] = spec.sheets.map((s, i) => {
    const part = partOf(spec, i, ext);
    overrides[`xl/${part}`] =
      s.type === 'macro'
        ? `application/vnd.ms-excel.macrosheet${isBin ? '' : '+xml'}`
        : isBin
          ? 'application/vnd.ms-excel.worksheet'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
    return {
      id: `rId${i + 1}`,
      type: s.type === 'macro' ? MACRO_REL : `${REL}/worksheet`,
      target: part,
    };
  });
  return buildOoxmlPackage({
    files,
    contentTypes: { overrides },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: `xl/workbook.${ext}` }],
      [`xl/workbook.${ext}`]: rels,
    },
  });
}

/** An .xlsm holding the workbook's sheets; macro sheets under xl/macrosheets/. */
export function buildXlsm(spec: BiffWorkbookSpec): Uint8Array {
  const state = (s: string | undefined) =>
    s === 'very-hidden' ? ' state="veryHidden"' : s === 'hidden' ? ' state="hidden"' : '';
  const sheets = spec.sheets
    .map(
      (s, i) =>
        `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${state(s.state)} r:id="rId${i + 1}"/>`,
    )
    .join('');
  const names = (spec.names ?? [])
    .map((n) => {
      const name = n.isBuiltin ? `_xlnm.${n.name}` : n.name;
      return `<definedName name="${esc(name)}"${n.isHidden ? ' hidden="1"' : ''}>${esc(n.formula)}</definedName>`;
    })
    .join('');
  const files: Record<string, string | Uint8Array> = {
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN_NS}" xmlns:r="${REL}"><sheets>${sheets}</sheets><definedNames>${names}</definedNames></workbook>`,
  };
  spec.sheets.forEach((s, i) => {
    const root = s.type === 'macro' ? 'xm:macrosheet' : 'worksheet';
    files[`xl/${partOf(spec, i, 'xml')}`] =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${root} xmlns="${MAIN_NS}" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData>${rowsXml(s.cells)}</sheetData></${root}>`;
  });
  return packageFor(spec, 'xml', files);
}

function rowsXml(cells: BiffCellSpec[]): string {
  const rows = new Map<number, string[]>();
  for (const c of cells) {
    const { row } = parseCell(c.ref);
    const v = c.value;
    const t =
      typeof v === 'string'
        ? c.formula
          ? ' t="str"'
          : ' t="inlineStr"'
        : typeof v === 'boolean'
          ? ' t="b"'
          : '';
    const f = c.formula === undefined ? '' : `<f>${esc(c.formula)}</f>`;
    const value =
      v === undefined
        ? ''
        : typeof v === 'string' && !c.formula
          ? `<is><t>${esc(v)}</t></is>`
          : `<v>${esc(typeof v === 'boolean' ? (v ? '1' : '0') : String(v))}</v>`;
    rows.set(row, [...(rows.get(row) ?? []), `<c r="${c.ref}"${t}>${f}${value}</c>`]);
  }
  return [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([r, cs]) => `<row r="${r + 1}">${cs.join('')}</row>`)
    .join('');
}

/** One BIFF12 record: 7-bit varint type and size ([MS-XLSB] 2.1.4). */
export function brt(type: number, data: Uint8Array | number[] = []): Uint8Array {
  const body = data instanceof Uint8Array ? data : Uint8Array.from(data);
  const head: number[] = [];
  for (let t = type, i = 0; i < 2; i++) {
    head.push((t & 0x7f) | (t > 0x7f && i === 0 ? 0x80 : 0));
    t >>= 7;
    if (t === 0) break;
  }
  let size = body.length;
  do {
    head.push((size & 0x7f) | (size > 0x7f ? 0x80 : 0));
    size >>>= 7;
  } while (size > 0);
  return concatBytes([Uint8Array.from(head), body]);
}

const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const wide = (s: string) => [
  ...u32(s.length),
  ...[...s].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]),
];

/** An .xlsb: workbook.bin and BIFF12 sheet parts. */
export function buildXlsb(spec: BiffWorkbookSpec): Uint8Array {
  const ctx: CompileContext = {
    dialect: 12,
    sheets: spec.sheets.map((s) => s.name),
    names: (spec.names ?? []).map((n) => n.name),
  };
  const states = { visible: 0, hidden: 1, 'very-hidden': 2 } as const;
  const workbook = [
    ...spec.sheets.map((s, i) =>
      brt(156, [
        ...u32(states[s.state ?? 'visible']),
        ...u32(i + 1),
        ...wide(`rId${i + 1}`),
        ...wide(s.name),
      ]),
    ),
    brt(362, [
      ...u32(spec.sheets.length),
      ...spec.sheets.flatMap((_, i) => [...u32(0), ...u32(i), ...u32(i)]),
    ]),
    ...(spec.names ?? []).map((n) => {
      const rgce = compileFormula(n.formula, ctx);
      const flags = (n.isHidden ? 0x01 : 0) | (n.isBuiltin ? 0x20 : 0);
      return brt(39, [
        ...u32(flags),
        0,
        ...u32(0xffffffff),
        ...wide(n.name),
        ...u32(rgce.length),
        ...rgce,
        ...u32(0),
        ...u32(0xffffffff),
      ]);
    }),
  ];
  const files: Record<string, string | Uint8Array> = { 'xl/workbook.bin': concatBytes(workbook) };
  spec.sheets.forEach((s, i) => {
    files[`xl/${partOf(spec, i, 'bin')}`] = concatBytes(sheetRecords(s.cells, ctx));
  });
  return packageFor(spec, 'bin', files);
}

function sheetRecords(cells: BiffCellSpec[], ctx: CompileContext): Uint8Array[] {
  const out: Uint8Array[] = [];
  const sorted = [...cells].sort((a, b) => parseCell(a.ref).row - parseCell(b.ref).row);
  let lastRow = -1;
  for (const c of sorted) {
    const { row, col } = parseCell(c.ref);
    if (row !== lastRow) out.push(brt(0, [...u32(row), ...new Array<number>(13).fill(0)]));
    lastRow = row;
    const cell = [...u32(col), ...u32(0)];
    const v = c.value;
    if (c.formula === undefined) {
      if (typeof v === 'string') out.push(brt(6, [...cell, ...wide(v)]));
      else if (typeof v === 'number') out.push(brt(5, [...cell, ...f64(v)]));
      else if (typeof v === 'boolean') out.push(brt(4, [...cell, v ? 1 : 0]));
      continue;
    }
    const rgce = compileFormula(c.formula, ctx);
    const formula = [0, 0, ...u32(rgce.length), ...rgce, ...u32(0)];
    if (typeof v === 'string') out.push(brt(8, [...cell, ...wide(v), ...formula]));
    else if (typeof v === 'boolean') out.push(brt(10, [...cell, v ? 1 : 0, ...formula]));
    else out.push(brt(9, [...cell, ...f64(typeof v === 'number' ? v : 0), ...formula]));
  }
  return out;
}

function f64(n: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, n, true);
  return [...b];
}
