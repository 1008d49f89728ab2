import type { AnalysisContext, Anomaly } from '../../core/index.js';
import { tryParseWorkbook } from '../../formats/biff/index.js';
import { parseCfb } from '../../formats/cfb/index.js';
import {
  findEmbeddedObjects,
  findPptOleStorages,
  scanDocFieldCodes,
} from '../../formats/oleobj/index.js';
import { reportDde, reportFields } from './fields.js';
import { embeddedObject } from './findings.js';
import { reportEmbeddedObject } from './objects.js';
import type { OfficeOutput } from './output.js';

/**
 * Compound files: object storages (Word ObjectPool, Excel MBD…, the root of an oleObject.bin), Word
 * binary field codes (DDE), and PowerPoint ExOleObjStg records (embedded objects and the VBA project).
 * The compound file itself is parsed once per artifact and shared with the vba engine, which reports
 * its anomalies.
 */
export function analyzeOle(ctx: AnalysisContext, out: OfficeOutput): void {
  const cfb = ctx.memo('cfb', () =>
    parseCfb(ctx.bytes, { maxStreamBytes: ctx.limits.maxFileSize }),
  );
  const anomalies: Anomaly[] = [];
  const objects = findEmbeddedObjects(cfb, { maxPayloadBytes: out.room().maxBytes }, anomalies);
  for (const object of objects) {
    ctx.checkDeadline();
    reportEmbeddedObject(out, cfb, object, ctx.artifact.name);
  }
  const wordDocument = cfb.find('WordDocument');
  if (wordDocument?.type === 'stream') {
    const stream = cfb.readStream(wordDocument.path) ?? new Uint8Array();
    const scanned = scanDocFieldCodes(stream, { checkDeadline: () => ctx.checkDeadline() });
    anomalies.push(...scanned.anomalies);
    reportFields(
      out,
      scanned.fields.map((f) => ({ ...f, location: wordDocument.path })),
    );
  }
  const workbook = cfb.find('Workbook') ?? cfb.find('Book');
  if (workbook?.type === 'stream') reportWorkbookDde(ctx, out, workbook.path, cfb);
  const powerPoint = cfb.find('PowerPoint Document');
  if (powerPoint?.type === 'stream') {
    const stream = cfb.readStream(powerPoint.path) ?? new Uint8Array();
    const found = findPptOleStorages(stream, {
      maxBytesPerStorage: (stored) => inflateRoom(ctx, out, stored),
      maxTotalBytes: out.room().maxBytes,
    });
    anomalies.push(...found.anomalies);
    for (const storage of found.storages) {
      const name = `ExOleObjStg-${storage.offset}.ole`;
      out.add(embeddedObject, {
        text: 'ExOleObjStg',
        offset: storage.offset,
        location: powerPoint.path,
        note: `${storage.isCompressed ? 'zlib' : 'stored'}, ${storage.bytes.length} bytes`,
      });
      out.child(name, storage.bytes, storage.isCompressed ? storage.storedSize : undefined);
    }
  }
  out.anomalies(anomalies, ctx.artifact.name);
}

/**
 * DDE links of an .xls ([MS-XLS] SUPBOOK `cmd` U+0003 `/c …` + EXTERNNAME `A0`, used by a FORMULA
 * cell through PtgNameX: `=cmd|'/c …'!A0`), reported like the OOXML ddeLink. OLE links (fOle,
 * fOleLink) bind through OLE, not by starting a program, and are left out.
 */
function reportWorkbookDde(
  ctx: AnalysisContext,
  out: OfficeOutput,
  path: string,
  cfb: ReturnType<typeof parseCfb>,
): void {
  const stream = cfb.readStream(path);
  if (!stream) return;
  // Shared with the xlm engine, which reports the parse failure and the workbook's anomalies.
  const parsed = ctx.memo(`biff.workbook:${path}`, () => tryParseWorkbook(stream));
  if (!parsed.ok) return;
  for (const link of parsed.book.ddeLinks) {
    if (link.isOle) continue;
    const cells = link.cells.length > 0 ? ` (cells ${link.cells.join(', ')})` : '';
    reportDde(out, `=${link.formula}${cells}`, link.application, link.topic, {
      location: path,
      offset: link.offset,
    });
  }
}

/** Output allowed for `stored` compressed bytes: `maxRatio` × stored, within the byte budget. */
export function inflateRoom(
  ctx: AnalysisContext,
  out: OfficeOutput,
  stored: number,
): { maxBytes: number; limit: string } {
  const room = out.room();
  const byRatio = Math.max(1, stored) * ctx.limits.maxRatio;
  return byRatio < room.maxBytes ? { maxBytes: byRatio, limit: 'maxRatio' } : room;
}
