import type { Evidence, ExtractedPart, Finding } from '../../core/index.js';
import {
  emotetConfigOutput,
  type C2Table,
  type ConfigFinds,
  type ExtractedKey,
  type KnownEpochKey,
} from '../../engines/emotet-config/index.js';
import {
  attackOf,
  renderBytes,
  severityOf,
  stepOf,
  yaraMatch,
  type YaraRuleMatch,
} from '../../engines/yara/index.js';

/** Where a scanned range of a large file sits: file offset and, in process memory, its address. */
export interface RangePlace {
  fileOffset: number;
  size: number;
  /** Virtual address of the range's first byte (minidump, CAPE dump). */
  va?: bigint;
  /** `PAGE_EXECUTE_READWRITE MEM_PRIVATE` … */
  protection?: string;
}

const SHOWN_BYTES = 64;

/** `va 0x…, PROT, region 0x…+0x…` for a file offset inside `place`; undefined for raw images. */
export function addressNote(place: RangePlace | undefined, fileOffset: number): string | undefined {
  if (place?.va === undefined) return undefined;
  const va = `va 0x${(place.va + BigInt(fileOffset - place.fileOffset)).toString(16)}`;
  const region = `region 0x${place.va.toString(16)}+0x${place.size.toString(16)}`;
  return [va, place.protection, region].filter(Boolean).join(', ');
}

/**
 * One rule's occurrences over every chunk of a large file, as the yara engine reports them for an
 * artifact in memory (one `yara.match` finding per rule; severity, step and ATT&CK ids from meta).
 */
export class LargeRuleHits {
  private readonly evidence: Evidence[] = [];
  private count = 0;
  private readonly ranges = new Set<number>();

  constructor(
    private readonly match: Omit<YaraRuleMatch, 'strings'>,
    private readonly maxEvidence: number,
  ) {}

  /** `data` is the matched bytes (at most SHOWN_BYTES are rendered), `fileOffset` absolute. */
  add(identifier: string, length: number, data: Uint8Array, fileOffset: number, place: RangePlace) {
    this.count++;
    this.ranges.add(place.fileOffset);
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

  /** Condition-only rules (no pattern occurrences) still count as matched. */
  touch(place: RangePlace): void {
    this.ranges.add(place.fileOffset);
  }

  toFinding(): Finding {
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
      // Memory (a dump, a raw image) is the infected host: step 6 unless the rule says otherwise.
      step: stepOf(meta.step, 'minidump'),
      attack: attack.known,
    };
  }
}

/** Tables kept for one large file (each chunk yields at most MAX_C2_TABLES plain and as many XOR). */
export const MAX_LARGE_C2_TABLES = 64;

/**
 * The Emotet configuration over every chunk of a large file: the engine's chunk scan
 * (`scanConfigChunk`) reports each table and key once, at file offsets, so the merge is a
 * concatenation (an offset seen twice is ignored all the same); the output is the engine's own
 * (`emotetConfigOutput`: the epoch guess from the keys and each table's encoding, virtual addresses
 * for dump regions).
 */
export class LargeEmotetConfig {
  private readonly tables: C2Table[] = [];
  private readonly keys = new Map<number, ExtractedKey>();
  private readonly tableOffsets = new Set<number>();
  private dropped = 0;

  add(finds: ConfigFinds): void {
    for (const table of finds.tables) {
      if (this.tableOffsets.has(table.offset)) continue;
      if (this.tables.length >= MAX_LARGE_C2_TABLES) {
        this.dropped++;
        continue;
      }
      this.tableOffsets.add(table.offset);
      this.tables.push(table);
    }
    // SECURITY: keys come only with a table, and are bounded like tables.
    for (const key of finds.keys) {
      if (this.keys.size < 4 * MAX_LARGE_C2_TABLES && !this.keys.has(key.offset))
        this.keys.set(key.offset, key);
    }
  }

  /** `placeAt` finds the range (and its address) a file offset belongs to. */
  toOutput(
    placeAt: (fileOffset: number) => RangePlace | undefined,
    epochKeys?: readonly KnownEpochKey[],
  ): { finding: Finding; extracted: ExtractedPart } | undefined {
    if (this.tables.length === 0) return undefined;
    const tables = this.tables; // chunk order: file order, plain before XOR within a chunk
    const keys = [...this.keys.values()].sort((a, b) => a.offset - b.offset);
    const out = emotetConfigOutput(
      { tables, keys },
      {
        addressOf: (offset) => {
          const place = placeAt(offset);
          if (place?.va === undefined) return undefined;
          return `0x${(place.va + BigInt(offset - place.fileOffset)).toString(16)}`;
        },
        ...(epochKeys ? { epochKeys } : {}),
        droppedTables: this.dropped,
      },
    );
    const finding = out.findings?.[0];
    return finding && out.extracted ? { finding, extracted: out.extracted } : undefined;
  }
}
