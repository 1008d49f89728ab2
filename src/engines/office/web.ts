import { LimitError, type AnalysisContext } from '../../core/index.js';
import {
  findActiveMimeBlobs,
  isActiveMime,
  parseActiveMime,
} from '../../formats/activemime/index.js';
import { parseCfb } from '../../formats/cfb/index.js';
import {
  findDdeFormulas,
  findWordFieldInstructions,
  readOfficeXml,
} from '../../formats/msxml-office/index.js';
import { sniffType } from '../../formats/sniff/index.js';
import { reportDde, reportFields } from './fields.js';
import { activeMimeContainer, embeddedObject, webDocumentMacros } from './findings.js';
import { inflateRoom } from './ole.js';
import { baseName, type OfficeOutput } from './output.js';
import { reportReference } from './relationships.js';

const IMAGE_PART = /\.(?:png|jpe?g|gif|bmp|emf|wmf|tiff?|svg)$/i;

/** An MSO file on its own (an attachment, a part carved elsewhere): its content as a child. */
export function analyzeActiveMime(ctx: AnalysisContext, out: OfficeOutput): void {
  unpack(ctx, out, ctx.bytes, ctx.artifact.name, 0, false);
}

/** MHTML "single file web page": every base64 ActiveMime blob, whatever the MIME tree says. */
export function analyzeMhtml(ctx: AnalysisContext, out: OfficeOutput): void {
  const found = findActiveMimeBlobs(ctx.bytes, { maxBlobBytes: out.room().maxBytes });
  out.anomalies(found.anomalies, ctx.artifact.name);
  for (const blob of found.blobs) {
    ctx.checkDeadline();
    unpack(ctx, out, blob.bytes, baseName(blob.name ?? 'editdata.mso'), blob.offset, true);
  }
}

/** Word/Excel 2003 XML and flat OPC: fields, DDE formulas, references, binary parts. */
export function analyzeXml(ctx: AnalysisContext, out: OfficeOutput): void {
  const xml = readOfficeXml(ctx.bytes, { maxBinaryBytes: out.room().maxBytes });
  if (xml.flavour === 'other') return;
  out.anomalies(xml.anomalies, ctx.artifact.name);
  const { fields } = findWordFieldInstructions(xml.text);
  reportFields(
    out,
    fields.map((f) => ({ instruction: f.instruction, location: 'fields', offset: f.offset })),
  );
  for (const { formula, offset } of xml.formulas) {
    for (const dde of findDdeFormulas(formula)) {
      reportDde(out, dde.text, dde.application, dde.topic, { location: 'ss:Formula', offset });
    }
  }
  for (const ref of xml.references)
    reportReference(out, ref.kind, ref.target, xml.flavour, ref.offset);
  for (const part of xml.binaryParts) {
    ctx.checkDeadline();
    if (isActiveMime(part.bytes)) {
      unpack(ctx, out, part.bytes, part.name, part.offset, true);
    } else if (!IMAGE_PART.test(part.name) && !/^image\//i.test(part.contentType ?? '')) {
      if (hasVbaProject(part.bytes)) {
        out.add(webDocumentMacros, { text: part.name, offset: part.offset, location: xml.flavour });
      } else {
        out.add(embeddedObject, { text: part.contentType ?? part.name, location: part.name });
      }
      out.child(part.name, part.bytes);
    }
  }
}

function unpack(
  ctx: AnalysisContext,
  out: OfficeOutput,
  blob: Uint8Array,
  name: string,
  offset: number,
  isInDocument: boolean,
): void {
  try {
    const mso = parseActiveMime(blob, inflateRoom(ctx, out, blob.length));
    out.anomalies(mso.anomalies, name);
    if (!mso.data) return;
    const evidence = {
      text: name,
      offset,
      location: name,
      note: `${blob.length} → ${mso.data.length} bytes`,
    };
    out.add(activeMimeContainer, evidence);
    if (isInDocument && hasVbaProject(mso.data)) out.add(webDocumentMacros, evidence);
    out.child(name, mso.data, blob.length - (mso.dataOffset ?? 0));
  } catch (error) {
    if (!(error instanceof LimitError)) throw error;
    out.error(error, name);
  }
}

/** A compound file with a `VBA` storage (MS-OVBA 2.2.1): the blob carries macros. */
function hasVbaProject(bytes: Uint8Array): boolean {
  if (sniffType(bytes) !== 'ole') return false;
  try {
    return parseCfb(bytes).entries.some(
      (e) => e.type === 'storage' && e.name.toUpperCase() === 'VBA',
    );
  } catch {
    return false; // unreadable compound file: the child scan reports it
  }
}
