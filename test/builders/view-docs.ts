/**
 * Documents for the safe view, built in code: a .docx with paragraphs, a table and a picture, an
 * .xlsx with shared strings (Japanese with phonetic runs) and a hidden sheet, a .pptx with slides,
 * and a real 1×1 PNG. Text is inert; hostile strings are there to be shown as text.
 */
import { deflateSync } from 'node:zlib';
import { concatBytes } from '../../src/core/index.js';
import { buildOoxmlPackage, escapeXml } from '../../src/formats/ooxml/index.js';
import { crc32 } from '../../src/formats/zip/index.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const P = 'http://schemas.openxmlformats.org/presentationml/2006/main';
const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const DOCX_MAIN =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const DOCM_MAIN = 'application/vnd.ms-word.document.macroEnabled.main+xml';
const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const PPTX_MAIN =
  'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml';
const VBA = 'application/vnd.ms-office.vbaProject';

/** A valid 1×1 PNG (PNG spec: signature, IHDR, IDAT, IEND with CRCs). */
export function tinyPng(): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const head = new Uint8Array(8);
    const view = new DataView(head.buffer);
    view.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) head[4 + i] = type.charCodeAt(i);
    const crc = new Uint8Array(4);
    new DataView(crc.buffer).setUint32(0, crc32(concatBytes([head.subarray(4), data])));
    return concatBytes([head, data, crc]);
  };
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, 1);
  v.setUint32(4, 1);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const idat = new Uint8Array(deflateSync(Uint8Array.of(0, 0xff, 0x00, 0x00)));
  return concatBytes([
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array()),
  ]);
}

export interface ViewDocxSpec {
  paragraphs: string[];
  table?: string[][];
  images?: { name: string; data: Uint8Array }[];
  /** Adds word/vbaProject.bin and the macro-enabled content type (a .docm). */
  hasMacros?: boolean;
}

const run = (text: string) => `<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;

export function buildViewDocx(spec: ViewDocxSpec): Uint8Array {
  const body = spec.paragraphs.map(
    (p) => `<w:p>${p.split('\t').map(run).join('<w:r><w:tab/></w:r>')}</w:p>`,
  );
  if (spec.table) {
    const rows = spec.table.map(
      (row) => `<w:tr>${row.map((cell) => `<w:tc><w:p>${run(cell)}</w:p></w:tc>`).join('')}</w:tr>`,
    );
    body.push(`<w:tbl><w:tblPr/>${rows.join('')}</w:tbl>`);
  }
  const files: Record<string, string | Uint8Array> = {
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}" xmlns:r="${REL}"><w:body>${body.join('')}<w:sectPr/></w:body></w:document>`,
  };
  const docRels: { id: string; type: string; target: string }[] = [];
  for (const [i, image] of (spec.images ?? []).entries()) {
    files[`word/media/${image.name}`] = image.data;
    docRels.push({ id: `rIdImg${i}`, type: `${REL}/image`, target: `media/${image.name}` });
  }
  if (spec.hasMacros) {
    files['word/vbaProject.bin'] = new Uint8Array(512);
    docRels.push({
      id: 'rIdVba',
      type: 'http://schemas.microsoft.com/office/2006/relationships/vbaProject',
      target: 'vbaProject.bin',
    });
  }
  return buildOoxmlPackage({
    files,
    contentTypes: {
      defaults: { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', bin: VBA },
      overrides: { 'word/document.xml': spec.hasMacros ? DOCM_MAIN : DOCX_MAIN },
    },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'word/document.xml' }],
      'word/document.xml': docRels,
    },
  });
}

export interface ViewXlsxSpec {
  sheets: { name: string; rows: string[][]; state?: 'hidden' | 'veryHidden' }[];
  /** Phonetic reading added to every shared string (`rPh`), which must not show. */
  phonetic?: string;
}

const columnName = (i: number) =>
  i < 26
    ? String.fromCharCode(65 + i)
    : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26));

export function buildViewXlsx(spec: ViewXlsxSpec): Uint8Array {
  const strings: string[] = [];
  const index = (s: string) => {
    const at = strings.indexOf(s);
    return at >= 0 ? at : strings.push(s) - 1;
  };
  const files: Record<string, string | Uint8Array> = {};
  const overrides: Record<string, string> = { 'xl/workbook.xml': XLSX_MAIN };
  const rels = spec.sheets.map((_, i) => ({
    id: `rId${i + 1}`,
    type: `${REL}/worksheet`,
    target: `worksheets/sheet${i + 1}.xml`,
  }));
  spec.sheets.forEach((sheet, i) => {
    const rows = sheet.rows.map((row, r) => {
      const cells = row.map((cell, c) => {
        const ref = `${columnName(c)}${r + 1}`;
        return /^-?\d+(\.\d+)?$/.test(cell)
          ? `<c r="${ref}"><v>${cell}</v></c>`
          : `<c r="${ref}" t="s"><v>${index(cell)}</v></c>`;
      });
      return `<row r="${r + 1}">${cells.join('')}</row>`;
    });
    files[`xl/worksheets/sheet${i + 1}.xml`] =
      `<worksheet xmlns="${S}"><sheetData>${rows.join('')}</sheetData></worksheet>`;
  });
  const sheetsXml = spec.sheets
    .map(
      (s, i) =>
        `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`,
    )
    .join('');
  files['xl/workbook.xml'] =
    `<workbook xmlns="${S}" xmlns:r="${REL}"><sheets>${sheetsXml}</sheets></workbook>`;
  const rph = spec.phonetic ? `<rPh sb="0" eb="1"><t>${escapeXml(spec.phonetic)}</t></rPh>` : '';
  files['xl/sharedStrings.xml'] = `<sst xmlns="${S}" count="${strings.length}">${strings
    .map((s) => `<si><t>${escapeXml(s)}</t>${rph}</si>`)
    .join('')}</sst>`;
  rels.push({
    id: `rId${rels.length + 1}`,
    type: `${REL}/sharedStrings`,
    target: 'sharedStrings.xml',
  });
  return buildOoxmlPackage({
    files,
    contentTypes: { overrides },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'xl/workbook.xml' }],
      'xl/workbook.xml': rels,
    },
  });
}

/** A .pptx whose slides hold the given paragraphs, one text box each. */
export function buildViewPptx(slides: string[][]): Uint8Array {
  const files: Record<string, string | Uint8Array> = {
    'ppt/presentation.xml': `<p:presentation xmlns:p="${P}" xmlns:r="${REL}"><p:sldIdLst>${slides
      .map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`)
      .join('')}</p:sldIdLst></p:presentation>`,
  };
  slides.forEach((paragraphs, i) => {
    const ps = paragraphs.map((t) => `<a:p><a:r><a:t>${escapeXml(t)}</a:t></a:r></a:p>`).join('');
    files[`ppt/slides/slide${i + 1}.xml`] =
      `<p:sld xmlns:p="${P}" xmlns:a="${A}"><p:cSld><p:spTree><p:sp><p:txBody>${ps}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
  });
  return buildOoxmlPackage({
    files,
    contentTypes: { overrides: { 'ppt/presentation.xml': PPTX_MAIN } },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'ppt/presentation.xml' }],
      'ppt/presentation.xml': slides.map((_, i) => ({
        id: `rId${i + 1}`,
        type: `${REL}/slide`,
        target: `slides/slide${i + 1}.xml`,
      })),
    },
  });
}
