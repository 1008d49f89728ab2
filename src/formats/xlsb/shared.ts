import type { Anomaly } from '../../core/index.js';
import type { Cursor } from '../biff/index.js';

/**
 * BIFF12 shared and array formulas ([MS-XLSB] 2.4.789 BrtShrFmla, 2.4.5 BrtArrFmla): the record
 * follows the anchor cell's BrtFmla*, and every cell of its range holds only a PtgExp (2.5.97.50)
 * naming the anchor's row. A cell is resolved against the range that holds it; a range is found by
 * its first row, then scanned for the cell's column.
 */
export interface SharedFormula {
  rwFirst: number;
  rwLast: number;
  colFirst: number;
  colLast: number;
  rgce: Uint8Array;
  rgcb: Uint8Array | undefined;
}

/** Shared and array formulas kept per sheet part; Excel writes a few hundred in a big sheet. */
export const MAX_SHARED_FORMULAS = 4096;
/** Ranges starting on one row examined for one cell, so that a lookup stays bounded. */
const MAX_RANGES_PER_ROW_SCANNED = 64;

export class SharedFormulas {
  private readonly byRow = new Map<number, SharedFormula[]>();
  private count = 0;

  constructor(
    private readonly anomalies: Anomaly[],
    private readonly location: string,
    private readonly max = MAX_SHARED_FORMULAS,
  ) {}

  /** Reads BrtShrFmla or BrtArrFmla (`isArray`: one flags byte before the formula). */
  take(cur: Cursor, isArray: boolean, offset: number): void {
    if (this.count >= this.max) {
      if (this.count++ === this.max) {
        this.anomalies.push({
          code: 'E_XLSB_SHARED_FORMULA_LIMIT',
          message: `more than ${this.max} shared or array formulas in the sheet; the rest are not resolved`,
          offset,
          location: this.location,
        });
      }
      return;
    }
    const rwFirst = cur.u32('rwFirst');
    const rwLast = cur.u32('rwLast');
    const colFirst = cur.u32('colFirst');
    const colLast = cur.u32('colLast');
    if (isArray) cur.u8('fAlwaysCalc');
    const rgce = cur.bytes(cur.u32('cce'), 'rgce');
    const rgcb = cur.left >= 4 ? cur.bytes(Math.min(cur.u32('cb'), cur.left), 'rgcb') : undefined;
    const list = this.byRow.get(rwFirst) ?? [];
    list.push({ rwFirst, rwLast, colFirst, colLast, rgce, rgcb });
    this.byRow.set(rwFirst, list);
    this.count++;
  }

  /** The range anchored on `anchorRow` that holds the cell (row, col). */
  find(anchorRow: number, row: number, col: number): SharedFormula | undefined {
    const list = this.byRow.get(anchorRow);
    if (!list) return undefined;
    const n = Math.min(list.length, MAX_RANGES_PER_ROW_SCANNED);
    for (let i = 0; i < n; i++) {
      const f = list[i]!;
      if (row >= f.rwFirst && row <= f.rwLast && col >= f.colFirst && col <= f.colLast) return f;
    }
    return undefined;
  }
}
