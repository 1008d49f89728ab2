import type { CellValue } from '../../formats/biff/index.js';

/**
 * Runtime values of the XLM emulator: Excel's scalar types, references (what GOTO, RUN and FORMULA
 * take), and UNKNOWN for what static analysis cannot know (a file read, a DLL's return value).
 */

export class XlError {
  constructor(readonly code: string) {}
}

export interface XlRef {
  readonly k: 'ref';
  readonly sheet: string;
  readonly row: number;
  readonly col: number;
  readonly row2: number;
  readonly col2: number;
}

export const UNKNOWN = Symbol('unknown');
export const EMPTY = Symbol('empty');

export type XlValue = number | string | boolean | XlError | XlRef | typeof UNKNOWN | typeof EMPTY;

export const isRef = (v: XlValue): v is XlRef => typeof v === 'object' && v !== null && 'k' in v;
export const isKnown = (v: XlValue): boolean => v !== UNKNOWN;

export function fromCell(value: CellValue | undefined): XlValue {
  if (value === undefined) return EMPTY;
  if (typeof value === 'object') return new XlError(value.error);
  return value;
}

/** A number as Excel's General format shows it: up to 15 significant digits, no trailing zeros. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '#NUM!';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return String(Number(n.toPrecision(15)))
    .replace(/e\+?/, 'E+')
    .replace('E+-', 'E-');
}

/** Text of a scalar, or undefined when it has none (unknown, reference, error). */
export function asText(v: XlValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v === EMPTY) return '';
  return undefined;
}

export function asNumber(v: XlValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === EMPTY) return 0;
  if (typeof v === 'string' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) {
    return Number(v);
  }
  return undefined;
}

export function asBool(v: XlValue): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v === EMPTY) return false;
  if (typeof v === 'string' && /^(TRUE|FALSE)$/i.test(v)) return /^TRUE$/i.test(v);
  return undefined;
}

/** How a value reads in evidence: strings quoted as in a formula, unknowns as `?`. */
export function describe(v: XlValue): string {
  if (typeof v === 'string') return `"${v.replace(/"/g, '""')}"`;
  if (v === UNKNOWN) return '?';
  if (v instanceof XlError) return v.code;
  if (isRef(v)) return `${v.sheet}!R${v.row + 1}C${v.col + 1}`;
  return asText(v) ?? '?';
}
