/**
 * ActiveMime (MSO) blobs and the documents that carry them, built in code: MHTML "single file web
 * pages" and Word 2003 XML with `editdata.mso`, Excel 2003 XML with DDE formulas, flat OPC with an inline
 * vbaProject.bin. The VBA inside comes from src/formats/ovba's writer and is inert.
 */
import { deflateSync } from 'node:zlib';
import { concatBytes } from '../../src/core/index.js';
import { encodeBase64 } from '../../src/formats/activemime/index.js';

const enc = (s: string) => new TextEncoder().encode(s);

/**
 * An ActiveMime blob: the magic, a header whose u16 at 0x1E + 46 is the data offset (0x32 as Word
 * writes it, 0x22A as Excel does), the uncompressed size, then zlib data.
 */
export function buildActiveMime(
  content: Uint8Array,
  options: { dataOffset?: number; compressed?: Uint8Array } = {},
): Uint8Array {
  const dataOffset = options.dataOffset ?? 0x32;
  const header = new Uint8Array(dataOffset);
  header.set(enc('ActiveMime'));
  const view = new DataView(header.buffer);
  view.setUint16(0x0c, 0xf001, true);
  view.setUint32(0x0e, 4, true);
  view.setUint32(0x12, 0xffffffff, true);
  view.setUint16(0x18, 0xf007, true);
  view.setUint16(0x1e, dataOffset - 46, true);
  view.setUint32(dataOffset - 4, content.length, true);
  return concatBytes([header, options.compressed ?? deflateSync(content)]);
}

/** Base64 in 76-character lines (RFC 2045 6.8). */
export function base64Lines(bytes: Uint8Array): string {
  return (encodeBase64(bytes).match(/.{1,76}/g) ?? []).join('\r\n');
}

export interface MhtmlPart {
  location: string;
  contentType: string;
  /** Binary parts are base64-encoded; strings are written as quoted-printable-free text. */
  body: Uint8Array | string;
}

/** A Word "single file web page": multipart/related with the HTML first (RFC 2557). */
export function buildMhtml(parts: MhtmlPart[], options: { junkBefore?: string } = {}): Uint8Array {
  const boundary = '----=_NextPart_01D00000.EMOGUARD';
  const lines = [
    options.junkBefore ?? '',
    'MIME-Version: 1.0',
    `Content-Type: multipart/related; boundary="${boundary}"`,
    '',
    'This document is a Single File Web Page, also known as a Web Archive file.',
    '',
  ];
  for (const part of parts) {
    const isBinary = typeof part.body !== 'string';
    lines.push(`--${boundary}`, `Content-Location: ${part.location}`);
    lines.push(`Content-Transfer-Encoding: ${isBinary ? 'base64' : '8bit'}`);
    lines.push(`Content-Type: ${part.contentType}`, '');
    lines.push(isBinary ? base64Lines(part.body as Uint8Array) : (part.body as string), '');
  }
  lines.push(`--${boundary}--`, '');
  return enc(lines.join('\r\n').replace(/^\r\n/, ''));
}

/** An MHTML Word document whose editdata.mso holds `vbaCfb` (a compound file with Macros/VBA). */
export function buildMhtmlWithMacros(
  vbaCfb: Uint8Array,
  options: { junkBefore?: string } = {},
): Uint8Array {
  return buildMhtml(
    [
      {
        location: 'file:///C:/invoice.htm',
        contentType: 'text/html; charset="utf-8"',
        body: '<html><body><p>emoguard inert test document</p></body></html>',
      },
      {
        location: 'file:///C:/invoice_files/editdata.mso',
        contentType: 'application/x-mso',
        body: buildActiveMime(vbaCfb),
      },
    ],
    options,
  );
}

export interface Word2003Spec {
  /** ActiveMime bytes for `<w:binData w:name="editdata.mso">`. */
  editdata?: Uint8Array;
  /** Complex fields, each instruction split over the given runs. */
  fields?: string[][];
  /** `w:fldSimple w:instr`. */
  simpleFields?: string[];
  attachedTemplate?: string;
}

const xmlEscape = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** WordprocessingML 2003 (`<?mso-application progid="Word.Document"?>`). */
export function buildWord2003Xml(spec: Word2003Spec): Uint8Array {
  const runs = (spec.fields ?? []).map(
    (pieces) =>
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r>' +
      pieces.map((p) => `<w:r><w:instrText>${xmlEscape(p)}</w:instrText></w:r>`).join('') +
      '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>' +
      '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
  );
  const simple = (spec.simpleFields ?? []).map(
    (instr) => `<w:fldSimple w:instr="${xmlEscape(instr)}"><w:r><w:t>x</w:t></w:r></w:fldSimple>`,
  );
  const template =
    spec.attachedTemplate === undefined
      ? ''
      : `<w:attachedTemplate w:val="${xmlEscape(spec.attachedTemplate)}"/>`;
  const binData =
    spec.editdata === undefined
      ? ''
      : `<w:docOleData><w:binData w:name="editdata.mso">${base64Lines(spec.editdata)}</w:binData></w:docOleData>`;
  return enc(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
      '<?mso-application progid="Word.Document"?>\r\n' +
      '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" w:macrosPresent="yes">' +
      `<w:docPr>${template}</w:docPr>${binData}` +
      `<w:body><w:p>${runs.join('')}${simple.join('')}<w:r><w:t>emoguard inert test document</w:t></w:r></w:p></w:body>` +
      '</w:wordDocument>',
  );
}

/** SpreadsheetML 2003 with one formula cell per entry. */
export function buildExcel2003Xml(formulas: string[]): Uint8Array {
  const cells = formulas.map(
    (f) => `<Cell ss:Formula="${xmlEscape(f)}"><Data ss:Type="Number">0</Data></Cell>`,
  );
  return enc(
    '<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n' +
      '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">' +
      `<Worksheet ss:Name="Sheet1"><Table><Row>${cells.join('')}</Row></Table></Worksheet></Workbook>`,
  );
}

/** Flat OPC (Word "XML Document"): parts inline, binary ones base64 in pkg:binaryData. */
export function buildFlatOpc(
  parts: { name: string; contentType: string; data: Uint8Array | string }[],
): Uint8Array {
  const body = parts.map((p) =>
    typeof p.data === 'string'
      ? `<pkg:part pkg:name="${p.name}" pkg:contentType="${p.contentType}"><pkg:xmlData>${p.data}</pkg:xmlData></pkg:part>`
      : `<pkg:part pkg:name="${p.name}" pkg:contentType="${p.contentType}" pkg:compression="store"><pkg:binaryData>${base64Lines(p.data)}</pkg:binaryData></pkg:part>`,
  );
  return enc(
    '<?xml version="1.0" standalone="yes"?>\r\n<?mso-application progid="Word.Document"?>\r\n' +
      `<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">${body.join('')}</pkg:package>`,
  );
}
