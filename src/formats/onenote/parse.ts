import { FormatError, type Anomaly } from '../../core/index.js';
import { guidAt, guidBytes, indexOfBytes, u32, u64 } from './bin.js';
import { walkFileNodes, type NodeWalk } from './nodes.js';
import { readPropSet, type PropSetFacts } from './propset.js';
import type { EmbeddedFile, OneNoteOptions, OneNoteSection } from './types.js';

/** guidFileType of a .one section (MS-ONESTORE 2.3.1). */
export const ONE_FILE_TYPE = '{7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}';
/** FileDataStoreObject guidHeader and guidFooter (2.6.13). */
export const FILE_DATA_HEADER = '{BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC}';
export const FILE_DATA_FOOTER = '{71FBA722-0F79-4A0B-BB13-899256426B24}';
export const MAX_EMBEDDED = 1000;
const HEADER_SIZE = 1024;
const ROOT_REF = 172; // fcrFileNodeListRoot, a FileChunkReference64x32

const HEADER_GUID = guidBytes(FILE_DATA_HEADER);
const FOOTER_GUID = guidBytes(FILE_DATA_FOOTER);

export function isOneNote(bytes: Uint8Array): boolean {
  return guidAt(bytes, 0) === ONE_FILE_TYPE;
}

/**
 * A OneNote section: every embedded file (FileDataStoreObject, found by its header GUID so that a damaged
 * file node tree still yields them), named from the file node tree when it can be followed
 * (FileDataStoreObjectReferenceFND → ObjectDeclarationFileData3RefCountFND → EmbeddedFileName), and the
 * page text. Bounded by `maxEmbedded` and `maxFileNodes`.
 *
 * @example
 * parseOneNote(bytes).embedded.map((f) => f.name ?? f.extension) // ['invoice.hta', 'run.bat']
 */
export function parseOneNote(bytes: Uint8Array, options: OneNoteOptions = {}): OneNoteSection {
  if (!isOneNote(bytes))
    throw new FormatError('E_ONENOTE_BAD_HEADER', 'not a OneNote section (MS-ONESTORE 2.3.1)', {
      offset: 0,
    });
  const anomalies: Anomaly[] = [];
  const section: OneNoteSection = {
    embedded: scanFileData(bytes, options, anomalies),
    texts: [],
    anomalies,
  };
  const fileGuid = guidAt(bytes, 16);
  if (fileGuid) section.fileGuid = fileGuid;
  if (bytes.length < HEADER_SIZE) {
    anomalies.push({ code: 'E_ONENOTE_TRUNCATED', message: 'header cut short', offset: 0 });
    return section;
  }
  const stp = u64(bytes, ROOT_REF);
  const cb = u32(bytes, ROOT_REF + 8);
  if (stp === undefined || cb === undefined || cb === 0) {
    anomalies.push({
      code: 'E_ONENOTE_NO_ROOT',
      message: 'no root file node list',
      offset: ROOT_REF,
    });
    return section;
  }
  const walk = walkFileNodes(bytes, { stp, cb }, anomalies, options);
  const facts = walk.propSets.map((ref) => {
    options.checkDeadline?.();
    return readPropSet(bytes, ref);
  });
  for (const f of facts) section.texts.push(...f.texts.filter((t) => t.trim() !== ''));
  nameFiles(section.embedded, walk, facts);
  return section;
}

function scanFileData(
  bytes: Uint8Array,
  options: OneNoteOptions,
  anomalies: Anomaly[],
): EmbeddedFile[] {
  const max = options.maxEmbedded ?? MAX_EMBEDDED;
  const out: EmbeddedFile[] = [];
  for (
    let at = indexOfBytes(bytes, HEADER_GUID, 0);
    at >= 0;
    at = indexOfBytes(bytes, HEADER_GUID, at + 16)
  ) {
    if (out.length >= max) {
      anomalies.push({
        code: 'E_LIMIT_ONENOTE_EMBEDDED',
        message: `more than ${max} embedded files`,
        offset: at,
      });
      break;
    }
    options.checkDeadline?.();
    const declared = u64(bytes, at + 16);
    const dataOffset = at + 36;
    if (declared === undefined || dataOffset > bytes.length) {
      anomalies.push({
        code: 'E_ONENOTE_BAD_FILE_DATA',
        message: 'FileDataStoreObject header cut short',
        offset: at,
      });
      continue;
    }
    const length = Math.min(declared, bytes.length - dataOffset);
    const footerAt = dataOffset + declared + ((8 - (declared % 8)) % 8);
    const hasFooter =
      footerAt + 16 <= bytes.length && FOOTER_GUID.every((b, i) => bytes[footerAt + i] === b);
    if (!hasFooter) {
      anomalies.push({
        code: 'E_ONENOTE_BAD_FILE_DATA',
        message: `FileDataStoreObject of ${declared} bytes has no footer`,
        offset: at,
      });
    }
    out.push({ offset: at, dataOffset, length, isTruncated: !hasFooter || length < declared });
    // Never skip past the data of a truncated object: a lying cbLength must not hide the next one.
    if (hasFooter) at = footerAt;
  }
  return out;
}

/** Store reference GUID → FileData3 declaration (extension, CompactID) → embedded file node name. */
function nameFiles(files: EmbeddedFile[], walk: NodeWalk, facts: readonly PropSetFacts[]): void {
  const named = facts.filter((f) => f.embeddedFileName !== undefined);
  for (const file of files) {
    const guid = walk.storeRefs.get(file.offset);
    if (!guid) continue;
    file.guid = guid;
    const decl = walk.fileData.find((d) => d.reference.toUpperCase() === `<IFNDF>${guid}`);
    if (!decl) continue;
    if (decl.extension) file.extension = decl.extension;
    const node = named.find((f) => f.containerOid === decl.oid);
    if (node?.embeddedFileName) file.name = node.embeddedFileName;
    if (node?.sourcePath) file.sourcePath = node.sourcePath;
  }
  // One embedded file node and one file with no link between them: they are each other's.
  const unnamed = files.filter((f) => f.name === undefined);
  const unused = named.filter((f) => !files.some((x) => x.name === f.embeddedFileName));
  if (unnamed.length === 1 && unused.length === 1) {
    unnamed[0]!.name = unused[0]!.embeddedFileName!;
    if (unused[0]!.sourcePath) unnamed[0]!.sourcePath = unused[0]!.sourcePath;
  }
}
