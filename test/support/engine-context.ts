/**
 * An AnalysisContext for engine unit tests, built the way the pipeline builds it but without the
 * pipeline (engines must not depend on it): type from content sniffing unless given, limits from
 * `resolveLimits`, a real memo, a real deadline.
 */
import {
  LimitError,
  resolveLimits,
  sha256Hex,
  type AnalysisContext,
  type FileType,
  type Limits,
} from '../../src/core/index.js';
import { sniffType } from '../../src/formats/sniff/index.js';

export interface TestContextOptions {
  name?: string;
  type?: FileType;
  depth?: number;
  limits?: Partial<Limits>;
  remainingBytes?: number;
}

export function makeContext(bytes: Uint8Array, options: TestContextOptions = {}): AnalysisContext {
  const limits = resolveLimits(options.limits);
  const name = options.name ?? 'sample';
  const memos = new Map<string, unknown>();
  const deadline = Date.now() + limits.maxTimePerArtifactMs;
  return {
    artifact: {
      path: name,
      name,
      sha256: sha256Hex(bytes),
      size: bytes.length,
      type: options.type ?? sniffType(bytes),
      depth: options.depth ?? 0,
    },
    bytes,
    limits,
    memo<T>(key: string, compute: () => T): T {
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
    checkDeadline() {
      if (Date.now() > deadline) {
        throw new LimitError('E_LIMIT_TIME', 'test deadline', {
          limit: 'maxTimePerArtifactMs',
          max: limits.maxTimePerArtifactMs,
        });
      }
    },
    remainingBytes: () => options.remainingBytes ?? limits.maxTotalBytes,
  };
}
