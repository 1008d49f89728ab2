import type { AnalysisContext, EngineOutput } from '../../core/index.js';
import {
  formatAddress,
  MINIDUMP_MEMO,
  parseMinidump,
  type Minidump,
} from '../../formats/minidump/index.js';
import { scanConfigChunk, type ConfigScanOptions } from './chunk.js';
import { peArch, type KnownEpochKey } from './epoch.js';
import { emotetConfigOutput } from './output.js';

export type EmotetConfigOptions = Omit<ConfigScanOptions, 'checkDeadline'> & {
  /** Key fingerprints that name an epoch (default KNOWN_EPOCH_KEYS). */
  epochKeys?: readonly KnownEpochKey[];
};

export function analyzeEmotetConfig(
  ctx: AnalysisContext,
  options: EmotetConfigOptions,
): EngineOutput {
  const finds = scanConfigChunk(
    ctx.bytes,
    { base: 0 },
    {
      ...options,
      checkDeadline: () => ctx.checkDeadline(),
    },
  );
  if (finds.tables.length === 0) return {};
  return emotetConfigOutput(finds, {
    arch: ctx.artifact.type === 'pe' ? peArch(ctx.bytes) : null,
    addressOf: addressMapper(ctx),
    ...(options.epochKeys ? { epochKeys: options.epochKeys } : {}),
  });
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
