import {
  checkRatio,
  DefenseError,
  findingForError,
  HINT_ARCHIVE_PASSWORDS,
  LimitError,
  type AnalysisContext,
  type ChildInput,
  type EngineOutput,
  type Evidence,
  type Finding,
} from '../../core/index.js';
import {
  parseSevenZip,
  readSevenZipFolder,
  unsupportedReason,
  type SevenZipArchive,
} from '../../formats/sevenzip/index.js';
import { ExtractionBudget } from './budget.js';
import { sizeLimit } from './disk-image.js';
import { typeHintFor } from './hints.js';
import {
  anomalyFindings,
  capped,
  encryptedArchive,
  unreadableMember,
  unsupportedArchive,
} from './findings.js';

/** 7z: AES headers and folders opened with the delivering mail's passwords, files as children. */
export function analyzeSevenZip(ctx: AnalysisContext): EngineOutput {
  const passwords = ctx.memo<readonly string[]>(HINT_ARCHIVE_PASSWORDS, () => []);
  let archive: SevenZipArchive;
  try {
    archive = ctx.memo('7z.parsed', () =>
      parseSevenZip(ctx.bytes, {
        maxEntries: Math.max(ctx.limits.maxMembers + 1, 1),
        checkDeadline: () => ctx.checkDeadline(),
        passwords,
      }),
    );
  } catch (error) {
    // A LimitError while opening the encrypted header (key rounds, deadline): unscannable, never clean.
    return {
      findings: [
        findingForError(error, ctx.artifact.name),
        encryptedArchive(headerEvidence(ctx.artifact.name, passwords.length)),
      ],
    };
  }
  const findings: Finding[] = anomalyFindings(archive.anomalies, ctx.artifact.name);
  if (archive.isHeaderEncrypted && archive.password === undefined) {
    findings.push(encryptedArchive(headerEvidence(ctx.artifact.name, passwords.length)));
    return { findings };
  }
  const budget = new ExtractionBudget(ctx);
  const children: ChildInput[] = [];
  const encrypted: Evidence[] = [];
  const unsupported: Evidence[] = [];
  const files = archive.entries.filter((e) => !e.isDirectory);
  const decoded = new Map<number, Uint8Array | string | undefined>();
  const hasPassword = passwords.length > 0 || archive.password !== undefined;
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
    const reason = unsupportedReason(folder, hasPassword);
    if (reason) {
      (folder.isEncrypted ? encrypted : unsupported).push({
        location: entry.name,
        text: entry.name,
        note: reason,
      });
      continue;
    }
    if (!decoded.has(entry.folder))
      decoded.set(
        entry.folder,
        decodeFolder(ctx, archive, entry.folder, budget, findings, passwords),
      );
    const out = decoded.get(entry.folder);
    if (typeof out === 'string') {
      encrypted.push({ location: entry.name, text: entry.name, note: out });
      continue;
    }
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

function headerEvidence(location: string, candidates: number): Evidence {
  return {
    location,
    text: '7z header encrypted (AES-256, -mhe=on)',
    note:
      candidates > 0
        ? `none of ${candidates} candidate passwords from the mail opens it`
        : 'file names and contents need the password',
  };
}

/**
 * One folder's output, checked against the ratio limit before decoding; undefined when it fails, the
 * reason as a string when no candidate password opens it.
 */
function decodeFolder(
  ctx: AnalysisContext,
  archive: SevenZipArchive,
  index: number,
  budget: ExtractionBudget,
  findings: Finding[],
  passwords: readonly string[],
): Uint8Array | string | undefined {
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
      passwords,
    });
  } catch (error) {
    if (!(error instanceof DefenseError)) throw error;
    // No candidate opens the folder: reported with the other encrypted members, not as a parse error.
    if (error.code === 'E_7Z_BAD_PASSWORD') return error.message;
    const where = `${ctx.artifact.name} folder ${index}`;
    // A folder that does not decode was not scanned: medium (never clean), not a low parse error.
    findings.push(
      error instanceof LimitError
        ? findingForError(error, where)
        : unreadableMember({ location: where, text: `${error.code}: ${error.message}` }),
    );
    return undefined;
  }
}
