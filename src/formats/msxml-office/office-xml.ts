import type { Anomaly } from '../../core/index.js';
import { decodeBase64Text } from '../activemime/index.js';
import { attribute, decodeXmlEntities, decodeXmlText } from './xml-text.js';

const MiB = 1024 * 1024;
/** Bytes of an XML document decoded for scanning; Word 2003 XML with images runs to a few MiB. */
export const MAX_OFFICE_XML_BYTES = 256 * MiB;
/** Binary parts decoded (w:binData, flat OPC pkg:binaryData). */
export const MAX_OFFICE_XML_PARTS = 256;
const MAX_ITEMS = 1000;
const HEAD_BYTES = 64 * 1024;

export type OfficeXmlFlavour = 'word2003' | 'excel2003' | 'flat-opc' | 'other';

/** A base64 part of the document: `w:binData` (editdata.mso, oledata.mso, images) or a flat OPC part. */
export interface OfficeXmlBinaryPart {
  name: string;
  contentType?: string;
  /** Character offset of the element in the decoded text. */
  offset: number;
  bytes: Uint8Array;
  isTruncated: boolean;
}

export interface OfficeXmlReference {
  offset: number;
  /** Relationship type name (`attachedTemplate`, `oleObject` …) or the element that holds it. */
  kind: string;
  target: string;
}

export interface OfficeXml {
  flavour: OfficeXmlFlavour;
  /** `<?mso-application progid="…"?>`, the marker that makes Office open the XML. */
  progId?: string;
  /** The decoded text (cut at `maxBytes`), for field scanning; '' for flavour 'other'. */
  text: string;
  binaryParts: OfficeXmlBinaryPart[];
  /** Word 2003 `w:attachedTemplate w:val` and flat OPC external relationships. */
  references: OfficeXmlReference[];
  /** Excel 2003 `ss:Formula` values. */
  formulas: { offset: number; formula: string }[];
  anomalies: Anomaly[];
}

export interface ReadOfficeXmlOptions {
  maxBytes?: number;
  /** Decoded bytes of all binary parts together. */
  maxBinaryBytes: number;
  maxParts?: number;
}

/**
 * Reads the XML forms of Office documents for what they carry: Word 2003 XML (WordprocessingML 2003:
 * `w:binData` ActiveMime macros, `w:attachedTemplate`, fields), Excel 2003 XML (SpreadsheetML:
 * `ss:Formula` with DDE), and flat OPC (Word 2007+ "XML Document": every package part inline,
 * `pkg:binaryData` holding vbaProject.bin as base64). Markup is found by pattern, not by a full XML
 * parser: no DTD, no entity expansion, linear time.
 *
 * @example
 * const xml = readOfficeXml(bytes, { maxBinaryBytes: 1 << 26 });
 * xml.binaryParts.find((p) => p.name === 'editdata.mso')
 */
export function readOfficeXml(bytes: Uint8Array, options: ReadOfficeXmlOptions): OfficeXml {
  const anomalies: Anomaly[] = [];
  // The head decides; an XML file that is no Office document is not decoded whole (logs, feeds).
  const head = decodeXmlText(bytes, HEAD_BYTES).text;
  const headProgId = progIdOf(head);
  if (flavourOf(head, headProgId) === 'other') {
    return { flavour: 'other', text: '', binaryParts: [], references: [], formulas: [], anomalies };
  }
  const { text, isTruncated } = decodeXmlText(bytes, options.maxBytes ?? MAX_OFFICE_XML_BYTES);
  if (isTruncated) {
    anomalies.push({
      code: 'E_LIMIT_OFFICE_XML_BYTES',
      message: `only the first ${options.maxBytes ?? MAX_OFFICE_XML_BYTES} bytes of the XML were read`,
    });
  }
  const progId = progIdOf(text);
  const xml: OfficeXml = {
    flavour: flavourOf(text, progId),
    text,
    binaryParts: [],
    references: [],
    formulas: [],
    anomalies,
    ...(progId ? { progId } : {}),
  };
  if (xml.flavour === 'other') return xml;
  readBinaryParts(xml, options);
  readReferences(xml);
  for (const m of text.matchAll(/\s(?:[\w.-]+:)?Formula\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (xml.formulas.length >= MAX_ITEMS) break;
    xml.formulas.push({ offset: m.index, formula: decodeXmlEntities(m[1] ?? m[2] ?? '') });
  }
  return xml;
}

function progIdOf(text: string): string | undefined {
  return /<\?mso-application\s+progid\s*=\s*["']([^"']{1,64})["']/i.exec(text.slice(0, 4096))?.[1];
}

function flavourOf(text: string, progId: string | undefined): OfficeXmlFlavour {
  const head = text.slice(0, 64 * 1024);
  if (/<(?:[\w.-]+:)?package\b[^>]*schemas\.microsoft\.com\/office\/2006\/xmlPackage/.test(head)) {
    return 'flat-opc';
  }
  if (/^Word\./i.test(progId ?? '') || /<(?:[\w.-]+:)?wordDocument\b/.test(head)) return 'word2003';
  if (/^Excel\./i.test(progId ?? '') || /urn:schemas-microsoft-com:office:spreadsheet/.test(head)) {
    return 'excel2003';
  }
  return 'other';
}

// w:binData w:name="editdata.mso">…</w:binData>; flat OPC: <pkg:part pkg:name=…><pkg:binaryData>…
const BIN_DATA = /<((?:[\w.-]+:)?binData)\b([^>]*)>([^<]*)<\/\1>/g;
const OPC_PART =
  /<((?:[\w.-]+:)?part)\b([^>]*)>\s*<((?:[\w.-]+:)?binaryData)\b[^>]*>([^<]*)<\/\3>/g;

function readBinaryParts(xml: OfficeXml, options: ReadOfficeXmlOptions): void {
  const maxParts = options.maxParts ?? MAX_OFFICE_XML_PARTS;
  let budget = options.maxBinaryBytes;
  const add = (offset: number, attrs: string, data: string, nameAttr: string) => {
    if (xml.binaryParts.length >= maxParts) {
      xml.anomalies.push({
        code: 'E_LIMIT_OFFICE_XML_PARTS',
        message: `more than ${maxParts} binary parts`,
      });
      return false;
    }
    const decoded = decodeBase64Text(data, Math.max(0, budget));
    budget -= decoded.bytes.length;
    if (decoded.isTruncated) {
      xml.anomalies.push({
        code: 'E_LIMIT_OFFICE_XML_BINARY_BYTES',
        message: 'binary parts cut at the byte budget',
        offset,
      });
    }
    const contentType = attribute(attrs, 'contentType');
    xml.binaryParts.push({
      name: (attribute(attrs, nameAttr) ?? `part-${xml.binaryParts.length + 1}`).replace(/^\//, ''),
      offset,
      bytes: decoded.bytes,
      isTruncated: decoded.isTruncated,
      ...(contentType ? { contentType } : {}),
    });
    return budget > 0;
  };
  for (const m of xml.text.matchAll(BIN_DATA)) {
    if (!add(m.index, m[2] ?? '', m[3] ?? '', 'name')) return;
  }
  for (const m of xml.text.matchAll(OPC_PART)) {
    if (!add(m.index, m[2] ?? '', m[4] ?? '', 'name')) return;
  }
}

const ATTACHED_TEMPLATE = /<(?:[\w.-]+:)?attachedTemplate\b([^>]*)>/g;
const RELATIONSHIP = /<(?:[\w.-]+:)?Relationship\b([^>]*)>/g;

function readReferences(xml: OfficeXml): void {
  for (const m of xml.text.matchAll(ATTACHED_TEMPLATE)) {
    const target = attribute(m[1] ?? '', 'val');
    if (target && xml.references.length < MAX_ITEMS) {
      xml.references.push({ offset: m.index, kind: 'attachedTemplate', target });
    }
  }
  for (const m of xml.text.matchAll(RELATIONSHIP)) {
    const attrs = m[1] ?? '';
    if ((attribute(attrs, 'TargetMode') ?? '').toLowerCase() !== 'external') continue;
    const type = attribute(attrs, 'Type') ?? '';
    const target = attribute(attrs, 'Target') ?? '';
    if (xml.references.length >= MAX_ITEMS) break;
    xml.references.push({ offset: m.index, kind: type.slice(type.lastIndexOf('/') + 1), target });
  }
}
