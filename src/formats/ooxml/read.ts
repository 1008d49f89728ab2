import { FormatError, type Anomaly } from '../../core/index.js';
import { listZip, readZipEntry, type ZipEntry } from '../zip/index.js';
import { CONTENT_TYPES_PART, contentTypeResolver, parseContentTypes } from './content-types.js';
import {
  locateEmbeddings,
  locateMacroSheets,
  locateMainPart,
  locateVbaProjects,
} from './locate.js';
import { indexByName, PartReader } from './part-reader.js';
import { parseRels, relsSource, type OoxmlRelationship } from './rels.js';
import {
  MAX_OOXML_ELEMENTS,
  MAX_OOXML_PART_BYTES,
  MAX_OOXML_TOTAL_BYTES,
  MAX_OOXML_XML_BYTES,
  type OoxmlPackage,
  type OoxmlPart,
  type OoxmlVbaProject,
  type ReadOoxmlOptions,
} from './types.js';
import { decodeXmlBytes } from './xml-scan.js';

// Part lookup for readOoxmlPart, kept off the result so that it stays plain data.
const PART_ENTRIES = new WeakMap<OoxmlPackage, Map<string, ZipEntry>>();

/**
 * Reads an OPC package (ECMA-376 Part 2): content types, relationships of every part, and what
 * macro malware hides in it — VBA projects (read under a cap), XLM macro sheets, external targets
 * (remote template injection, T1221) and embedded OLE/ActiveX objects. Malformed parts become anomalies.
 * Throws `FormatError` E_ZIP_NOT_ZIP when the bytes are not a ZIP at all.
 *
 * @example
 * const pkg = await readOoxml(bytes);
 * if (pkg.isMacroEnabled) for (const vba of pkg.vbaProjects) inspect(vba.bytes);
 */
export async function readOoxml(
  bytes: Uint8Array,
  options: ReadOoxmlOptions = {},
): Promise<OoxmlPackage> {
  const listing = await listZip(
    bytes,
    options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries },
  );
  const anomalies: Anomaly[] = [...listing.anomalies];
  const files = listing.entries.filter((e) => !e.directory);
  const byName = indexByName(files, anomalies);
  const reader = new PartReader(options.maxTotalBytes ?? MAX_OOXML_TOTAL_BYTES, anomalies);
  const { contentTypes, relationships } = await readStructure(
    files,
    byName,
    reader,
    options,
    anomalies,
  );
  const typeOf = contentTypeResolver(contentTypes);
  const parts: OoxmlPart[] = files.map((e) => ({
    name: e.name,
    size: e.uncompressedSize,
    compressedSize: e.compressedSize,
    contentType: typeOf(e.name) ?? null,
  }));
  const pkg: OoxmlPackage = {
    contentTypes,
    parts,
    relationships,
    ...locateMainPart(relationships, contentTypes, typeOf),
    vbaProjects: [],
    macroSheets: locateMacroSheets(parts, relationships),
    externalRelationships: relationships.filter((r) => r.targetMode === 'External'),
    embeddings: locateEmbeddings(parts, relationships),
    anomalies,
  };
  PART_ENTRIES.set(pkg, byName);
  const maxPartBytes = options.maxPartBytes ?? MAX_OOXML_PART_BYTES;
  for (const [key, how] of locateVbaProjects(parts, relationships)) {
    const entry = byName.get(key);
    if (!entry) {
      anomalies.push({
        code: 'E_OOXML_MISSING_PART',
        message: 'a vbaProject relationship points to a part that does not exist',
        location: key,
      });
      continue;
    }
    const data = await reader.read(entry, maxPartBytes, 'maxPartBytes');
    const foundBy = [...how].sort() as OoxmlVbaProject['foundBy'];
    if (data) pkg.vbaProjects.push({ partName: entry.name, bytes: data, foundBy });
  }
  return pkg;
}

/** [Content_Types].xml and every `_rels/*.rels` part, with a shared cap on relationships. */
async function readStructure(
  files: readonly ZipEntry[],
  byName: Map<string, ZipEntry>,
  reader: PartReader,
  options: ReadOoxmlOptions,
  anomalies: Anomaly[],
) {
  const maxElements = options.maxElements ?? MAX_OOXML_ELEMENTS;
  const maxXmlBytes = options.maxXmlBytes ?? MAX_OOXML_XML_BYTES;
  const readXml = async (entry: ZipEntry) => {
    const data = await reader.read(entry, maxXmlBytes, 'maxXmlBytes');
    return data && decodeXmlBytes(data);
  };
  const typesEntry = byName.get(CONTENT_TYPES_PART.toLowerCase());
  if (!typesEntry) {
    anomalies.push({ code: 'E_OOXML_NO_CONTENT_TYPES', message: `no ${CONTENT_TYPES_PART} part` });
  }
  const typesXml = typesEntry && (await readXml(typesEntry));
  const contentTypes = parseContentTypes(typesXml ?? '', maxElements, anomalies);
  const relationships: OoxmlRelationship[] = [];
  for (const entry of files) {
    const source = relsSource(entry.name);
    if (source === undefined) continue;
    const left = maxElements - relationships.length;
    if (left <= 0) {
      anomalies.push({
        code: 'E_LIMIT_OOXML_RELATIONSHIPS',
        message: `more than ${maxElements} relationships in the package; the rest were not read`,
        location: entry.name,
      });
      break;
    }
    const xml = await readXml(entry);
    if (xml !== undefined)
      relationships.push(...parseRels(xml, entry.name, source, left, anomalies));
  }
  return { contentTypes, relationships };
}

/**
 * Reads any part of a package returned by `readOoxml` (an embedding, a macro sheet) under a byte cap.
 * Throws what `readZipEntry` throws, or `FormatError` E_OOXML_MISSING_PART.
 *
 * @example
 * const ole = await readOoxmlPart(pkg, pkg.embeddings[0].partName, { maxBytes: 1 << 20 });
 */
export async function readOoxmlPart(
  pkg: OoxmlPackage,
  partName: string,
  options: { maxBytes: number; limit?: string },
): Promise<Uint8Array> {
  const entry = PART_ENTRIES.get(pkg)?.get(partName.replace(/^\//, '').toLowerCase());
  if (!entry) throw new FormatError('E_OOXML_MISSING_PART', `${partName}: no such part`);
  return readZipEntry(entry, options);
}
