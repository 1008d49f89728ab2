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
import type { YaraMetaValue, YaraRuleMatch } from './scanner.js';

/** Where a scanned range sits in its file: offset, size and, in process memory, address and page state. */
export interface RangeAddress {
  fileOffset: number;
  size: number;
  /** Virtual address of the range's first byte (minidump, CAPE dump). */
  va?: bigint;
  /** `PAGE_EXECUTE_READWRITE MEM_PRIVATE` … (memory dumps with a MemoryInfoListStream). */
  protection?: string;
}

/** A scanned range and its bytes (`bytes.length === size`). */
export interface RangePlace extends RangeAddress {
  bytes: Uint8Array;
}

/** Bytes of matched data shown in evidence (the backend's `data` string is lossy: we slice ourselves). */
const SHOWN_BYTES = 64;

/** `va 0x…, PROT, region 0x…+0x…` for a file offset inside `place`; undefined outside process memory. */
export function addressNote(
  place: RangeAddress | undefined,
  fileOffset: number,
): string | undefined {
  if (place?.va === undefined) return undefined;
  const va = `va 0x${(place.va + BigInt(fileOffset - place.fileOffset)).toString(16)}`;
  const region = `region 0x${place.va.toString(16)}+0x${place.size.toString(16)}`;
  return [va, place.protection, region].filter(Boolean).join(', ');
}

/**
 * Accumulates one rule's matches over every range of an artifact (the engine's buffers, or the chunks
 * of a large file the scan runner streams), then becomes one `yara.match` finding.
 */
export class RuleHits {
  private readonly evidence: Evidence[] = [];
  private count = 0;
  private readonly ranges = new Set<number>();

  constructor(
    readonly match: Omit<YaraRuleMatch, 'strings'>,
    private readonly maxEvidence: number,
  ) {}

  /** The engine's chunked scan of `place.bytes` (offsets relative to them). */
  add(match: MergedMatch, place: RangePlace): void {
    this.inRange(place, match.stringCount);
    for (const s of match.strings) {
      const data = place.bytes.subarray(s.offset, s.offset + Math.min(s.length, SHOWN_BYTES));
      this.show(s.identifier, s.length, data, place.fileOffset + s.offset, place);
    }
  }

  /** `occurrences` pattern matches in the range at `place`; 0 for a condition-only rule, still a match. */
  inRange(place: RangeAddress, occurrences: number): void {
    this.count += occurrences;
    this.ranges.add(place.fileOffset);
  }

  /** One occurrence as evidence while there is room: `data` its bytes, `fileOffset` absolute. */
  show(
    identifier: string,
    length: number,
    data: Uint8Array,
    fileOffset: number,
    place: RangeAddress,
  ): void {
    if (this.evidence.length >= this.maxEvidence) return;
    const more = length > SHOWN_BYTES ? `…[${length} bytes]` : '';
    const note = addressNote(place, fileOffset);
    this.evidence.push({
      location: `${this.match.namespace}:${this.match.rule}`,
      text: `${identifier} ${renderBytes(data.subarray(0, SHOWN_BYTES))}${more}`,
      offset: fileOffset,
      ...(note === undefined ? {} : { note }),
    });
  }

  /** `type` picks the step when the rule's meta names none (see stepOf). */
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
