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
    { path: input.path, name, bytes: input.bytes, depth: 0 },
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
    ...(node.parent === undefined ? {} : { parent: node.parent }),
    ...(node.relation === undefined ? {} : { relation: node.relation }),
  };
  const deadline = started + limits.maxTimePerArtifactMs;
  const ctx = createContext(artifact, node.bytes, limits, budget, deadline, node.hints);
  const extracted = emptyExtracted();
  const children: ChildInput[] = [];
  for (const engine of engines) {
    if (engine.types !== '*' && !engine.types.includes(type)) continue;
    try {
      if (Date.now() > deadline) throw timeLimitError(limits, node.path);
      const out = await untilDeadline(engine.analyze(ctx), deadline, limits, node.path);
      if (out.findings) findings.push(...out.findings);
      mergeExtracted(extracted, out.extracted);
      if (out.children) children.push(...out.children);
    } catch (error) {
      findings.push(findingForError(error, engine.name));
    }
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
    ...(node.relation === undefined ? {} : { relation: node.relation }),
  };
  result.elapsedMs = Date.now() - started;
  await scanChildren(result, artifact, children, engines, limits, budget);
  result.verdict = verdictOf(
    result.findings,
    result.children.map((c) => c.verdict),
  );
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
      ...(child.typeHint === undefined ? {} : { typeHint: child.typeHint }),
      ...(child.hints === undefined ? {} : { hints: child.hints }),
    };
    result.children.push(await analyze(node, engines, limits, budget));
  }
}

/** Async engines are raced against the deadline; sync loops are stopped by `checkDeadline` or the worker watchdog. */
async function untilDeadline<T>(
  work: T | Promise<T>,
  deadline: number,
  limits: Readonly<Limits>,
  what: string,
): Promise<T> {
  if (!(work instanceof Promise)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(timeLimitError(limits, what)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
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
  for (const finding of kept) {
    for (const evidence of finding.evidence) {
      if (evidence.text !== undefined)
        evidence.text = clipText(evidence.text, limits.maxEvidenceChars);
      if (evidence.note !== undefined)
        evidence.note = clipText(evidence.note, limits.maxEvidenceChars);
      if (evidence.location !== undefined) {
        evidence.location = clipText(evidence.location, limits.maxEvidenceChars);
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
