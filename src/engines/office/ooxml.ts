import type { AnalysisContext } from '../../core/index.js';
import { readOoxml, readOoxmlPart, type OoxmlPackage } from '../../formats/ooxml/index.js';
import {
  decodeXmlText,
  findDdeFormulas,
  findDdeLinks,
  findFormulaElements,
  findWordFieldInstructions,
} from '../../formats/msxml-office/index.js';
import { reportDde, reportFields } from './fields.js';
import { embeddedObject } from './findings.js';
import type { OfficeOutput } from './output.js';
import { reportReference } from './relationships.js';

const MiB = 1024 * 1024;
/** Bytes read of one XML part scanned for fields or formulas. */
export const MAX_SCANNED_PART_BYTES = 64 * MiB;
/** XML parts scanned per package (headers, footers, worksheets …). */
export const MAX_SCANNED_PARTS = 256;
const READ_CONCURRENCY = 8;

const WORD_PART =
  /^word\/(?:(?:header|footer)\d*|footnotes|endnotes|comments|glossary\/document)\.xml$/i;
const EXTERNAL_LINK_PART = /^xl\/externalLinks\/[^/]+\.xml$/i;
// Worksheets and macro sheets hold cell, dataValidation and cfRule formulas; the workbook its names.
const WORKSHEET_PART =
  /^xl\/(?:(?:worksheets|macrosheets|dialogsheets)\/[^/]+\.xml|workbook\.xml)$/i;
/** `|` itself, or written as a character reference: a part without either holds no DDE reference. */
const MAY_HOLD_DDE = /\||&#(?:124|x0*7c);/i;

/**
 * OOXML packages: external relationships (remote templates, linked OLE objects, frames), DDE fields in
 * the Word parts, DDE links and formulas in the Excel parts, and every embedded object part as a child.
 * The package is read once per artifact and shared with the vba engine, which reports its anomalies.
 */
export async function analyzeOoxml(ctx: AnalysisContext, out: OfficeOutput): Promise<void> {
  const pkg = await ctx.memo('ooxml', () =>
    readOoxml(ctx.bytes, { maxTotalBytes: ctx.remainingBytes() }),
  );
  for (const rel of pkg.externalRelationships) {
    reportReference(out, rel.typeName, rel.target, rel.relsPart);
  }
  const { word, links, sheets } = scannedParts(pkg);
  // zip.js reads are latency-bound (about 4 ms wall for 1 ms of CPU), so parts are read a few at a time.
  const names = [...word, ...links, ...sheets];
  const texts = await mapLimit(names, READ_CONCURRENCY, (name) => readXml(ctx, out, pkg, name));
  const textOf = new Map(names.map((n, i) => [n, texts[i]]));
  for (const name of word) {
    const { fields } = findWordFieldInstructions(textOf.get(name) ?? '');
    reportFields(
      out,
      fields.map((f) => ({ instruction: f.instruction, location: name })),
    );
  }
  for (const name of links) {
    for (const link of findDdeLinks(textOf.get(name) ?? '')) {
      const text = `${link.service}|'${link.topic}'`;
      reportDde(out, text, link.service, link.topic, { location: name });
    }
  }
  for (const name of sheets) {
    const xml = textOf.get(name) ?? '';
    if (!MAY_HOLD_DDE.test(xml)) continue;
    for (const f of findFormulaElements(xml)) {
      for (const dde of findDdeFormulas(f.formula)) {
        reportDde(out, dde.text, dde.application, dde.topic, { location: name });
      }
    }
  }
  await extractEmbeddings(ctx, out, pkg);
}

/**
 * The XML parts scanned for fields and formulas, each kind capped at MAX_SCANNED_PARTS. One pass
 * over the names; a name that starts with neither `word/` nor `xl/` is none of them.
 */
function scannedParts(pkg: OoxmlPackage): { word: string[]; links: string[]; sheets: string[] } {
  const word: string[] = [];
  const links: string[] = [];
  const sheets: string[] = [];
  for (const { name } of pkg.parts) {
    const first = name.charCodeAt(0) | 0x20; // ASCII lower case
    if (first === 0x77 /* w */) {
      if (
        word.length < MAX_SCANNED_PARTS &&
        /^word\//i.test(name) &&
        (name === pkg.mainPart || WORD_PART.test(name))
      )
        word.push(name);
    } else if (first === 0x78 /* x */) {
      if (links.length < MAX_SCANNED_PARTS && EXTERNAL_LINK_PART.test(name)) links.push(name);
      else if (sheets.length < MAX_SCANNED_PARTS && WORKSHEET_PART.test(name)) sheets.push(name);
    }
  }
  return { word, links, sheets };
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function extractEmbeddings(ctx: AnalysisContext, out: OfficeOutput, pkg: OoxmlPackage) {
  const sizes = new Map(pkg.parts.map((p) => [p.name, p.compressedSize]));
  for (const embedding of pkg.embeddings) {
    out.add(embeddedObject, {
      text: embedding.contentType ?? 'embedded part',
      location: embedding.partName,
      note: `${embedding.size} bytes`,
    });
  }
  // Read in order, one at a time: each read is capped by what the previous ones left of the budget.
  for (const embedding of pkg.embeddings) {
    ctx.checkDeadline();
    try {
      const bytes = await readOoxmlPart(pkg, embedding.partName, out.room());
      out.child(embedding.partName, bytes, sizes.get(embedding.partName));
    } catch (error) {
      out.error(error, embedding.partName);
    }
  }
}

async function readXml(
  ctx: AnalysisContext,
  out: OfficeOutput,
  pkg: OoxmlPackage,
  name: string,
): Promise<string | undefined> {
  ctx.checkDeadline();
  try {
    const bytes = await readOoxmlPart(pkg, name, {
      maxBytes: MAX_SCANNED_PART_BYTES,
      limit: 'MAX_SCANNED_PART_BYTES',
    });
    return decodeXmlText(bytes, MAX_SCANNED_PART_BYTES).text;
  } catch (error) {
    out.error(error, name);
    return undefined;
  }
}
