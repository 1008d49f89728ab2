import {
  limitExceeded,
  parseError,
  type AnalysisContext,
  type Anomaly,
  type EngineOutput,
  type Evidence,
  type Finding,
  type FileType,
} from '../../core/index.js';
import {
  collectionKinds,
  isVelociraptorCollection,
  looksLikeHostRows,
  parseHostSnapshot,
  parseVelociraptorCollection,
  rowKindOfArtifact,
  type SnapshotParse,
} from '../../formats/host-snapshot/index.js';
import { isZip, listZip, type ZipListing } from '../../formats/zip/index.js';
import { triageSnapshot, type TriageOptions, type TriageReport } from './triage.js';

/** The archive engine lists ZIPs under this memo key; sharing it avoids listing a collection twice. */
const ZIP_LISTING_MEMO = 'zip.listing';
const MiB = 1024 * 1024;
const MAX_COLLECTION_BYTES = 256 * MiB;
const MAX_ANOMALY_EVIDENCE = 20;

export interface TriageInput {
  /** One report per snapshot found, in input order. */
  reports: TriageReport[];
  anomalies: Anomaly[];
  /** Whether the input held host data at all (a ZIP or JSONL of something else does not). */
  isHostData: boolean;
}

export interface TriageInputOptions extends TriageOptions {
  /** The sniffed type, when known: ZIPs and JSONL are triaged only when they hold host data. */
  type?: FileType;
  listing?: Promise<ZipListing>;
  /** Inflated bytes a collection ZIP may yield. */
  maxCollectionBytes?: number;
  /**
   * Leave collections holding Custom.Emoguard.HostSnapshot results to their members: in a scan the
   * archive engine extracts that result file and it is triaged as a child, so the ZIP itself is not.
   */
  isSnapshotMemberScanned?: boolean;
}

/**
 * Snapshot JSON/JSONL, Velociraptor JSONL results or a Velociraptor collection ZIP → one triage report
 * per host. Shared by the scan engine and `emoguard triage`.
 */
export async function triageInput(
  bytes: Uint8Array,
  options: TriageInputOptions = {},
): Promise<TriageInput> {
  const parsed = await parseInput(bytes, options);
  if (!parsed) return { reports: [], anomalies: [], isHostData: false };
  const reports = parsed.snapshots.map((s) => {
    options.checkDeadline?.();
    return triageSnapshot(s, options);
  });
  const anomalies = [...parsed.anomalies];
  if (reports.length === 0)
    anomalies.push({ code: 'E_SNAPSHOT_EMPTY', message: 'no host snapshot in the input' });
  return { reports, anomalies, isHostData: true };
}

async function parseInput(
  bytes: Uint8Array,
  options: TriageInputOptions,
): Promise<SnapshotParse | undefined> {
  const type = options.type;
  const checkDeadline = options.checkDeadline;
  if (type === 'zip' || (type === undefined && !opensAsJson(bytes) && isZip(bytes))) {
    let listing: ZipListing;
    try {
      listing = await (options.listing ?? listZip(bytes));
    } catch {
      return undefined; // not a ZIP the archive engine could list either; it reports that
    }
    if (!isVelociraptorCollection(listing.entries)) return undefined;
    if (options.isSnapshotMemberScanned && collectionKinds(listing.entries).has('snapshot'))
      return undefined;
    return parseVelociraptorCollection(bytes, {
      listing,
      maxCollectionBytes: options.maxCollectionBytes ?? MAX_COLLECTION_BYTES,
      ...(checkDeadline ? { checkDeadline } : {}),
    });
  }
  if (type !== 'host-snapshot' && !looksLikeHostRows(bytes)) return undefined;
  return parseHostSnapshot(bytes, checkDeadline ? { checkDeadline } : {});
}

/**
 * A JSON document (after a UTF-8/UTF-16 BOM and white space) is no Velociraptor collection: skips the
 * ZIP end-of-central-directory search from the end of every snapshot `emoguard triage` reads.
 */
function opensAsJson(bytes: Uint8Array): boolean {
  for (let i = 0; i < Math.min(bytes.length, 64); i++) {
    const b = bytes[i]!;
    if (b === 0x7b || b === 0x5b) return true; // { [
    if (
      b !== 0x20 &&
      b !== 0x09 &&
      b !== 0x0a &&
      b !== 0x0d &&
      b !== 0xef &&
      b !== 0xbb &&
      b !== 0xbf &&
      b !== 0xff &&
      b !== 0xfe &&
      b !== 0x00
    )
      return false;
  }
  return false;
}

/** The scan engine's view: findings of every host in the input, located by host when there are several. */
export async function analyzeTriage(ctx: AnalysisContext): Promise<EngineOutput> {
  const type = ctx.artifact.type;
  if (isCollectionResult(ctx)) return {};
  const input = await triageInput(ctx.bytes, {
    type,
    ...(type === 'zip' ? { listing: ctx.memo(ZIP_LISTING_MEMO, () => listZip(ctx.bytes)) } : {}),
    maxCollectionBytes: Math.min(MAX_COLLECTION_BYTES, ctx.remainingBytes()),
    maxEvidenceChars: ctx.limits.maxEvidenceChars,
    checkDeadline: () => ctx.checkDeadline(),
    isSnapshotMemberScanned: true,
  });
  if (!input.isHostData) return {};
  const isMany = input.reports.length > 1;
  const findings: Finding[] = findingsForAnomalies(input.anomalies, ctx.artifact.name);
  for (const [i, report] of input.reports.entries()) {
    const host = `host ${report.hostname || `#${i + 1}`}`;
    for (const f of report.findings) findings.push(isMany ? locatedAt(f, host) : f);
  }
  return {
    findings,
    extracted: {
      powershell: input.reports.flatMap((r) => r.powershell),
      iocs: { files: input.reports.flatMap((r) => r.files) },
    },
  };
}

/**
 * A built-in artifact's result file extracted from a Velociraptor collection: the collection itself was
 * triaged with all its result files merged, so this one part alone is not (it would repeat findings).
 */
function isCollectionResult(ctx: AnalysisContext): boolean {
  if (ctx.artifact.relation !== 'member') return false;
  const m = /(?:^|\/)results\/([^/]+)\.json$/.exec(ctx.artifact.name);
  if (!m) return false;
  let artifact = m[1]!;
  try {
    artifact = decodeURIComponent(artifact);
  } catch {
    // keep the name as it is
  }
  const kind = rowKindOfArtifact(artifact);
  return kind !== undefined && kind !== 'snapshot';
}

function locatedAt(finding: Finding, host: string): Finding {
  return {
    ...finding,
    evidence: finding.evidence.map((e) => ({
      ...e,
      location: e.location ? `${host}: ${e.location}` : host,
    })),
  };
}

/** Anomalies as at most two findings: limits reached (scan.limit-exceeded), malformed rows (scan.parse-error). */
export function findingsForAnomalies(anomalies: readonly Anomaly[], where: string): Finding[] {
  const limits = anomalies.filter((a) => a.code.startsWith('E_LIMIT_'));
  const broken = anomalies.filter((a) => !a.code.startsWith('E_LIMIT_'));
  const out: Finding[] = [];
  if (limits.length > 0) out.push(limitExceeded(evidenceOf(limits, where)));
  if (broken.length > 0) out.push(parseError(evidenceOf(broken, where)));
  return out;
}

function evidenceOf(anomalies: readonly Anomaly[], where: string): Evidence[] {
  const shown: Evidence[] = anomalies.slice(0, MAX_ANOMALY_EVIDENCE).map((a) => ({
    location: a.location ?? where,
    text: `${a.code}: ${a.message}`,
  }));
  if (anomalies.length > MAX_ANOMALY_EVIDENCE) {
    shown.push({ note: `…and ${anomalies.length - MAX_ANOMALY_EVIDENCE} more` });
  }
  return shown;
}
