import {
  checkRatio,
  childPath,
  clipText,
  DEFAULT_LIMITS,
  emptyExtracted,
  findingForError,
  LimitError,
  limitExceeded,
  mergeExtracted,
  sha256Hex,
  verdictOf,
  worstVerdict,
  type Artifact,
  type ChildInput,
  type Engine,
  type FileType,
  type Finding,
  type Limits,
  type ScanResult,
} from '../core/index.js';
import { sniffType } from '../formats/sniff/index.js';
import { InputBudget } from './budget.js';
import { createContext, timeLimitError } from './context.js';
import { ENGINES } from './registry.js';

export interface ScanInput {
  /** What the user gave: a file path, or `-` for standard input. */
  path: string;
  bytes: Uint8Array;
  /** The input's real size when `bytes` holds only its first `maxFileSize` bytes. */
  size?: number;
}

export interface ScanOptions {
  engines?: readonly Engine[];
  limits?: Readonly<Limits>;
}

interface Node {
  path: string;
  name: string;
  bytes: Uint8Array;
  depth: number;
  parent?: string;
  relation?: string;
  typeHint?: FileType;
  hints?: Readonly<Record<string, unknown>>;
}

// Types too generic to overrule what the extractor knows the bytes are.
const GENERIC_TYPES: ReadonlySet<FileType> = new Set(['text', 'unknown']);

/**
 * Scans one input and everything inside it: sniff the type, run each engine registered for it, then feed
 * the children the engines extracted back in, depth first, under the input's limits. Never throws for bad
 * input: what could not be analysed becomes a `scan.*` finding on the artifact where it happened.
 */
export async function scanInput(input: ScanInput, options: ScanOptions = {}): Promise<ScanResult> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const engines = options.engines ?? ENGINES;
  const budget = new InputBudget(limits);
  const pre: Finding[] = [];
  if (input.size !== undefined && input.size > input.bytes.length) {
    pre.push(
      limitExceeded({
        location: input.path,
        text: `E_LIMIT_FILE_SIZE: only the first ${input.bytes.length} of ${input.size} bytes were analysed`,
        note: `maxFileSize = ${limits.maxFileSize}`,
      }),
    );
  }
  const name = input.path === '-' ? 'stdin' : (input.path.split(/[\\/]/).pop() ?? input.path);
  const root = await analyze(
    {
      path: input.path,
      name,
      bytes: input.bytes,
      depth: 0,
      parent: undefined,
      relation: undefined,
      typeHint: undefined,
      hints: undefined,
    },
    engines,
    limits,
    budget,
    pre,
  );
  if (input.size !== undefined) root.size = input.size;
  return root;
}

async function analyze(
  node: Node,
  engines: readonly Engine[],
  limits: Readonly<Limits>,
  budget: InputBudget,
  findings: Finding[] = [],
): Promise<ScanResult> {
  const started = Date.now();
  const sniffed = sniffType(node.bytes);
  const type = node.typeHint && GENERIC_TYPES.has(sniffed) ? node.typeHint : sniffed;
  const artifact: Artifact = {
    path: node.path,
    name: node.name,
    sha256: sha256Hex(node.bytes),
    size: node.bytes.length,
    type,
    depth: node.depth,
  };
  // Assigned, not spread: the same keys in the same order, without a spread's copy per artifact.
  if (node.parent !== undefined) artifact.parent = node.parent;
  if (node.relation !== undefined) artifact.relation = node.relation;
  const deadline = started + limits.maxTimePerArtifactMs;
  const ctx = createContext(artifact, node.bytes, limits, budget, deadline, node.hints);
  const extracted = emptyExtracted();
  const children: ChildInput[] = [];
  const timer = new DeadlineTimer(deadline, limits, node.path);
  try {
    for (const engine of engines) {
      if (engine.types !== '*' && !engine.types.includes(type)) continue;
      try {
        if (Date.now() > deadline) throw timeLimitError(limits, node.path);
        const work = engine.analyze(ctx);
        // Only a promise is raced against the deadline; a synchronous result is used as it is, without a
        // turn of the microtask queue (synchronous loops are stopped by `checkDeadline` or the watchdog).
        const out = work instanceof Promise ? await timer.race(work) : work;
        if (out.findings) findings.push(...out.findings);
        mergeExtracted(extracted, out.extracted);
        if (out.children) children.push(...out.children);
      } catch (error) {
        findings.push(findingForError(error, engine.name));
      }
    }
  } finally {
    timer.clear();
  }
  const result: ScanResult = {
    path: node.path,
    sha256: artifact.sha256,
    size: artifact.size,
    type,
    verdict: 'clean',
    findings: boundFindings(findings, limits),
    extracted: boundExtracted(extracted, limits),
    children: [],
  };
  // `relation` then `elapsedMs`: the key order of `scan --json`.
  if (node.relation !== undefined) result.relation = node.relation;
  result.elapsedMs = Date.now() - started;
  await scanChildren(result, artifact, children, engines, limits, budget);
  // A container is at least as bad as its worst child (verdictOf), without an array of child verdicts.
  let verdict = verdictOf(result.findings);
  for (let i = 0; i < result.children.length; i++) {
    verdict = worstVerdict(verdict, result.children[i]!.verdict);
  }
  result.verdict = verdict;
  return result;
}

async function scanChildren(
  result: ScanResult,
  artifact: Artifact,
  children: ChildInput[],
  engines: readonly Engine[],
  limits: Readonly<Limits>,
  budget: InputBudget,
): Promise<void> {
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const path = childPath(artifact.path, child.name);
    try {
      if (artifact.depth + 1 > limits.maxDepth) {
        throw new LimitError(
          'E_LIMIT_DEPTH',
          `${children.length - i} children nested deeper than ${limits.maxDepth} levels were not scanned`,
          { limit: 'maxDepth', max: limits.maxDepth, actual: artifact.depth + 1 },
        );
      }
      budget.admit(child.bytes.length, path);
      if (child.compressedSize !== undefined) {
        checkRatio(limits, child.compressedSize, child.bytes.length, path);
      }
    } catch (error) {
      result.findings.push(findingForError(error, path));
      const code = error instanceof LimitError ? error.code : undefined;
      // Depth and member limits hold for every later sibling too: report once, not per child.
      if (code === 'E_LIMIT_DEPTH' || code === 'E_LIMIT_MEMBERS') break;
      continue;
    }
    const node: Node = {
      path,
      name: child.name,
      bytes: child.bytes,
      depth: artifact.depth + 1,
      parent: artifact.sha256,
      relation: child.relation,
      typeHint: child.typeHint,
      hints: child.hints,
    };
    result.children.push(await analyze(node, engines, limits, budget));
  }
}

/**
 * Races an artifact's async engines against its deadline. Sync loops are stopped by `checkDeadline` or the
 * worker watchdog. One timer per artifact, armed by the first promise an engine returns and cleared when
 * the artifact is done: a timer per engine call cost more than some engines' work on a small document.
 */
class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;
  private expired: Promise<never> | undefined;

  constructor(
    private readonly deadline: number,
    private readonly limits: Readonly<Limits>,
    private readonly what: string,
  ) {}

  race<T>(work: Promise<T>): Promise<T> {
    if (this.expired === undefined) {
      this.expired = new Promise<never>((_, reject) => {
        this.timer = setTimeout(
          () => reject(timeLimitError(this.limits, this.what)),
          Math.max(0, this.deadline - Date.now()),
        );
      });
      // Rejected after the last race settled (no listener left): nothing to report, the finding was made.
      this.expired.catch(() => {});
    }
    return Promise.race([work, this.expired]);
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}

// SECURITY: an input crafted to trigger thousands of findings or megabytes of evidence must not flood the
// output, the store or the dashboard; every string that leaves the pipeline is clipped here.
export function boundFindings(findings: Finding[], limits: Readonly<Limits>): Finding[] {
  const kept = findings.slice(0, limits.maxFindingsPerArtifact);
  if (findings.length > kept.length) {
    kept.push(
      limitExceeded({
        text: `E_LIMIT_FINDINGS: ${findings.length - kept.length} more findings were dropped`,
        note: `maxFindingsPerArtifact = ${limits.maxFindingsPerArtifact}`,
      }),
    );
  }
  const max = limits.maxEvidenceChars;
  for (const finding of kept) {
    for (const evidence of finding.evidence) {
      // Written back only when cut: evidence objects come in many shapes, and a store to each is slower.
      const { text, note, location } = evidence;
      if (text !== undefined && text.length > max) evidence.text = clipText(text, max);
      if (note !== undefined && note.length > max) evidence.note = clipText(note, max);
      if (location !== undefined && location.length > max) {
        evidence.location = clipText(location, max);
      }
    }
  }
  return kept;
}

function boundExtracted(extracted: ScanResult['extracted'], limits: Readonly<Limits>) {
  const max = limits.maxExtractedChars;
  for (const macro of extracted.macros) macro.code = clipText(macro.code, max);
  for (const ps of extracted.powershell) {
    ps.raw = clipText(ps.raw, max);
    ps.decoded = clipText(ps.decoded, max);
  }
  for (const cell of extracted.xlm) cell.formula = clipText(cell.formula, max);
  return extracted;
}
