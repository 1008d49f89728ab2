import { columnName } from '../../formats/biff/index.js';
import { BUILTINS, type Builtin } from './builtins.js';
import type { Emulator, EvalCtx } from './emulator.js';
import { FormulaSyntaxError, parseFormula, type Node } from './formula.js';
import { ENVIRONMENT_QUERIES } from './environment.js';
import {
  asBool,
  asNumber,
  asText,
  describe,
  EMPTY,
  isRef,
  UNKNOWN,
  XlError,
  type XlRef,
  type XlValue,
} from './values.js';

/**
 * Function calls of the emulator. Functions with side effects are recorded, never performed: EXEC
 * and CALL/REGISTER become events with their evaluated arguments; FORMULA, SET.VALUE and SET.NAME
 * change the emulated workbook; GOTO, RUN, HALT, RETURN and CLOSE steer the run. Window and
 * application commands (ALERT, WAIT, APP.MAXIMIZE …) do nothing and succeed.
 */

type Special = (em: Emulator, args: Node[], ctx: EvalCtx) => XlValue;

/** Cells one FORMULA.FILL writes. */
export const MAX_FILL_CELLS = 256;

/** Commands with no effect on what a dropper computes: they return TRUE, as in a real run. */
const NOOP_COMMANDS = new Set(
  (
    'ALERT ECHO WAIT BEEP MESSAGE APP.MAXIMIZE APP.MINIMIZE APP.RESTORE APP.TITLE WINDOW.TITLE HIDE ' +
    'UNHIDE WORKBOOK.HIDE WORKBOOK.UNHIDE WORKBOOK.ACTIVATE WORKBOOK.SELECT SELECT ACTIVATE ' +
    'WINDOW.MINIMIZE WINDOW.MAXIMIZE WINDOW.RESTORE FILE.DELETE FCLOSE CANCEL.KEY ERROR ' +
    'DISABLE.INPUT SAVE SAVE.AS SET.UPDATE.STATUS VOLATILE SHOW.BAR ON.KEY ON.WINDOW ON.SHEET FULL ' +
    'PAUSE STEP RESUME UNREGISTER'
  ).split(' '),
);

const canAct = (ctx: EvalCtx) => ctx.mode !== 'pure' && !ctx.isSpeculative;
const canSteer = (ctx: EvalCtx) => ctx.mode === 'run' && !ctx.isSpeculative && ctx.depth === 0;

export function callFunction(
  em: Emulator,
  node: Extract<Node, { k: 'call' }>,
  ctx: EvalCtx,
): XlValue {
  const special = SPECIAL_BY_NAME.get(node.name);
  if (special) return special(em, node.args, ctx);
  const args = values(em, node.args, ctx);
  const builtin = BUILTIN_BY_NAME.get(node.name);
  if (builtin) return builtin(args, em.options.maxStringChars);
  if (NOOP_COMMANDS.has(node.name)) return true;
  const api = em.registered.get(node.name.toLowerCase());
  if (api) return apiCall(em, ctx, api, args);
  return UNKNOWN;
}

function values(em: Emulator, args: Node[], ctx: EvalCtx): XlValue[] {
  const out: XlValue[] = [];
  for (const a of args) out.push(em.value(em.evaluate(a, ctx), ctx));
  return out;
}

function text(v: XlValue): string {
  return asText(v) ?? describe(v);
}

/** A reference from a node: a reference itself, a name bound to one, or reference text. */
function refOf(em: Emulator, node: Node | undefined, ctx: EvalCtx): XlRef | undefined {
  if (!node) return undefined;
  const v = em.evaluate(node, ctx);
  if (isRef(v)) return v;
  const s = asText(v);
  return s === undefined ? undefined : refFromText(em, s, ctx);
}

function refFromText(em: Emulator, s: string, ctx: EvalCtx): XlRef | undefined {
  try {
    const parsed = parseFormula(s, { row: ctx.row, col: ctx.col }, true);
    const v = em.evaluate(parsed, { ...ctx, mode: 'pure', depth: ctx.depth + 1 });
    return isRef(v) ? v : undefined;
  } catch (error) {
    if (error instanceof FormulaSyntaxError) return undefined;
    throw error;
  }
}

function apiCall(
  em: Emulator,
  ctx: EvalCtx,
  api: { dll: string; fn: string },
  args: XlValue[],
): XlValue {
  const shown = args.map(text);
  em.event('call', ctx, `${api.dll}!${api.fn}(${args.map(describe).join(', ')})`, shown, api);
  return UNKNOWN;
}

const steer = (control: Emulator['control']) => (em: Emulator, ctx: EvalCtx) => {
  if (canSteer(ctx)) em.control ??= control;
  return true;
};
const halt = steer({ kind: 'halt' });

const SPECIAL: Readonly<Record<string, Special>> = {
  IF: (em, args, ctx) => {
    const cond = args[0] ? em.value(em.evaluate(args[0], ctx), ctx) : EMPTY;
    const b = cond === UNKNOWN ? undefined : asBool(cond);
    const branch = (i: number, inner: EvalCtx) => {
      const node = args[i];
      return node && node.k !== 'missing' ? em.evaluate(node, inner) : b ? true : false;
    };
    if (b === undefined) {
      // Both branches are looked at, effects recorded but not steering: the guard is unknown.
      const spec = { ...ctx, isSpeculative: true };
      branch(1, spec);
      branch(2, spec);
      return UNKNOWN;
    }
    return branch(b ? 1 : 2, ctx);
  },
  IFERROR: (em, args, ctx) => {
    const v = args[0] ? em.value(em.evaluate(args[0], ctx), ctx) : EMPTY;
    return v instanceof XlError && args[1] ? em.value(em.evaluate(args[1], ctx), ctx) : v;
  },
  ROW: (em, args, ctx) => (args[0] ? (refOf(em, args[0], ctx)?.row ?? -1) + 1 : ctx.row + 1),
  COLUMN: (em, args, ctx) => (args[0] ? (refOf(em, args[0], ctx)?.col ?? -1) + 1 : ctx.col + 1),
  ROWS: (em, args, ctx) => {
    const ref = refOf(em, args[0], ctx);
    return ref ? ref.row2 - ref.row + 1 : UNKNOWN;
  },
  COLUMNS: (em, args, ctx) => {
    const ref = refOf(em, args[0], ctx);
    return ref ? ref.col2 - ref.col + 1 : UNKNOWN;
  },
  INDIRECT: (em, args, ctx) => refOf(em, args[0], ctx) ?? new XlError('#REF!'),
  TEXTREF: (em, args, ctx) => refOf(em, args[0], ctx) ?? new XlError('#REF!'),
  DEREF: (em, args, ctx) => (args[0] ? em.value(em.evaluate(args[0], ctx), ctx) : EMPTY),
  OFFSET: (em, args, ctx) => {
    const ref = refOf(em, args[0], ctx);
    const [dr, dc] = values(em, args.slice(1, 3), ctx).map((v) => asNumber(v));
    if (!ref || dr === undefined || dc === undefined) return UNKNOWN;
    const row = ref.row + dr;
    const col = ref.col + dc;
    return row < 0 || col < 0 ? new XlError('#REF!') : { ...ref, row, col, row2: row, col2: col };
  },
  REFTEXT: (em, args, ctx) => {
    const ref = refOf(em, args[0], ctx);
    return ref ? `${ref.sheet}!R${ref.row + 1}C${ref.col + 1}` : UNKNOWN;
  },
  ADDRESS: (em, args, ctx) => {
    const [row, col] = values(em, args.slice(0, 2), ctx).map((v) => asNumber(v));
    if (row === undefined || col === undefined || row < 1 || col < 1) return UNKNOWN;
    return `$${columnName(col - 1)}$${row}`;
  },
  EVALUATE: (em, args, ctx) => {
    const source = args[0] ? asText(em.value(em.evaluate(args[0], ctx), ctx)) : undefined;
    if (source === undefined || ctx.depth >= 32) return UNKNOWN;
    try {
      return em.evaluate(parseFormula(source, { row: ctx.row, col: ctx.col }, true), {
        ...ctx,
        depth: ctx.depth + 1,
      });
    } catch (error) {
      if (error instanceof FormulaSyntaxError) return UNKNOWN;
      throw error;
    }
  },
  'GET.FORMULA': (em, args, ctx) => {
    const ref = refOf(em, args[0], ctx);
    const sheet = ref && em.sheet(ref.sheet);
    if (!ref || !sheet) return UNKNOWN;
    const formula = em.formulaAt(sheet, ref.row, ref.col);
    return formula === undefined ? text(em.value(ref, ctx)) : `=${formula}`;
  },
  'GET.NAME': (em, args, ctx) => {
    const name = args[0] ? asText(em.value(em.evaluate(args[0], ctx), ctx)) : undefined;
    const found =
      name &&
      em.book.names.find((n) => n.name.toLowerCase() === name.replace(/^!/, '').toLowerCase());
    return found ? `=${found.formula}` : UNKNOWN;
  },
  CALLER: () => UNKNOWN,
  'ACTIVE.CELL': () => UNKNOWN,
  SELECTION: () => UNKNOWN,
  'SET.VALUE': (em, args, ctx) => {
    const ref = refOf(em, args[0], ctx);
    const v = args[1] ? em.value(em.evaluate(args[1], ctx), ctx) : EMPTY;
    const sheet = ref && em.sheet(ref.sheet);
    if (ref && sheet && canAct(ctx)) em.setRuntime(sheet, ref.row, ref.col, v);
    return true;
  },
  'SET.NAME': (em, args, ctx) => setName(em, args, ctx),
  'DEFINE.NAME': (em, args, ctx) => setName(em, args, ctx),
  FORMULA: (em, args, ctx) => formula(em, args, ctx, 1),
  'FORMULA.ARRAY': (em, args, ctx) => formula(em, args, ctx, 1),
  'FORMULA.FILL': (em, args, ctx) => formula(em, args, ctx, MAX_FILL_CELLS),
  EXEC: (em, args, ctx) => {
    const [command, ...rest] = values(em, args, ctx);
    if (ctx.mode === 'pure') return UNKNOWN;
    const shown = text(command ?? EMPTY);
    em.event('exec', ctx, shown, [shown, ...rest.map(text)]);
    return UNKNOWN;
  },
  CALL: (em, args, ctx) => {
    const vals = values(em, args, ctx);
    if (ctx.mode === 'pure') return UNKNOWN;
    const id = asNumber(vals[0] ?? EMPTY);
    const registered =
      typeof vals[0] === 'number' && id !== undefined ? em.registerIds.get(id) : undefined;
    if (registered) return apiCall(em, ctx, registered, vals.slice(1));
    const api = { dll: text(vals[0] ?? EMPTY), fn: text(vals[1] ?? EMPTY) };
    return apiCall(em, ctx, api, vals.slice(3));
  },
  REGISTER: (em, args, ctx) => register(em, args, ctx, true),
  'REGISTER.ID': (em, args, ctx) => register(em, args, ctx, false),
  FOPEN: (em, args, ctx) => {
    const [path] = values(em, args, ctx);
    if (!canAct(ctx)) return UNKNOWN;
    const handle = em.files.size + 1;
    em.files.set(handle, { path: text(path ?? EMPTY), data: '' });
    return handle;
  },
  FWRITE: (em, args, ctx) => fileWrite(em, args, ctx, ''),
  FWRITELN: (em, args, ctx) => fileWrite(em, args, ctx, '\r\n'),
  FREAD: () => UNKNOWN,
  FREADLN: () => UNKNOWN,
  GOTO: (em, args, ctx) => {
    const ref = refOf(em, args[0], ctx);
    if (ref && canSteer(ctx)) em.control ??= { kind: 'goto', ref };
    return true;
  },
  RUN: (em, args, ctx) => {
    const ref = refOf(em, args[0], ctx);
    if (ref && canSteer(ctx)) em.control ??= { kind: 'run', ref };
    return true;
  },
  'ON.TIME': (em, args, ctx) => {
    const ref = refOf(em, args[1], ctx);
    if (ref && canSteer(ctx) && em.deferred.length < 16) em.deferred.push(ref);
    return true;
  },
  RETURN: (em, args, ctx) => {
    const v = args[0] ? em.value(em.evaluate(args[0], ctx), ctx) : EMPTY;
    if (canSteer(ctx)) em.control ??= { kind: 'return' };
    return v;
  },
  HALT: (em, _args, ctx) => halt(em, ctx),
  CLOSE: (em, _args, ctx) => halt(em, ctx),
  QUIT: (em, _args, ctx) => halt(em, ctx),
  'FILE.CLOSE': (em, _args, ctx) => halt(em, ctx),
  ...ENVIRONMENT_QUERIES,
};

// Maps: one hashed lookup per call, where the tables as objects (dotted keys, 100+ entries) are
// dictionaries read through a generic keyed load.
const SPECIAL_BY_NAME: ReadonlyMap<string, Special> = new Map(Object.entries(SPECIAL));
const BUILTIN_BY_NAME: ReadonlyMap<string, Builtin> = new Map(Object.entries(BUILTINS));

function setName(em: Emulator, args: Node[], ctx: EvalCtx): XlValue {
  const name = args[0] ? asText(em.value(em.evaluate(args[0], ctx), ctx)) : undefined;
  const v = args[1] ? em.evaluate(args[1], ctx) : EMPTY;
  if (name && canAct(ctx)) em.setVar(name, v);
  return true;
}

function formula(em: Emulator, args: Node[], ctx: EvalCtx, maxCells: number): XlValue {
  const value = args[0] ? em.value(em.evaluate(args[0], ctx), ctx) : EMPTY;
  const target = refOf(em, args[1], ctx);
  if (ctx.mode === 'pure') return UNKNOWN;
  const shown = text(value);
  if (!target || ctx.isSpeculative || value === UNKNOWN) {
    em.event('formula-write', ctx, `${target ? describe(target) : '(active cell)'} ← ${shown}`, [
      shown,
    ]);
    return true;
  }
  let written = 0;
  for (let r = target.row; r <= target.row2 && written < maxCells; r++) {
    for (let c = target.col; c <= target.col2 && written < maxCells; c++, written++) {
      em.write({ ...target, row: r, col: c, row2: r, col2: c }, value, ctx);
    }
  }
  return true;
}

function register(em: Emulator, args: Node[], ctx: EvalCtx, isNamed: boolean): XlValue {
  const vals = values(em, args, ctx);
  if (ctx.mode === 'pure') return UNKNOWN;
  const api = { dll: text(vals[0] ?? EMPTY), fn: text(vals[1] ?? EMPTY) };
  const alias = isNamed ? asText(vals[3] ?? EMPTY) : undefined;
  em.event(
    'register',
    ctx,
    `${api.dll}!${api.fn}${alias ? ` as ${alias}` : ''}`,
    vals.map(text),
    api,
  );
  const id = em.nextRegisterId++;
  em.registerIds.set(id, api);
  if (alias) em.registered.set(alias.toLowerCase(), api);
  return id;
}

function fileWrite(em: Emulator, args: Node[], ctx: EvalCtx, suffix: string): XlValue {
  const [handle, data] = values(em, args, ctx);
  if (ctx.mode === 'pure') return UNKNOWN;
  const file = em.files.get(asNumber(handle ?? EMPTY) ?? -1);
  const written = text(data ?? EMPTY) + suffix;
  if (file && file.data.length < em.options.maxStringChars) file.data += written;
  em.event('file-write', ctx, `${file?.path ?? '?'} ← ${written}`, [file?.path ?? '?', written]);
  return written.length;
}
