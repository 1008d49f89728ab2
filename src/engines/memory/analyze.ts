import {
  findingForError,
  limitExceeded,
  parseError,
  type AnalysisContext,
  type EngineOutput,
  type Evidence,
  type Finding,
} from '../../core/index.js';
import {
  formatAddress,
  isWritableExecutable,
  MEM_PRIVATE,
  memoryTypeName,
  MINIDUMP_MEMO,
  parseMinidump,
  peHeaderOffset,
  protectionName,
  type Minidump,
} from '../../formats/minidump/index.js';
import { rwxPeRegion } from './findings.js';

const MAX_EVIDENCE = 32;

export function analyzeMemory(ctx: AnalysisContext): EngineOutput {
  let dump: Minidump;
  try {
    dump = ctx.memo(MINIDUMP_MEMO, () => parseMinidump(ctx.bytes));
  } catch (error) {
    return { findings: [findingForError(error, 'minidump')] };
  }
  const findings: Finding[] = dump.anomalies.map((a) => {
    const evidence: Evidence = {
      location: a.location ?? 'minidump',
      text: `${a.code}: ${a.message}`,
      ...(a.offset === undefined ? {} : { offset: a.offset }),
    };
    return a.code.startsWith('E_LIMIT_') ? limitExceeded(evidence) : parseError(evidence);
  });
  const injected: Evidence[] = [];
  for (const region of dump.regions) {
    ctx.checkDeadline();
    const info = region.info;
    if (!info || info.type !== MEM_PRIVATE || !isWritableExecutable(info.protect)) continue;
    const at = peHeaderOffset(
      ctx.bytes.subarray(region.fileOffset, region.fileOffset + region.size),
    );
    if (at === undefined) continue;
    injected.push({
      location: `region ${formatAddress(region.va)}+0x${region.size.toString(16)}`,
      text: `MZ/PE header at ${formatAddress(region.va + BigInt(at))}`,
      offset: region.fileOffset + at,
      note: `${protectionName(info.protect)} ${memoryTypeName(info.type)}, allocation base ${formatAddress(info.allocationBase)}`,
    });
  }
  if (injected.length > 0) {
    const shown = injected.slice(0, MAX_EVIDENCE);
    if (injected.length > shown.length)
      shown.push({ note: `…and ${injected.length - shown.length} more region(s)` });
    findings.push(rwxPeRegion(shown));
  }
  return { findings };
}
