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
  MAX_OOXML_CACHED_BYTES,
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

/** What `readOoxmlPart` needs of a package, kept off the result so that it stays plain data. */
interface PartIndex {
  byName: Map<string, ZipEntry>;
  /** Lower-cased part name → bytes already read (shared: callers must not modify them). */
  cache: Map<string, Uint8Array>;
  cachedBytes: number;
}
const PART_INDEX = new WeakMap<OoxmlPackage, PartIndex>();

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
  const anomalies: Anomaly[] = [];
  for (const anomaly of listing.anomalies) anomalies.push(anomaly);
  // Loops and push rather than filter()/map() here and in locate.ts: arrays built so are always of
  // one kind, and the engines iterating over them are not deoptimised by a second one.
  const files: ZipEntry[] = [];
  for (const entry of listing.entries) if (!entry.directory) files.push(entry);
  const byName = indexByName(files, anomalies);
  const reader = new PartReader(options.maxTotalBytes ?? MAX_OOXML_TOTAL_BYTES, anomalies);
  const maxElements = options.maxElements ?? MAX_OOXML_ELEMENTS;
  const maxXmlBytes = options.maxXmlBytes ?? MAX_OOXML_XML_BYTES;
  const typesEntry = byName.get(CONTENT_TYPES_PART_KEY);
  if (!typesEntry) {
    anomalies.push({ code: 'E_OOXML_NO_CONTENT_TYPES', message: `no ${CONTENT_TYPES_PART} part` });
  }
  const typesXml = typesEntry && (await readXml(reader, typesEntry, maxXmlBytes));
  const contentTypes = parseContentTypes(typesXml ?? '', maxElements, anomalies);
  const relationships = await readRelationships(files, reader, maxElements, maxXmlBytes, anomalies);
  const typeOf = contentTypeResolver(contentTypes);
  const parts: OoxmlPart[] = [];
  for (const e of files) {
    parts.push({
      name: e.name,
      size: e.uncompressedSize,
      compressedSize: e.compressedSize,
      contentType: typeOf(e.name) ?? null,
    });
  }
  const main = locateMainPart(relationships, contentTypes, typeOf);
  const externalRelationships: OoxmlRelationship[] = [];
  for (const r of relationships) if (r.targetMode === 'External') externalRelationships.push(r);
  const pkg: OoxmlPackage = {
    contentTypes,
    parts,
    relationships,
    mainPart: main.mainPart,
    mainContentType: main.mainContentType,
    isMacroEnabled: main.isMacroEnabled,
    vbaProjects: [],
    macroSheets: locateMacroSheets(parts, relationships),
    externalRelationships,
    embeddings: locateEmbeddings(parts, relationships),
    anomalies,
  };
  PART_INDEX.set(pkg, { byName, cache: new Map(), cachedBytes: 0 });
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
    const read = reader.read(entry, maxPartBytes, 'maxPartBytes');
    const data = read instanceof Promise ? await read : read;
    const foundBy = [...how].sort() as OoxmlVbaProject['foundBy'];
    if (data) pkg.vbaProjects.push({ partName: entry.name, bytes: data, foundBy });
  }
  return pkg;
}

const CONTENT_TYPES_PART_KEY = CONTENT_TYPES_PART.toLowerCase();

/** An XML part as text, or undefined when it could not be read; awaits only for zip.js reads. */
function readXml(
  reader: PartReader,
  entry: ZipEntry,
  maxXmlBytes: number,
): string | undefined | Promise<string | undefined> {
  const read = reader.read(entry, maxXmlBytes, 'maxXmlBytes');
  if (read instanceof Promise) return read.then((data) => data && decodeXmlBytes(data));
  return read && decodeXmlBytes(read);
}

/** Every `_rels/*.rels` part, in member order, with one cap on relationships for all of them. */
async function readRelationships(
  files: readonly ZipEntry[],
  reader: PartReader,
  maxElements: number,
  maxXmlBytes: number,
  anomalies: Anomaly[],
): Promise<OoxmlRelationship[]> {
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
    const read = readXml(reader, entry, maxXmlBytes);
    const xml = read instanceof Promise ? await read : read;
    if (xml === undefined) continue;
    for (const rel of parseRels(xml, entry.name, source, left, anomalies)) relationships.push(rel);
  }
  return relationships;
}

/**
 * Reads any part of a package returned by `readOoxml` (an embedding, a macro sheet) under a byte cap.
 * A part is inflated once per package: a second read returns the same bytes (do not modify them)
 * when they fit its cap; a read past the cap is done again, so it fails as it would have.
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
  const key = partName.replace(/^\//, '').toLowerCase();
  const index = PART_INDEX.get(pkg);
  const entry = index?.byName.get(key);
  if (!index || !entry) throw new FormatError('E_OOXML_MISSING_PART', `${partName}: no such part`);
  // Without a password or padding trim the bytes read do not depend on the cap, only whether
  // they fit it: a hit that fits is what a new read would return.
  const cached = index.cache.get(key);
  if (cached !== undefined && cached.length <= options.maxBytes) return cached;
  const bytes = await readZipEntry(entry, options);
  if (cached === undefined && index.cachedBytes + bytes.length <= MAX_OOXML_CACHED_BYTES) {
    index.cache.set(key, bytes);
    index.cachedBytes += bytes.length;
  }
  return bytes;
}
