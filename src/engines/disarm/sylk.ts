import { findDdeFormulas } from '../../formats/msxml-office/index.js';
import { parseSylk, rewriteSylk, type SylkRemoval } from '../../formats/sylk/index.js';
import { AUTOEXEC_NAME } from './ooxml-excel.js';
import type { DisarmOptions, DisarmOutcome, Removal, RemovalKind } from './types.js';

/**
 * SYLK (.slk): Excel opens it as a spreadsheet, runs its cells as Excel 4.0 macros when the file
 * declares a macro sheet (`O;E`) and a name such as Auto_Open points at them (the 2019–2020 SYLK
 * droppers, T1137/T1204.002), and evaluates DDE references in any cell (`=cmd|'/c …'!A0`, T1559.002).
 * The copy keeps every cell's last value (`K`) and loses every formula, name, external link and the
 * macro-sheet flag (formats/sylk `rewriteSylk`); it is parsed again before it is returned.
 */

/** Formulas listed one by one in the outcome; past this, one summary entry (a sheet may have 250k). */
export const MAX_LISTED_SYLK_FORMULAS = 100;

function kindOf(r: SylkRemoval, isMacroSheet: boolean): RemovalKind {
  switch (r.what) {
    case 'formula':
      if (findDdeFormulas(r.text, 1).length > 0) return 'dde-field';
      return isMacroSheet ? 'macro-sheet' : 'other';
    case 'name':
      return AUTOEXEC_NAME.test(r.text) ? 'xlm-auto-name' : 'other';
    case 'external-link':
      return 'external-relationship';
    case 'macro-sheet':
      return 'macro-sheet';
    default:
      return 'other';
  }
}

function detailOf(r: SylkRemoval): string {
  switch (r.what) {
    case 'formula':
      return `formula =${r.text}`;
    case 'name':
      return `name ${r.text}`;
    case 'macro-sheet':
      return `macro sheet option (${r.text})`;
    default:
      return `record ${r.text}`;
  }
}

/**
 * Disarms a SYLK file. Never throws for hostile input except the deadline (LimitError), which the
 * dispatcher turns into `refusal: 'limit'`.
 *
 * @example
 * const outcome = disarmSylk(bytes, { limits: DEFAULT_LIMITS });
 * outcome.removed.map((r) => r.kind) // ['macro-sheet', 'xlm-auto-name', 'macro-sheet', …]
 */
export function disarmSylk(bytes: Uint8Array, options: DisarmOptions): DisarmOutcome {
  const rewrite = rewriteSylk(bytes, {
    ...(options.checkDeadline ? { checkDeadline: options.checkDeadline } : {}),
  });
  // Excel runs the cells as macros with the O;E flag, and an Auto_Open name says they are meant to.
  const isMacroSheet = rewrite.removed.some(
    (r) => r.what === 'macro-sheet' || (r.what === 'name' && AUTOEXEC_NAME.test(r.text)),
  );
  if (rewrite.removed.length === 0) {
    return { status: 'unchanged', output: bytes, outputType: 'sylk', removed: [] };
  }
  const removed: Removal[] = [];
  let unlisted = 0;
  let formulas = 0;
  for (const r of rewrite.removed) {
    if (r.what === 'formula' && ++formulas > MAX_LISTED_SYLK_FORMULAS) {
      unlisted++;
      continue;
    }
    removed.push({
      kind: kindOf(r, isMacroSheet),
      location: `line ${r.line}`,
      detail: detailOf(r),
    });
  }
  if (unlisted > 0) {
    removed.push({
      kind: isMacroSheet ? 'macro-sheet' : 'other',
      location: 'cells',
      detail: `${unlisted} more formulas removed (values kept)`,
    });
  }
  // SECURITY: the copy is read back with the same parser the xlm engine uses; anything that still
  // reads as a formula, a name or a macro sheet means the rewrite and the parser disagree.
  const after = parseSylk(rewrite.bytes, {
    maxCells: Number.MAX_SAFE_INTEGER,
    maxNames: Number.MAX_SAFE_INTEGER,
  });
  if (after.isMacroSheet || after.names.length > 0 || after.cells.some((c) => c.formula)) {
    return {
      status: 'refused',
      refusal: 'malformed',
      removed: [],
      reason: 'the rewritten SYLK file still reads as holding formulas, names or a macro sheet',
    };
  }
  return { status: 'disarmed', output: rewrite.bytes, outputType: 'sylk', removed };
}
