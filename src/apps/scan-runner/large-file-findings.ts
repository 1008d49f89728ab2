import type { ExtractedPart, Finding } from '../../core/index.js';
import {
  emotetConfigOutput,
  type C2Table,
  type ConfigFinds,
  type ExtractedKey,
  type KnownEpochKey,
} from '../../engines/emotet-config/index.js';
import type { RangeAddress } from '../../engines/yara/index.js';

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
    placeAt: (fileOffset: number) => RangeAddress | undefined,
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
