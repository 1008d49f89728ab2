import {
  DefenseError,
  findingForError,
  HINT_ARCHIVE_PASSWORDS,
  LimitError,
  type AnalysisContext,
  type Anomaly,
  type ChildInput,
  type EngineOutput,
  type Evidence,
  type Finding,
} from '../../core/index.js';
import { listZip, readZipEntry, type ZipEntry, type ZipListing } from '../../formats/zip/index.js';
import { cappedEvidence, encryptedMember, findingsForAnomalies, paddedMember } from './findings.js';

/**
 * Memo key under which a caller may seed candidate passwords for this artifact's encrypted members
 * (the mail layer, from the message body). The engine itself invents none.
 */
export const ARCHIVE_PASSWORDS_MEMO = HINT_ARCHIVE_PASSWORDS;

// A wrong password is caught by a 1- or 2-byte check only; a false accept then fails here instead.
const WRONG_PASSWORD = new Set([
  'E_ZIP_BAD_PASSWORD',
  'E_ZIP_BAD_MAC',
  'E_ZIP_CORRUPT_DATA',
  'E_ZIP_BAD_CRC',
]);

// Encryption no password can open here (PKWARE strong encryption, a member cut from its directory).
const UNOPENABLE = new Set(['E_ZIP_ENCRYPTED', 'E_ZIP_UNSUPPORTED_ENCRYPTION']);

/** ZIP members → children, under every limit; locked and skipped members become findings. */
export async function analyzeZip(ctx: AnalysisContext): Promise<EngineOutput> {
  let listing: ZipListing;
  try {
    listing = await ctx.memo('zip.listing', () => listZip(ctx.bytes));
  } catch (error) {
    return { findings: [findingForError(error, ctx.artifact.name)] };
  }
  const passwords = ctx.memo<readonly string[]>(ARCHIVE_PASSWORDS_MEMO, () => []);
  const findings: Finding[] = findingsForAnomalies(listing.anomalies, ctx.artifact.name);
  const readAnomalies: Anomaly[] = [];
  const children: ChildInput[] = [];
  const encrypted: string[] = [];
  let extracted = 0;
  const files = listing.entries.filter((e) => !e.directory);
  for (const [index, entry] of files.entries()) {
    const remaining = ctx.remainingBytes() - extracted;
    const stop = stopReason(ctx, children.length, remaining, files.length - index);
    if (stop) {
      findings.push(findingForError(stop, entry.name));
      break;
    }
    try {
      const maxBytes = Math.min(ctx.limits.maxFileSize, remaining);
      const limit = maxBytes === ctx.limits.maxFileSize ? 'maxFileSize' : 'maxTotalBytes';
      let padding: Evidence | undefined;
      const read = {
        maxBytes,
        limit,
        anomalies: readAnomalies,
        ...paddedRead(ctx, entry, maxBytes, (bytes, value) => {
          padding = {
            location: entry.name,
            text: entry.name,
            note: `${bytes} bytes of 0x${value.toString(16).padStart(2, '0')} padding cut; ${entry.uncompressedSize} bytes declared`,
          };
        }),
      };
      const bytes = entry.encrypted
        ? await readEncrypted(entry, read, passwords)
        : await readZipEntry(entry, read);
      if (bytes === undefined) {
        encrypted.push(entry.name);
        continue;
      }
      extracted += bytes.length;
      if (padding) findings.push(paddedMember(padding));
      children.push({
        name: entry.name,
        bytes,
        relation: 'member',
        compressedSize: entry.compressedSize,
      });
    } catch (error) {
      findings.push(findingForError(error, entry.name));
    }
  }
  findings.push(...findingsForAnomalies(readAnomalies, ctx.artifact.name));
  if (encrypted.length > 0) {
    findings.push(
      encryptedMember(cappedEvidence(encrypted.map((name) => ({ location: name, text: name })))),
    );
  }
  return { findings, children };
}

// A trailing run this long is padding, not document content (real Office files hold runs of a few KiB).
const PADDING_MIN_RUN = 1024 * 1024;
// Inflating padding costs time, not memory; this bounds the time (about 2–4 s of zlib here).
const MAX_PADDED_INFLATE = 2 * 1024 * 1024 * 1024;

/**
 * Read options for a member whose declared size passes the ratio or size limits: instead of skipping it,
 * inflate it while cutting a trailing padding run, with the ratio limit applied to the bytes kept.
 * SECURITY: without padding, a bomb still stops at compressedSize × maxRatio stored bytes.
 */
function paddedRead(
  ctx: AnalysisContext,
  entry: ZipEntry,
  maxBytes: number,
  onTrimmed: (bytes: number, value: number) => void,
): {
  maxBytes?: number;
  trimPadding?: { minRun: number; maxInflated: number; onTrimmed: typeof onTrimmed };
} {
  const ratioExceeded =
    entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > ctx.limits.maxRatio;
  if (!ratioExceeded && entry.uncompressedSize <= maxBytes) return {};
  return {
    maxBytes: Math.min(maxBytes, Math.max(1, entry.compressedSize) * ctx.limits.maxRatio),
    trimPadding: { minRun: PADDING_MIN_RUN, maxInflated: MAX_PADDED_INFLATE, onTrimmed },
  };
}

/** Content with the first candidate password that opens it, or undefined when none does. */
async function readEncrypted(
  entry: ZipEntry,
  read: { maxBytes: number; limit: string; anomalies: Anomaly[] },
  passwords: readonly string[],
): Promise<Uint8Array | undefined> {
  if (entry.encryption === 'strong') return undefined;
  for (const password of passwords) {
    try {
      return await readZipEntry(entry, { ...read, password });
    } catch (error) {
      if (!(error instanceof DefenseError)) throw error;
      if (WRONG_PASSWORD.has(error.code)) continue;
      if (UNOPENABLE.has(error.code)) return undefined;
      throw error;
    }
  }
  return undefined;
}

/** What stops extraction before this member, if anything: the deadline, or members or bytes used up. */
function stopReason(
  ctx: AnalysisContext,
  extractedMembers: number,
  remaining: number,
  left: number,
): unknown {
  try {
    // Past the deadline, the members read so far are still returned as children.
    ctx.checkDeadline();
  } catch (error) {
    return error;
  }
  const { maxMembers, maxTotalBytes } = ctx.limits;
  if (extractedMembers >= maxMembers) {
    return new LimitError('E_LIMIT_MEMBERS', `${left} more members were not extracted`, {
      limit: 'maxMembers',
      max: maxMembers,
      actual: extractedMembers + left,
    });
  }
  if (remaining <= 0) {
    return new LimitError('E_LIMIT_TOTAL_BYTES', `${left} more members were not extracted`, {
      limit: 'maxTotalBytes',
      max: maxTotalBytes,
    });
  }
  return undefined;
}
