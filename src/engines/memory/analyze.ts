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
  protectionName,
  type MemoryRegion,
  type Minidump,
} from '../../formats/minidump/index.js';
import { rwxPeRegion } from './findings.js';

/** Page granularity at which an injected image may start inside a region (VirtualAlloc allocates pages). */
const PAGE = 0x1000;
/** Pages probed per region: a PE header sits at the start or in the first pages of an allocation. */
const MAX_PAGES_PROBED = 256;
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
    const at = peHeaderOffset(ctx.bytes, region);
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

/** Offset in the region of the first page that starts with "MZ" and whose e_lfanew points at "PE\0\0". */
function peHeaderOffset(bytes: Uint8Array, region: MemoryRegion): number | undefined {
  const pages = Math.min(Math.ceil(region.size / PAGE), MAX_PAGES_PROBED);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 0; p < pages; p++) {
    const at = region.fileOffset + p * PAGE;
    const end = region.fileOffset + region.size;
    if (at + 0x40 > end || bytes[at] !== 0x4d || bytes[at + 1] !== 0x5a) continue;
    const lfanew = view.getUint32(at + 0x3c, true);
    const pe = at + lfanew;
    if (lfanew < 0x40 || lfanew > 0x1000 || pe + 4 > end) continue;
    if (bytes[pe] === 0x50 && bytes[pe + 1] === 0x45 && bytes[pe + 2] === 0 && bytes[pe + 3] === 0)
      return p * PAGE;
  }
  return undefined;
}
