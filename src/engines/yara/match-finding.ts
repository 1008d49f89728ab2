import {
  isKnownTechnique,
  isSeverity,
  isStep,
  type Evidence,
  type FileType,
  type Finding,
  type Severity,
  type Step,
} from '../../core/index.js';
import type { MergedMatch } from './chunks.js';
import { yaraMatch } from './findings.js';
import type { YaraMetaValue } from './scanner.js';

/** Where a scanned range sits: its file offset and, in a memory dump, its address and page state. */
export interface RangePlace {
  bytes: Uint8Array;
  fileOffset: number;
  /** Virtual address of `bytes[0]` (memory dumps). */
  va?: bigint;
  /** `PAGE_EXECUTE_READWRITE MEM_PRIVATE` … (memory dumps with a MemoryInfoListStream). */
  protection?: string;
}

/** Bytes of matched data shown in evidence (the backend's `data` string is lossy: we slice ourselves). */
const SHOWN_BYTES = 64;

/** Accumulates one rule's matches over every range of an artifact, then becomes one finding. */
export class RuleHits {
  private readonly evidence: Evidence[] = [];
  private count = 0;
  private readonly ranges = new Set<number>();

  constructor(
    readonly match: Omit<MergedMatch, 'strings' | 'stringCount'>,
    private readonly maxEvidence: number,
  ) {}

  add(match: MergedMatch, place: RangePlace): void {
    this.count += match.stringCount;
    this.ranges.add(place.fileOffset);
    for (const s of match.strings) {
      if (this.evidence.length >= this.maxEvidence) break;
      const data = place.bytes.subarray(s.offset, s.offset + Math.min(s.length, SHOWN_BYTES));
      const more = s.length > SHOWN_BYTES ? `…[${s.length} bytes]` : '';
      this.evidence.push({
        location: `${this.match.namespace}:${this.match.rule}`,
        text: `${s.identifier} ${renderBytes(data)}${more}`,
        offset: place.fileOffset + s.offset,
        ...(place.va === undefined ? {} : { note: memoryNote(place, s.offset) }),
      });
    }
  }

  toFinding(type: FileType): Finding {
    const { meta, tags, namespace, rule } = this.match;
    const attack = attackOf(meta.attack);
    const summary: string[] = [];
    if (tags.length > 0) summary.push(`tags: ${tags.join(', ')}`);
    if (Object.keys(meta).length > 0) summary.push(`meta: ${JSON.stringify(meta)}`);
    if (this.count > 0) {
      const where = this.ranges.size > 1 ? ` in ${this.ranges.size} ranges` : '';
      const shown =
        this.count > this.evidence.length ? `, first ${this.evidence.length} shown` : '';
      summary.push(`${this.count} pattern match(es)${where}${shown}`);
    }
    if (attack.unknown.length > 0)
      summary.push(`unknown ATT&CK ids ignored: ${attack.unknown.join(', ')}`);
    return {
      ...yaraMatch([
        ...this.evidence,
        { location: `${namespace}:${rule}`, note: summary.join('; ') || 'condition matched' },
      ]),
      title: rule,
      severity: severityOf(meta),
      step: stepOf(meta.step, type),
      attack: attack.known,
    };
  }
}

function memoryNote(place: RangePlace, offset: number): string {
  const va = `va 0x${(place.va! + BigInt(offset)).toString(16)}`;
  const region = `region 0x${place.va!.toString(16)}+0x${place.bytes.length.toString(16)}`;
  return [va, place.protection, region].filter(Boolean).join(', ');
}

/** Printable ASCII as is, everything else as \xNN: evidence must survive JSON, terminals and HTML. */
export function renderBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x5c) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * `severity` (info|low|medium|high|critical) wins; else a 0–100 `score` as THOR and signature-base use it
 * (≥100 critical, ≥75 high, ≥50 medium, ≥25 low, else info); else medium: a rule the operator chose
 * matched, which is worth a look but is not, by itself, proof of an attack.
 */
export function severityOf(meta: Record<string, YaraMetaValue>): Severity {
  const named = typeof meta.severity === 'string' ? meta.severity.toLowerCase() : undefined;
  if (isSeverity(named)) return named;
  const score = typeof meta.score === 'number' ? meta.score : Number(meta.score);
  if (meta.score !== undefined && Number.isFinite(score)) {
    if (score >= 100) return 'critical';
    if (score >= 75) return 'high';
    if (score >= 50) return 'medium';
    if (score >= 25) return 'low';
    return 'info';
  }
  return 'medium';
}

/** `step` from meta; else 6 for memory dumps (the host is infected), 5 for executables (the loader), 2. */
export function stepOf(value: YaraMetaValue | undefined, type: FileType): Step {
  const named = value === undefined ? undefined : String(value).toLowerCase();
  if (isStep(named)) return named;
  if (type === 'minidump') return '6';
  if (type === 'pe' || type === 'elf') return '5';
  return '2';
}

/** `attack = "T1055, T1071.001"` → known ids; ids src/core/attack.ts does not list are reported, not kept. */
export function attackOf(value: YaraMetaValue | undefined): { known: string[]; unknown: string[] } {
  const ids = typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : [];
  const upper = ids.map((id) => id.toUpperCase());
  return {
    known: [...new Set(upper.filter(isKnownTechnique))],
    unknown: upper.filter((id) => !isKnownTechnique(id)),
  };
}
