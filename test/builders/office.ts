/**
 * OOXML documents for the office engine, built with the package writer of src/formats/ooxml: a .docx
 * whose DDEAUTO instruction is split over runs (and hidden in a QUOTE field), a .docx with a remote
 * template or an external OLE link, an .xlsx with a DDE link and a DDE formula, a .docx embedding an
 * oleObject.bin. Inert: commands are `calc`/`echo`, URLs example.com or TEST-NET.
 */
import { buildOoxmlPackage, type OoxmlRelSpec } from '../../src/formats/ooxml/index.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const DOCX_MAIN =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const OLE_OBJECT = 'application/vnd.openxmlformats-officedocument.oleObject';

const xmlEscape = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** A piece of a field instruction: text in its own run, or a nested field (a QUOTE hiding text). */
export type FieldPiece = string | { nested: FieldPiece[] };

/** A complex field whose instruction is written as one `w:instrText` per piece (one run each). */
export function complexField(pieces: FieldPiece[]): string {
  const instr = pieces.map((p) =>
    typeof p === 'string'
      ? `<w:r><w:instrText xml:space="preserve">${xmlEscape(p)}</w:instrText></w:r>`
      : complexField(p.nested),
  );
  return (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>' +
    instr.join('') +
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>result</w:t></w:r>' +
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
  );
}

export interface DocxSpec {
  /** Paragraph XML fragments (fields, runs) placed in the body. */
  body?: string[];
  /** Remote template (settings.xml attachedTemplate, TargetMode External). */
  template?: string;
  /** An external oleObject relationship of the main part. */
  oleLink?: string;
  /** word/embeddings/oleObject1.bin. */
  embedding?: Uint8Array;
}

export function buildDocx(spec: DocxSpec): Uint8Array {
  const body = (spec.body ?? ['<w:r><w:t>emoguard inert test document</w:t></w:r>']).map(
    (p) => `<w:p>${p}</w:p>`,
  );
  const files: Record<string, string | Uint8Array> = {
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}" xmlns:r="${REL}"><w:body>${body.join('')}</w:body></w:document>`,
  };
  const docRels: OoxmlRelSpec[] = [];
  const rels: Record<string, OoxmlRelSpec[]> = {
    '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'word/document.xml' }],
    'word/document.xml': docRels,
  };
  const overrides: Record<string, string> = { 'word/document.xml': DOCX_MAIN };
  if (spec.template !== undefined) {
    files['word/settings.xml'] =
      `<w:settings xmlns:w="${W}" xmlns:r="${REL}"><w:attachedTemplate r:id="rId1"/></w:settings>`;
    docRels.push({ id: 'rId9', type: `${REL}/settings`, target: 'settings.xml' });
    rels['word/settings.xml'] = [
      {
        id: 'rId1',
        type: `${REL}/attachedTemplate`,
        target: spec.template,
        targetMode: 'External',
      },
    ];
  }
  if (spec.oleLink !== undefined) {
    docRels.push({
      id: 'rId7',
      type: `${REL}/oleObject`,
      target: spec.oleLink,
      targetMode: 'External',
    });
  }
  if (spec.embedding !== undefined) {
    files['word/embeddings/oleObject1.bin'] = spec.embedding;
    docRels.push({ id: 'rId8', type: `${REL}/oleObject`, target: 'embeddings/oleObject1.bin' });
  }
  return buildOoxmlPackage({
    files,
    contentTypes: { defaults: { bin: OLE_OBJECT }, overrides },
    rels,
  });
}

export interface XlsxSpec {
  /** DDE links (xl/externalLinks/externalLink1.xml ddeLink). */
  ddeLinks?: { service: string; topic: string }[];
  /** Cell formulas of sheet1 (without the leading =, as xlsx stores them). */
  formulas?: string[];
  /** Raw XML after sheet1's sheetData (dataValidations, conditionalFormatting …), written as is. */
  sheetXmlAfterData?: string;
  /** Raw XML of the workbook's definedNames element, written as is. */
  definedNamesXml?: string;
  /** Raw externalLink part bodies (inside `<externalLink>`), written as is after `ddeLinks`. */
  externalLinksXml?: string[];
}

export function buildXlsx(spec: XlsxSpec): Uint8Array {
  const cells = (spec.formulas ?? []).map(
    (f, i) => `<c r="A${i + 1}"><f>${xmlEscape(f)}</f><v>0</v></c>`,
  );
  const files: Record<string, string | Uint8Array> = {
    'xl/workbook.xml': `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>${spec.definedNamesXml ?? ''}</workbook>`,
    'xl/worksheets/sheet1.xml': `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${cells.join('')}</row></sheetData>${spec.sheetXmlAfterData ?? ''}</worksheet>`,
  };
  const workbookRels: OoxmlRelSpec[] = [
    { id: 'rId1', type: `${REL}/worksheet`, target: 'worksheets/sheet1.xml' },
  ];
  const links = (spec.ddeLinks ?? []).map(
    (link) =>
      `<ddeLink ddeService="${xmlEscape(link.service)}" ddeTopic="${xmlEscape(link.topic)}"><ddeItems><ddeItem name="A0" advise="1"/></ddeItems></ddeLink>`,
  );
  [...links, ...(spec.externalLinksXml ?? [])].forEach((body, i) => {
    files[`xl/externalLinks/externalLink${i + 1}.xml`] =
      `<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${body}</externalLink>`;
    workbookRels.push({
      id: `rId${i + 2}`,
      type: `${REL}/externalLink`,
      target: `externalLinks/externalLink${i + 1}.xml`,
    });
  });
  return buildOoxmlPackage({
    files,
    contentTypes: { overrides: { 'xl/workbook.xml': XLSX_MAIN } },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'xl/workbook.xml' }],
      'xl/workbook.xml': workbookRels,
    },
  });
}
