import type { Artifact } from './artifact.js';
import type { ExtractedPart } from './extracted.js';
import type { FileType } from './filetype.js';
import type { Finding, FindingFactory } from './finding.js';
import type { Limits } from './limits.js';

/** Something an engine pulled out of its artifact that must itself be scanned. */
export interface ChildInput {
  /** Member path, attachment file name, stream name, or a made-up label for decoded content. */
  name: string;
  bytes: Uint8Array;
  /** attachment | member | embedded | decoded | macro … (shown in output, used by correlation) */
  relation: string;
  /**
   * The type the extractor knows the bytes to be (a decoded PowerShell command is text that sniffing
   * alone cannot tell from other text). Used only when content sniffing finds nothing more specific.
   */
  typeHint?: FileType;
  /** Size as stored in the container, for the ratio check of the pipeline. */
  compressedSize?: number;
  /**
   * What the parent knows that helps analyse the child, handed to the child's engines through
   * `ctx.memo(key)`: e.g. archive passwords written in the mail body (HINT_ARCHIVE_PASSWORDS).
   */
  hints?: Readonly<Record<string, unknown>>;
}

/** Hint key: candidate passwords for an encrypted archive, found by whoever delivered it (a mail body). */
export const HINT_ARCHIVE_PASSWORDS = 'archive.passwords';

/** What one engine returns for one artifact. */
export interface EngineOutput {
  findings?: Finding[];
  extracted?: ExtractedPart;
  children?: ChildInput[];
}

/** What an engine sees of the artifact under analysis. Built by `pipeline/context.ts`. */
export interface AnalysisContext {
  readonly artifact: Readonly<Artifact>;
  readonly bytes: Uint8Array;
  readonly limits: Readonly<Limits>;
  /** Parses once per artifact and shares the result between engines (a CFB parsed once, not per engine). */
  memo<T>(key: string, compute: () => T): T;
  /** Throws `LimitError` (E_LIMIT_TIME) once the artifact's time budget is spent; call it in long loops. */
  checkDeadline(): void;
  /** Bytes still allowed for children of this input (`maxTotalBytes` minus what was extracted so far). */
  remainingBytes(): number;
}

/**
 * A detection engine. Register it in `src/pipeline/registry.ts`. `types` lists the content types it
 * analyses, or `'*'` for every artifact (YARA, hash IOCs).
 */
export interface Engine {
  readonly name: string;
  readonly types: readonly FileType[] | '*';
  /** Every finding kind the engine can report (docs, coverage matrix, tests of ids and ATT&CK ids). */
  readonly findings: readonly FindingFactory[];
  analyze(ctx: AnalysisContext): EngineOutput | Promise<EngineOutput>;
}

/**
 * An `analyze` whose code is imported on its first call, for an engine most scans never run (mail,
 * archives, disk images, shortcuts, memory dumps): registering it then costs its index and findings
 * only, not its parsers and their packages. The first call waits for `load`; once loaded, the function
 * runs as it is (a synchronous one stays synchronous, so the pipeline treats it as before).
 *
 * @example
 * analyze: deferAnalyze(async () => (await import('./analyze.js')).analyzeLnk),
 */
export function deferAnalyze(load: () => Promise<Engine['analyze']>): Engine['analyze'] {
  let analyze: Engine['analyze'] | undefined;
  let loading: Promise<Engine['analyze']> | undefined;
  return (ctx) => {
    if (analyze !== undefined) return analyze(ctx);
    loading ??= load().then((loaded) => (analyze = loaded));
    return loading.then((loaded) => loaded(ctx));
  };
}
