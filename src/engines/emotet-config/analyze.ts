import type { AnalysisContext, EngineOutput, Evidence } from '../../core/index.js';
import {
  formatAddress,
  MINIDUMP_MEMO,
  parseMinidump,
  type Minidump,
} from '../../formats/minidump/index.js';
import { findC2Tables, type C2Table, type C2TableOptions } from './c2-table.js';
import { c2Table } from './findings.js';
import { findKeys, type ExtractedKey, type KeyOptions } from './keys.js';

/** `extracted.config` entry (the shape issue 6 fixes). */
export interface EmotetConfig {
  family: 'emotet';
  /** `ip:port`, table order, de-duplicated. */
  c2: string[];
  keys: ExtractedKey[];
  /** `4-5` when P-256 keys were found, `1-3` for RSA keys, null when only the table was. */
  epoch: '1-3' | '4-5' | null;
  tables: { offset: number; va?: string; entries: number }[];
}

export type EmotetConfigOptions = Omit<C2TableOptions, 'checkDeadline'> &
  Omit<KeyOptions, 'checkDeadline'>;

const MAX_EVIDENCE = 64;

export function analyzeEmotetConfig(
  ctx: AnalysisContext,
  options: EmotetConfigOptions,
): EngineOutput {
  const checkDeadline = () => ctx.checkDeadline();
  const tables = findC2Tables(ctx.bytes, { ...options, checkDeadline });
  if (tables.length === 0) return {};
  // Keys are looked for only beside a table: on their own, RSA keys are in every signed binary.
  const keys = findKeys(ctx.bytes, { ...options, checkDeadline });
  const addressOf = addressMapper(ctx);
  const c2 = [...new Set(tables.flatMap((t) => t.entries.map((e) => `${e.ip}:${e.port}`)))];
  const config: EmotetConfig = {
    family: 'emotet',
    c2,
    keys,
    epoch: keys.some((k) => k.type !== 'rsa') ? '4-5' : keys.length > 0 ? '1-3' : null,
    tables: tables.map((t) => {
      const va = addressOf(t.offset);
      return { offset: t.offset, ...(va ? { va } : {}), entries: t.entries.length };
    }),
  };
  return {
    findings: [c2Table(evidenceFor(tables, config, addressOf))],
    extracted: {
      config: [config],
      iocs: { ips: [...new Set(tables.flatMap((t) => t.entries.map((e) => e.ip)))] },
    },
  };
}

function evidenceFor(
  tables: C2Table[],
  config: EmotetConfig,
  addressOf: (offset: number) => string | undefined,
): Evidence[] {
  const entries = tables.flatMap((t) => t.entries);
  const evidence: Evidence[] = entries.slice(0, MAX_EVIDENCE).map((e) => {
    const va = addressOf(e.offset);
    return {
      text: `${e.ip}:${e.port}`,
      offset: e.offset,
      location: `c2 table at ${tables.find((t) => t.entries.includes(e))!.offset}`,
      ...(va ? { note: `va ${va}` } : {}),
    };
  });
  const more = entries.length > MAX_EVIDENCE ? `, first ${MAX_EVIDENCE} shown` : '';
  const keys = config.keys.map((k) => `${k.type} ${k.bits}-bit ${k.format}`).join(', ');
  evidence.push({
    note:
      `${config.c2.length} C2 server(s) in ${tables.length} table(s)${more}; ` +
      `keys: ${keys || 'none found'}; epoch guess: ${config.epoch ?? 'unknown'}`,
  });
  return evidence;
}

/** File offset → virtual address, for minidumps (so responders can find the table in a debugger). */
function addressMapper(ctx: AnalysisContext): (offset: number) => string | undefined {
  if (ctx.artifact.type !== 'minidump') return () => undefined;
  let dump: Minidump;
  try {
    dump = ctx.memo(MINIDUMP_MEMO, () => parseMinidump(ctx.bytes));
  } catch {
    return () => undefined;
  }
  const byOffset = [...dump.regions].sort((a, b) => a.fileOffset - b.fileOffset);
  return (offset) => {
    let lo = 0;
    let hi = byOffset.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = byOffset[mid]!;
      if (offset < r.fileOffset) hi = mid - 1;
      else if (offset >= r.fileOffset + r.size) lo = mid + 1;
      else return formatAddress(r.va + BigInt(offset - r.fileOffset));
    }
    return undefined;
  };
}
