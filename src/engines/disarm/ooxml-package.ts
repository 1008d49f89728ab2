import type { Anomaly } from '../../core/index.js';
import {
  checkXml,
  CONTENT_TYPES_PART,
  contentTypeResolver,
  locateMainPart,
  PackageEditor,
  parseContentTypes,
  parseRels,
  relsSource,
  type ContentTypes,
  type OoxmlPart,
  type OoxmlRelationship,
  type PackageMember,
  type XmlWalkLimits,
} from '../../formats/ooxml/index.js';

/**
 * The structure of a package opened for disarm: content types, every relationship, the parts and the
 * main part. Every XML part that structure comes from must be well-formed, or there is no safe rewrite.
 */

const MiB = 1024 * 1024;
/** Bytes of one XML part decoded for rewriting (real parts are KiB; big sheets tens of MiB). */
export const MAX_DISARM_XML_PART_BYTES = 128 * MiB;
/** Elements walked per XML part, and the nesting allowed (deep tables in tables stay under it). */
export const XML_LIMITS: XmlWalkLimits = { maxElements: 10_000_000, maxDepth: 1000 };
const MAX_STRUCTURE_ELEMENTS = 1_000_000;

export const isXmlPartName = (name: string): boolean => /\.(?:xml|rels|vml)$/i.test(name);

export interface OpenedPackage {
  editor: PackageEditor;
  contentTypesXml: string;
  contentTypes: ContentTypes;
  typeOf: (name: string) => string | undefined;
  parts: OoxmlPart[];
  relationships: OoxmlRelationship[];
  mainPart: string;
  mainContentType: string;
}

export type Fail = { ok: false; refusal: 'malformed' | 'unsupported' | 'limit'; reason: string };

/** A part that could not be walked: past an element or depth cap is a limit, anything else malformed. */
export function xmlFailure(name: string, reason: string): Fail {
  const refusal = /^(?:more than \d+ elements|deeper than)/.test(reason) ? 'limit' : 'malformed';
  return { ok: false, refusal, reason: `${name}: ${reason}` };
}

/** A part's text: UTF-8, or UTF-16 with a byte order mark (ECMA-376 Part 2 §8.1.4); anything else is refused. */
export function partText(editor: PackageEditor, name: string): string | Fail {
  const bytes = editor.bytes(name);
  if (!bytes) return { ok: false, refusal: 'malformed', reason: `${name}: missing` };
  if (bytes.length > MAX_DISARM_XML_PART_BYTES)
    return {
      ok: false,
      refusal: 'limit',
      reason: `${name}: XML part over ${MAX_DISARM_XML_PART_BYTES} bytes`,
    };
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, refusal: 'malformed', reason: `${name}: not UTF-8 or UTF-16 text` };
  }
}

/** Stores edited XML as UTF-8, fixing a declaration that said UTF-16. */
export function saveText(editor: PackageEditor, name: string, xml: string): void {
  editor.set(
    name,
    xml.replace(/^(\s*<\?xml[^>]*?encoding\s*=\s*["'])utf-16(?:le|be)?(["'])/i, '$1UTF-8$2'),
  );
}

export function openPackage(members: readonly PackageMember[]): OpenedPackage | Fail {
  const editor = new PackageEditor(members);
  const anomalies: Anomaly[] = [];
  const typesName = editor.spelling(CONTENT_TYPES_PART);
  if (!typesName)
    return { ok: false, refusal: 'malformed', reason: `no ${CONTENT_TYPES_PART} part` };
  const contentTypesXml = partText(editor, typesName);
  if (typeof contentTypesXml !== 'string') return contentTypesXml;
  const checked = checkXml(contentTypesXml, XML_LIMITS);
  if (!checked.ok) return xmlFailure(typesName, checked.reason);
  const contentTypes = parseContentTypes(contentTypesXml, MAX_STRUCTURE_ELEMENTS, anomalies);
  const typeOf = contentTypeResolver(contentTypes);
  const relationships: OoxmlRelationship[] = [];
  for (const name of editor.names()) {
    const source = relsSource(name);
    if (source === undefined) continue;
    const xml = partText(editor, name);
    if (typeof xml !== 'string') return xml;
    const ok = checkXml(xml, XML_LIMITS);
    if (!ok.ok) return xmlFailure(name, ok.reason);
    relationships.push(...parseRels(xml, name, source, MAX_STRUCTURE_ELEMENTS, anomalies));
    if (relationships.length > MAX_STRUCTURE_ELEMENTS)
      return {
        ok: false,
        refusal: 'limit',
        reason: `more than ${MAX_STRUCTURE_ELEMENTS} relationships`,
      };
  }
  if (anomalies.length > 0) return { ok: false, refusal: 'limit', reason: anomalies[0]!.message };
  const parts: OoxmlPart[] = members
    .filter((m) => !m.name.endsWith('/'))
    .map((m) => ({
      name: m.name,
      size: m.uncompressedSize,
      compressedSize: m.compressedSize,
      contentType: typeOf(m.name) ?? null,
    }));
  const main = locateMainPart(relationships, contentTypes, typeOf);
  if (main.mainPart === null || !editor.has(main.mainPart) || main.mainContentType === null)
    return {
      ok: false,
      refusal: 'unsupported',
      reason: 'no main document part (officeDocument relationship)',
    };
  return {
    editor,
    contentTypesXml,
    contentTypes,
    typeOf,
    parts,
    relationships,
    mainPart: editor.spelling(main.mainPart)!,
    mainContentType: main.mainContentType,
  };
}

/** `word/document.xml` → `word/_rels/document.xml.rels` (ECMA-376 Part 2 §9.3.1). */
export function relsPartOf(source: string): string {
  const slash = source.lastIndexOf('/');
  return `${source.slice(0, slash + 1)}_rels/${source.slice(slash + 1)}.rels`;
}

/** A part name not yet in the package: `xl/worksheets/sheet<n>.<ext>`. */
export function freshName(
  editor: PackageEditor,
  folder: string,
  stem: string,
  ext: string,
): string {
  for (let n = 1; ; n++) {
    const name = `${folder}${stem}${n}.${ext}`;
    if (!editor.has(name)) return name;
  }
}

/** A relationship id not used in the given rels part. */
export function freshRelId(
  relationships: readonly OoxmlRelationship[],
  relsPart: string,
  taken: Set<string>,
): string {
  const used = new Set(
    relationships
      .filter((r) => r.relsPart.toLowerCase() === relsPart.toLowerCase())
      .map((r) => r.id),
  );
  for (let n = used.size + 1; ; n++) {
    const id = `rIdEmoguard${n}`;
    if (!used.has(id) && !taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}
