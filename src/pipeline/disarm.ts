import {
  DEFAULT_LIMITS,
  sha256Hex,
  walkResults,
  type Engine,
  type FileType,
  type Finding,
  type Limits,
  type Verdict,
} from '../core/index.js';
import {
  activeContentRemoved,
  disarmDocument,
  disarmRefused,
  type Disarmer,
  type DispatchedOutcome,
} from '../engines/disarm/index.js';
import { timeLimitError } from './context.js';
import { scanInput } from './scan.js';

export interface DisarmInput {
  /** What the user gave (a file path, an attachment name); used for messages and the re-scan's path. */
  path: string;
  bytes: Uint8Array;
}

export interface DisarmRunOptions {
  limits?: Readonly<Limits>;
  /** Engines for the re-scan (default: every registered engine). */
  engines?: readonly Engine[];
  /** Replaces the built-in format disarmers (tests, benchmarks). */
  disarmers?: Readonly<Partial<Record<FileType, Disarmer>>>;
}

/** What `disarmInput` found: the outcome, the re-scan's verdict, and the outcome as findings. */
export interface DisarmReport extends DispatchedOutcome {
  path: string;
  sha256: string;
  size: number;
  /** The re-scan of the output; absent when the disarmer itself refused. */
  rescan?: { verdict: Verdict; findings: string[] };
  /** `disarm.active-content-removed` (one evidence per removal) or `disarm.refused`. */
  findings: Finding[];
}

/** Finding ids of a re-scan shown in a refusal reason: enough to act on, short enough for a mail note. */
const MAX_REASON_IDS = 5;
const WORST_FIRST: readonly string[] = ['critical', 'high', 'medium'];

/**
 * Disarms one document and proves the copy safe: the output is scanned again with every engine and
 * must come out clean, else the outcome becomes `refused` / `rescan-not-clean` and no output is given.
 * An `unchanged` document goes through the same re-scan (nothing removed must also mean nothing left).
 * Never throws for hostile input.
 *
 * @example
 * const report = await disarmInput({ path: 'invoice.docm', bytes });
 * if (report.output) await writeFile(`invoice.disarmed${report.outputExtension ?? '.docm'}`, report.output);
 */
export async function disarmInput(
  input: DisarmInput,
  options: DisarmRunOptions = {},
): Promise<DisarmReport> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const deadline = Date.now() + limits.maxTimePerArtifactMs;
  const outcome = disarmDocument(input.bytes, {
    limits,
    checkDeadline: () => {
      if (Date.now() > deadline) throw timeLimitError(limits, input.path);
    },
    ...(options.disarmers ? { disarmers: options.disarmers } : {}),
  });
  const base = { path: input.path, sha256: sha256Hex(input.bytes), size: input.bytes.length };
  if (outcome.status === 'refused' || !outcome.output) {
    return finish({ ...base, ...outcome, status: 'refused' });
  }
  // SECURITY: the copy is only as good as its re-scan; a disarmer that missed something (or a new
  // technique it does not know) must not turn a malicious document into a delivered one.
  const rescan = await scanInput(
    { path: `${input.path}!disarmed`, bytes: outcome.output },
    { limits, ...(options.engines ? { engines: options.engines } : {}) },
  );
  const ids = [...walkResults(rescan)]
    .flatMap(([node]) => node.findings)
    .filter((f) => WORST_FIRST.includes(f.severity))
    .sort((a, b) => WORST_FIRST.indexOf(a.severity) - WORST_FIRST.indexOf(b.severity))
    .map((f) => f.id);
  const summary = { verdict: rescan.verdict, findings: [...new Set(ids)] };
  if (rescan.verdict !== 'clean') {
    const { output: _dropped, outputType: _t, outputExtension: _e, ...rest } = outcome;
    const shown = summary.findings.slice(0, MAX_REASON_IDS).join(', ');
    return finish({
      ...base,
      ...rest,
      status: 'refused',
      refusal: 'rescan-not-clean',
      reason: `the disarmed copy still scans ${rescan.verdict}${shown ? ` (${shown})` : ''}`,
      rescan: summary,
    });
  }
  return finish({ ...base, ...outcome, rescan: summary });
}

function finish(report: Omit<DisarmReport, 'findings'>): DisarmReport {
  const findings: Finding[] = [];
  if (report.status === 'refused') {
    findings.push(
      disarmRefused({
        location: report.path,
        text: report.refusal ?? 'malformed',
        ...(report.reason ? { note: report.reason } : {}),
      }),
    );
  } else if (report.removed.length > 0) {
    findings.push(
      activeContentRemoved(
        report.removed.map((r) => ({
          location: r.location,
          text: r.kind,
          ...(r.detail ? { note: r.detail } : {}),
        })),
      ),
    );
  }
  return { ...report, findings };
}
