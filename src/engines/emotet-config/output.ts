import type { EngineOutput, Evidence } from '../../core/index.js';
import type { C2Table } from './c2-table.js';
import type { ConfigFinds } from './chunk.js';
import { guessEpoch, type EpochGuess, type KnownEpochKey } from './epoch.js';
import { c2Table } from './findings.js';
import type { ExtractedKey } from './keys.js';

/** `extracted.config` entry (the shape issue 6 fixes). */
export interface EmotetConfig {
  family: 'emotet';
  /** `ip:port`, table order, de-duplicated. */
  c2: string[];
  keys: ExtractedKey[];
  /** 1–5 when a known key names the epoch, `1-3` (RSA) / `4-5` (P-256, 64-bit), or null (epoch.ts). */
  epoch: EpochGuess['epoch'];
  epochConfidence: EpochGuess['epochConfidence'];
  epochBasis: string;
  /** The loader's build, when the bytes are a PE. */
  arch?: 'x86' | 'x64';
  tables: { offset: number; va?: string; entries: number; encoding: C2Table['encoding'] }[];
}

export interface ConfigOutputContext {
  /** The loader's build (peArch), when the bytes are a PE. */
  arch?: 'x86' | 'x64' | null;
  /** Offset → virtual address (`0x…`) in process memory, for `va` and the evidence notes. */
  addressOf?: (offset: number) => string | undefined;
  /** Key fingerprints that name an epoch (default KNOWN_EPOCH_KEYS). */
  epochKeys?: readonly KnownEpochKey[];
  /** Said in the summary when the caller kept fewer tables than it found (chunk mergers). */
  droppedTables?: number;
}

const MAX_EVIDENCE = 64;

/**
 * The engine's output for what the finders found, in one buffer or merged from chunks: the critical
 * finding with one evidence per server (first MAX_EVIDENCE) and a summary with the epoch guess,
 * `extracted.config` and `extracted.iocs.ips`. Nothing when there is no table.
 */
export function emotetConfigOutput(
  finds: ConfigFinds,
  context: ConfigOutputContext = {},
): EngineOutput {
  const { tables, keys } = finds;
  if (tables.length === 0) return {};
  const addressOf = context.addressOf ?? (() => undefined);
  const arch = context.arch ?? null;
  const config: EmotetConfig = {
    family: 'emotet',
    c2: [...new Set(tables.flatMap((t) => t.entries.map((e) => `${e.ip}:${e.port}`)))],
    keys,
    ...guessEpoch({ keys, tables, arch }, context.epochKeys),
    ...(arch ? { arch } : {}),
    tables: tables.map((t) => {
      const va = addressOf(t.offset);
      return {
        offset: t.offset,
        ...(va ? { va } : {}),
        entries: t.entries.length,
        encoding: t.encoding,
      };
    }),
  };
  return {
    findings: [c2Table(evidenceFor(tables, config, addressOf, context.droppedTables ?? 0))],
    extracted: {
      config: [config],
      iocs: { ips: [...new Set(tables.flatMap((t) => t.entries.map((e) => e.ip)))] },
    },
  };
}

function evidenceFor(
  tables: readonly C2Table[],
  config: EmotetConfig,
  addressOf: (offset: number) => string | undefined,
  dropped: number,
): Evidence[] {
  const evidence: Evidence[] = [];
  let total = 0;
  for (const table of tables) {
    const location = `c2 table at ${table.offset}${table.encoding === 'xor' ? ' (xor)' : ''}`;
    total += table.entries.length;
    for (const e of table.entries) {
      if (evidence.length >= MAX_EVIDENCE) break;
      const va = addressOf(e.offset);
      evidence.push({
        text: `${e.ip}:${e.port}`,
        offset: e.offset,
        location,
        ...(va ? { note: `va ${va}` } : {}),
      });
    }
  }
  const more = total > MAX_EVIDENCE ? `, first ${MAX_EVIDENCE} shown` : '';
  const keys = config.keys
    .map((k) => `${k.type} ${k.bits}-bit ${k.format}${k.encoding === 'xor' ? ' (xor)' : ''}`)
    .join(', ');
  const xor = tables.filter((t) => t.encoding === 'xor').length;
  evidence.push({
    note:
      `${config.c2.length} C2 server(s) in ${tables.length} table(s)` +
      `${xor > 0 ? ` (${xor} XOR-encrypted)` : ''}${more}` +
      `${dropped > 0 ? `; ${dropped} more table(s) not kept` : ''}; ` +
      `keys: ${keys || 'none found'}; epoch guess: ${config.epoch ?? 'unknown'} ` +
      `(${config.epochConfidence}: ${config.epochBasis})`,
  });
  return evidence;
}
