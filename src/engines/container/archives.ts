import {
  checkRatio,
  DefenseError,
  findingForError,
  type AnalysisContext,
  type ChildInput,
  type EngineOutput,
  type Evidence,
  type Finding,
} from '../../core/index.js';
import { parseRar, readRarEntry, type RarArchive } from '../../formats/rar/index.js';
import {
  parseSevenZip,
  readSevenZipFolder,
  unsupportedReason,
  type SevenZipArchive,
} from '../../formats/sevenzip/index.js';
import { ExtractionBudget } from './budget.js';
import { sizeLimit } from './disk-image.js';
import { typeHintFor } from './hints.js';
import { anomalyFindings, capped, encryptedArchive, unsupportedArchive } from './findings.js';

/** 7z: encrypted headers and folders reported, supported folders decoded once, files as children. */
export function analyzeSevenZip(ctx: AnalysisContext): EngineOutput {
  const archive = ctx.memo('7z.parsed', () =>
    parseSevenZip(ctx.bytes, {
      maxEntries: Math.max(ctx.limits.maxMembers + 1, 1),
      checkDeadline: () => ctx.checkDeadline(),
    }),
  );
  const findings: Finding[] = anomalyFindings(archive.anomalies, ctx.artifact.name);
  if (archive.isHeaderEncrypted) {
    findings.push(
      encryptedArchive({
        location: ctx.artifact.name,
        text: '7z header encrypted (AES-256, -mhe=on)',
        note: 'file names and contents need the password',
      }),
    );
    return { findings };
  }
  const budget = new ExtractionBudget(ctx);
  const children: ChildInput[] = [];
  const encrypted: Evidence[] = [];
  const unsupported: Evidence[] = [];
  const files = archive.entries.filter((e) => !e.isDirectory);
  const decoded = new Map<number, Uint8Array | undefined>();
  for (const [i, entry] of files.entries()) {
    const stop = budget.stop(files.length - i);
    if (stop) {
      findings.push(findingForError(stop, entry.name));
      break;
    }
    if (entry.folder === undefined) {
      budget.take(0);
      children.push({ name: entry.name, bytes: new Uint8Array(), relation: 'member' });
      continue;
    }
    const folder = archive.folders[entry.folder]!;
    const reason = unsupportedReason(folder);
    if (reason) {
      (folder.isEncrypted ? encrypted : unsupported).push({
        location: entry.name,
        text: entry.name,
        note: reason,
      });
      continue;
    }
    if (!decoded.has(entry.folder))
      decoded.set(entry.folder, decodeFolder(ctx, archive, entry.folder, budget, findings));
    const out = decoded.get(entry.folder);
    if (!out) continue;
    const bytes = out.subarray(
      entry.offsetInFolder,
      entry.offsetInFolder + Math.min(entry.size, budget.maxChild),
    );
    if (bytes.length < entry.size)
      findings.push(
        findingForError(sizeLimit(ctx, entry.name, entry.size, budget.maxChild), entry.name),
      );
    budget.take(bytes.length);
    children.push({ name: entry.name, bytes, relation: 'member', ...typeHintFor(entry.name) });
  }
  if (encrypted.length > 0) findings.push(encryptedArchive(capped(encrypted)));
  if (unsupported.length > 0) findings.push(unsupportedArchive(capped(unsupported)));
  return { findings, children };
}

/** One folder's output, checked against the ratio limit before decoding; undefined when it fails. */
function decodeFolder(
  ctx: AnalysisContext,
  archive: SevenZipArchive,
  index: number,
  budget: ExtractionBudget,
  findings: Finding[],
): Uint8Array | undefined {
  const folder = archive.folders[index]!;
  const packed = folder.packedStreams.reduce(
    (s, _, i) => s + (archive.packStreams[folder.firstPackStream + i]?.size ?? 0),
    0,
  );
  const size = Math.max(0, ...folder.unpackSizes);
  try {
    // SECURITY: the declared sizes are checked before inflating; the decoder also stops at maxOutput.
    checkRatio(ctx.limits, packed, size, `${ctx.artifact.name} folder ${index}`);
    return readSevenZipFolder(ctx.bytes, archive, index, {
      maxOutput: Math.max(1, budget.maxChild),
      checkDeadline: () => ctx.checkDeadline(),
    });
  } catch (error) {
    if (!(error instanceof DefenseError)) throw error;
    findings.push(findingForError(error, `${ctx.artifact.name} folder ${index}`));
    return undefined;
  }
}

/** RAR: encrypted headers and members reported, stored members extracted, compressed ones listed. */
export function analyzeRar(ctx: AnalysisContext): EngineOutput {
  const archive: RarArchive = ctx.memo('rar.parsed', () =>
    parseRar(ctx.bytes, { maxEntries: Math.max(ctx.limits.maxMembers + 1, 1) }),
  );
  const findings: Finding[] = anomalyFindings(archive.anomalies, ctx.artifact.name);
  if (archive.isHeaderEncrypted) {
    findings.push(
      encryptedArchive({
        location: ctx.artifact.name,
        text: `RAR${archive.version} headers encrypted (rar -hp)`,
        note: 'file names and contents need the password',
      }),
    );
    return { findings };
  }
  const budget = new ExtractionBudget(ctx);
  const children: ChildInput[] = [];
  const encrypted: Evidence[] = [];
  const unsupported: Evidence[] = [];
  const files = archive.entries.filter((e) => !e.isDirectory);
  for (const [i, entry] of files.entries()) {
    const stop = budget.stop(files.length - i);
    if (stop) {
      findings.push(findingForError(stop, entry.name));
      break;
    }
    if (entry.isEncrypted)
      encrypted.push({ location: entry.name, text: entry.name, note: `${entry.size} bytes` });
    else if (!entry.isStored)
      unsupported.push({
        location: entry.name,
        text: entry.name,
        note: `RAR${archive.version} method ${entry.method}, ${entry.size} bytes`,
      });
    else {
      const bytes = readRarEntry(ctx.bytes, entry, budget.maxChild);
      budget.take(bytes.length);
      children.push({ name: entry.name, bytes, relation: 'member', ...typeHintFor(entry.name) });
    }
  }
  if (encrypted.length > 0) findings.push(encryptedArchive(capped(encrypted)));
  if (unsupported.length > 0) findings.push(unsupportedArchive(capped(unsupported)));
  return { findings, children };
}
