import {
  clipText,
  MAX_EVIDENCE_CHARS,
  type ExtractedPowerShell,
  type Finding,
  type FindingFactory,
} from '../../core/index.js';
import type { HostSnapshot, NetworkAddress } from '../../formats/host-snapshot/index.js';
import type { EmoCheckMethod, EmotetCandidate, EmotetDetection } from './candidate.js';
import { matchEmotetProcesses } from './emocheck.js';
import { v3Candidates, v4Candidates, v5Candidates } from './emocheck-files.js';
import { serialHex, v1Candidates, v2Candidates } from './emocheck-names.js';
import * as F from './findings.js';
import { runHeuristics } from './heuristics.js';
import { mailDataFindings } from './mail-data.js';
import { buildHostView } from './host-view.js';

export interface TriageOptions {
  /** Characters of one evidence string (Limits.maxEvidenceChars). */
  maxEvidenceChars?: number;
  /** Called in long loops; throws to stop (AnalysisContext.checkDeadline). */
  checkDeadline?: () => void;
}

/** Everything `emoguard triage` says about one host. */
export interface TriageReport {
  hostname: string;
  /** The volume serial as 8 uppercase hex digits, or null when the snapshot has none. */
  volumeSerial: string | null;
  collectedAt: string | null;
  /** A running process is Emotet by one of EmoCheck's methods: EmoCheck's "Emotet was detected". */
  isInfected: boolean;
  detections: EmotetDetection[];
  findings: Finding[];
  /** Encoded PowerShell command lines of WMI-started processes, decoded. */
  powershell: ExtractedPowerShell[];
  /** Files of detected or dormant Emotet loaders (IOCs). */
  files: string[];
  /** Methods that could not run, and why. */
  skipped: string[];
  /** The host's network addresses at `collectedAt` (correlation maps network findings to the host). */
  addresses: NetworkAddress[];
}

const DETECTION_FINDING: Record<EmoCheckMethod, FindingFactory> = {
  v1: F.emocheckV1,
  v2: F.emocheckV2,
  v3: F.emocheckV3,
  v4: F.emocheckV4,
  v5: F.emocheckV5,
};

/**
 * Runs EmoCheck's five methods and emoguard's own checks over one host snapshot.
 *
 * @example
 * const report = triageSnapshot(snapshot);
 * report.isInfected // true when a running process is Emotet
 */
export function triageSnapshot(snapshot: HostSnapshot, options: TriageOptions = {}): TriageReport {
  const maxChars = options.maxEvidenceChars ?? MAX_EVIDENCE_CHARS;
  const checkDeadline = options.checkDeadline ?? (() => {});
  const view = buildHostView(snapshot);
  const skipped: string[] = [];
  const candidates: EmotetCandidate[] = [];
  const serial = snapshot.volumeSerial;
  if (serial !== null) candidates.push(...v1Candidates(serial), ...v2Candidates(view, serial));
  else skipped.push('v1, v2: the snapshot has no volume serial');
  if (view.files.length === 0) {
    skipped.push('v3, v4, v5: the snapshot lists no files');
  } else {
    const v3 = v3Candidates(view);
    if (v3.isFallback)
      skipped.push('v3: no System32 listing; a partial built-in name list was used');
    if (snapshot.knownFolders.length === 0)
      skipped.push('v4: no knownFolders; the installed-software allowlist was not applied');
    if (view.dirTimes.size === 0)
      skipped.push('v5: no folder times one level under %LOCALAPPDATA% or SysWOW64');
    candidates.push(...v3.candidates, ...v4Candidates(view), ...v5Candidates(view));
  }
  checkDeadline();
  if (view.procs.length === 0)
    skipped.push('all: the snapshot lists no processes, so nothing can be confirmed running');
  const match = matchEmotetProcesses(view, candidates, checkDeadline);
  if (match.unreadable.length > 0) {
    skipped.push(
      `v3: ${match.unreadable.length} process(es) with a candidate name have no image path (collect as an administrator)`,
    );
  }
  const findings: Finding[] = match.detections.map((d) =>
    DETECTION_FINDING[d.method]({
      location: `process ${d.pid} ${d.processName}`,
      text: clipText(d.imagePath || d.commandLine, maxChars),
      note: clipText(d.note, maxChars),
    }),
  );
  const dormant = dormantCandidates(candidates, match.matched);
  for (const c of dormant) {
    findings.push(
      F.loaderDormant({
        location: c.location,
        text: clipText(c.filePath || (c.registryKey ?? ''), maxChars),
        note: clipText(c.note, maxChars),
      }),
    );
  }
  const heuristics = runHeuristics(view, maxChars, checkDeadline);
  findings.push(...heuristics.findings);
  findings.push(...mailDataFindings(snapshot, maxChars));
  if (skipped.length > 0)
    findings.push(F.checksIncomplete(skipped.map((note) => ({ location: 'snapshot', note }))));
  const files = [
    ...new Set([...match.detections.map((d) => d.imagePath), ...dormant.map((c) => c.filePath)]),
  ];
  return {
    hostname: snapshot.hostname,
    volumeSerial: serial === null ? null : serialHex(serial),
    collectedAt: snapshot.collectedAt,
    isInfected: match.detections.length > 0,
    detections: match.detections,
    findings,
    powershell: heuristics.powershell,
    files: files.filter((f) => f !== ''),
    skipped,
    addresses: snapshot.network.addresses,
  };
}

/**
 * Candidates strong enough without a process: the v2 marker, v3 with its Run value, v4 (always has its
 * autorun), v5 (the 7-day offset is Emotet's signature). One per file or registry value.
 */
function dormantCandidates(
  all: readonly EmotetCandidate[],
  matched: Set<EmotetCandidate>,
): EmotetCandidate[] {
  const seen = new Set<string>();
  const matchedPaths = new Set([...matched].map((c) => c.path).filter((p) => p !== ''));
  const out: EmotetCandidate[] = [];
  for (const c of all) {
    if (matched.has(c) || c.method === 'v1' || (c.path !== '' && matchedPaths.has(c.path)))
      continue;
    if (c.method === 'v3' && !(c.isValid && c.isPersistent)) continue;
    const key = c.path || c.registryKey || c.fileName;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}
