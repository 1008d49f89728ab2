import type { AnalysisContext, Artifact, Engine, EngineOutput } from '../../core/index.js';
import {
  memoryTypeName,
  MINIDUMP_MEMO,
  parseMinidump,
  protectionName,
  type Minidump,
} from '../../formats/minidump/index.js';
import {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_MAX_STRINGS_PER_RULE,
  DEFAULT_OVERLAP,
  scanChunked,
  type ChunkOptions,
} from './chunks.js';
import { YARA_FINDINGS } from './findings.js';
import { RuleHits, type RangePlace } from './match-finding.js';
import type { YaraScanner, YaraVariables } from './scanner.js';

export interface YaraEngineOptions {
  /** Bytes per scan call; larger buffers and memory regions are chunked (default 64 MiB). */
  chunkSize?: number;
  /** Bytes shared by consecutive chunks (default 1 MiB). */
  overlap?: number;
  /** Pattern occurrences kept as evidence per rule and artifact (default 64). */
  maxStringsPerRule?: number;
}

/**
 * The yara engine over a compiled rule set. Apps build it (the backend loads native code) and pass
 * `[...ENGINES, createYaraEngine(scanner)]` to `scanInput`. Every artifact is scanned; a minidump is
 * scanned region by region so that offsets map to virtual addresses and page protections.
 *
 * @example
 * const engine = createYaraEngine(await loadYaraScanner(['rules/yara']));
 * await scanInput({ path, bytes }, { engines: [...ENGINES, engine] });
 */
export function createYaraEngine(scanner: YaraScanner, options: YaraEngineOptions = {}): Engine {
  const chunkSize = positive(options.chunkSize, DEFAULT_CHUNK_SIZE);
  const chunks: Omit<ChunkOptions, 'checkDeadline'> = {
    chunkSize,
    overlap: Math.min(positive(options.overlap, DEFAULT_OVERLAP), chunkSize - 1),
    maxStringsPerRule: positive(options.maxStringsPerRule, DEFAULT_MAX_STRINGS_PER_RULE),
  };
  return {
    name: 'yara',
    types: '*',
    findings: YARA_FINDINGS,
    analyze: (ctx) => analyzeWithYara(ctx, scanner, chunks),
  };
}

function analyzeWithYara(
  ctx: AnalysisContext,
  scanner: YaraScanner,
  chunks: Omit<ChunkOptions, 'checkDeadline'>,
): EngineOutput {
  const variables = variablesFor(ctx.artifact);
  const options: ChunkOptions = { ...chunks, checkDeadline: () => ctx.checkDeadline() };
  const hits = new Map<string, RuleHits>();
  for (const place of rangesOf(ctx)) {
    for (const match of scanChunked(scanner, place.bytes, variables, options)) {
      const key = `${match.namespace}\0${match.rule}`;
      let rule = hits.get(key);
      if (!rule) {
        rule = new RuleHits(match, chunks.maxStringsPerRule);
        hits.set(key, rule);
      }
      rule.add(match, place);
    }
  }
  if (hits.size === 0) return { findings: [] };
  return { findings: [...hits.values()].map((rule) => rule.toFinding(ctx.artifact.type)) };
}

/**
 * What to scan: a minidump's memory regions (each alone, as process-memory scanners do, so that a match
 * never spans two unrelated regions and every offset has an address), otherwise the whole artifact.
 */
function rangesOf(ctx: AnalysisContext): RangePlace[] {
  const whole = [{ bytes: ctx.bytes, fileOffset: 0, size: ctx.bytes.length }];
  if (ctx.artifact.type !== 'minidump') return whole;
  let dump: Minidump;
  try {
    dump = ctx.memo(MINIDUMP_MEMO, () => parseMinidump(ctx.bytes));
  } catch {
    return whole; // the memory engine reports the parse error
  }
  if (dump.regions.length === 0) return whole;
  return dump.regions.map((region) => {
    const bytes = ctx.bytes.subarray(region.fileOffset, region.fileOffset + region.size);
    return {
      bytes,
      fileOffset: region.fileOffset,
      size: bytes.length, // a truncated dump's last region is shown as far as it goes
      va: region.va,
      ...(region.info
        ? {
            protection: `${protectionName(region.info.protect)} ${memoryTypeName(region.info.type)}`,
          }
        : {}),
    };
  });
}

/** LOKI/THOR-style externals (see YARA_EXTERNALS); `filetype` is the sniffed content type. */
export function variablesFor(
  artifact: Readonly<Pick<Artifact, 'name' | 'path' | 'type'>>,
): YaraVariables {
  const dot = artifact.name.lastIndexOf('.');
  return {
    filename: artifact.name,
    filepath: artifact.path,
    extension: dot > 0 ? artifact.name.slice(dot).toLowerCase() : '',
    filetype: artifact.type,
    owner: '',
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : fallback;
}
