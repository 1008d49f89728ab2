import { LimitError, type AnalysisContext, type Artifact, type Limits } from '../core/index.js';
import type { InputBudget } from './budget.js';

/**
 * The context engines see for one artifact. `memo` shares parses between engines (a compound file is parsed
 * once, not once per engine), and `checkDeadline` lets long loops stop at the artifact's time limit.
 * Closures, not methods: engines may pass `ctx.checkDeadline` on as a plain function.
 */
export function createContext(
  artifact: Artifact,
  bytes: Uint8Array,
  limits: Readonly<Limits>,
  budget: InputBudget,
  deadline: number,
  hints?: Readonly<Record<string, unknown>>,
): AnalysisContext {
  const memos = new Map<string, unknown>(hints === undefined ? undefined : Object.entries(hints));
  return {
    artifact,
    bytes,
    limits,
    memo<T>(key: string, compute: () => T): T {
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
    checkDeadline(): void {
      if (Date.now() > deadline) throw timeLimitError(limits, artifact.path);
    },
    remainingBytes: () => budget.remainingBytes(),
  };
}

export function timeLimitError(limits: Readonly<Limits>, what: string): LimitError {
  return new LimitError(
    'E_LIMIT_TIME',
    `${what}: analysis took longer than ${limits.maxTimePerArtifactMs} ms`,
    { limit: 'maxTimePerArtifactMs', max: limits.maxTimePerArtifactMs },
  );
}
