import type { Emulator, EvalCtx } from './emulator.js';
import type { Node } from './formula.js';
import type { XlmSheet } from './model.js';
import { asBool, asNumber, isRef, UNKNOWN, type XlRef, type XlValue } from './values.js';

/**
 * Control flow of a running macro (Excel 4.0 macro functions reference): execution goes down the
 * column from the entry cell, skipping constants and blanks, until HALT, RETURN at the top level,
 * CLOSE/QUIT, or the end of the column. GOTO jumps, RUN calls (RETURN comes back), block IF /
 * ELSE.IF / ELSE / END.IF and FOR / FOR.CELL / WHILE / NEXT / BREAK work on the rows of the column.
 */

export type Control =
  | { kind: 'halt' }
  | { kind: 'goto'; ref: XlRef }
  | { kind: 'run'; ref: XlRef }
  | { kind: 'return' };

interface Pos {
  sheet: XlmSheet;
  row: number;
  col: number;
}

type Loop = Pos &
  (
    | { kind: 'for'; name: string; end: number; step: number }
    | { kind: 'while' }
    | { kind: 'forcell'; name: string; cells: XlRef[]; index: number }
  );

export const MAX_CALL_DEPTH = 64;
const MAX_LOOP_DEPTH = 64;
const MAX_FOR_CELLS = 4096;
const BLOCK_STATEMENTS = new Set([
  'IF',
  'ELSE',
  'ELSE.IF',
  'END.IF',
  'FOR',
  'FOR.CELL',
  'WHILE',
  'NEXT',
  'BREAK',
]);

export function runFrom(em: Emulator, entry: XlRef): void {
  const first = em.sheet(entry.sheet);
  if (!first) return;
  const pos: Pos = { sheet: first, row: entry.row, col: entry.col };
  const calls: Pos[] = [];
  const loops: Loop[] = [];
  let isElseIfPending = false;
  const jump = (to: Pos | undefined): boolean => {
    if (!to) return false;
    Object.assign(pos, to);
    return true;
  };
  const toRef = (ref: XlRef): Pos | undefined => {
    const sheet = em.sheet(ref.sheet);
    return sheet && { sheet, row: ref.row, col: ref.col };
  };
  while (em.tick()) {
    const { sheet, row, col } = pos;
    const formula = em.formulaAt(sheet, row, col);
    if (formula === undefined) {
      if (row >= em.lastRow(sheet, col) && !jump(calls.pop())) return;
      if (row < em.lastRow(sheet, col)) pos.row++;
      continue;
    }
    em.markExecuted(sheet, row, col);
    const ctx: EvalCtx = { sheet, row, col, mode: 'run', isSpeculative: false, depth: 0, formula };
    const root = em.parse(sheet, row, col, formula);
    if (isBlockStatement(root)) {
      const block = blockStatement(em, root, ctx, loops, isElseIfPending);
      isElseIfPending = block.isElseIfPending;
      if (block.next === undefined) return;
      pos.row = block.next.row;
      if (block.next.sheet) ((pos.sheet = block.next.sheet), (pos.col = block.next.col!));
      continue;
    }
    em.control = undefined;
    const value = em.evalFormula(ctx, root);
    if (value !== UNKNOWN && !isRef(value)) em.setRuntime(sheet, row, col, value);
    const control = em.control as Control | undefined;
    em.control = undefined;
    if (!control) {
      pos.row++;
      continue;
    }
    if (control.kind === 'halt') return;
    if (control.kind === 'return') {
      if (!jump(calls.pop())) return;
      continue;
    }
    if (control.kind === 'run') {
      if (calls.length >= MAX_CALL_DEPTH) return;
      calls.push({ sheet, row: row + 1, col });
    }
    if (!jump(toRef(control.ref))) return;
  }
}

/** A statement of the block grammar; IF only in its one-argument (block) form. */
function isBlockStatement(node: Node | Error): node is Extract<Node, { k: 'call' }> {
  if (node instanceof Error || node.k !== 'call' || !BLOCK_STATEMENTS.has(node.name)) return false;
  return node.name !== 'IF' || node.args.length === 1;
}

interface BlockResult {
  /** Row to go on with (and a new position for loops jumping back); undefined stops the macro. */
  next: { row: number; sheet?: XlmSheet; col?: number } | undefined;
  isElseIfPending: boolean;
}

function blockStatement(
  em: Emulator,
  root: Extract<Node, { k: 'call' }>,
  ctx: EvalCtx,
  loops: Loop[],
  isElseIfPending: boolean,
): BlockResult {
  const { sheet, row, col } = ctx;
  const arg = (i: number): XlValue => {
    const node = root.args[i];
    return node ? em.value(em.evaluate(node, ctx), ctx) : UNKNOWN;
  };
  const after = (found: number | undefined): BlockResult => ({
    next: found === undefined ? undefined : { row: found + 1 },
    isElseIfPending: false,
  });
  const next = (r: number): BlockResult => ({ next: { row: r }, isElseIfPending: false });
  switch (root.name) {
    case 'IF': {
      // An unknown condition enters the block: what it guards is what the analyst wants to see.
      return asBool(arg(0)) === false ? skipToBranch(em, sheet, row, col) : next(row + 1);
    }
    case 'ELSE.IF':
      if (!isElseIfPending) return after(scan(em, sheet, row, col, ['END.IF']));
      return asBool(arg(0)) === false ? skipToBranch(em, sheet, row, col) : next(row + 1);
    case 'ELSE':
      return after(scan(em, sheet, row, col, ['END.IF']));
    case 'END.IF':
      return next(row + 1);
    case 'FOR': {
      const name = arg(0);
      const [start, end, step] = [
        asNumber(arg(1)),
        asNumber(arg(2)),
        root.args.length > 3 ? asNumber(arg(3)) : 1,
      ];
      if (typeof name !== 'string' || start === undefined || end === undefined || !step) {
        return after(scan(em, sheet, row, col, ['NEXT']));
      }
      em.setVar(name, start);
      if (step > 0 ? start > end : start < end) return after(scan(em, sheet, row, col, ['NEXT']));
      if (loops.length >= MAX_LOOP_DEPTH) return { next: undefined, isElseIfPending: false };
      loops.push({ kind: 'for', sheet, row, col, name: name.toLowerCase(), end, step });
      return next(row + 1);
    }
    case 'FOR.CELL': {
      const name = arg(0);
      const range = root.args[1] ? em.evaluate(root.args[1], ctx) : UNKNOWN;
      const cells = isRef(range) ? cellsOf(range) : [];
      if (typeof name !== 'string' || cells.length === 0)
        return after(scan(em, sheet, row, col, ['NEXT']));
      em.setVar(name, cells[0]!);
      if (loops.length >= MAX_LOOP_DEPTH) return { next: undefined, isElseIfPending: false };
      loops.push({ kind: 'forcell', sheet, row, col, name: name.toLowerCase(), cells, index: 0 });
      return next(row + 1);
    }
    case 'WHILE': {
      const top = loops[loops.length - 1];
      const isHere =
        top?.kind === 'while' && top.sheet === sheet && top.row === row && top.col === col;
      // An unknown condition ends the loop: never spin on what cannot be decided.
      if (asBool(arg(0)) !== true) {
        if (isHere) loops.pop();
        return after(scan(em, sheet, row, col, ['NEXT']));
      }
      if (!isHere) {
        if (loops.length >= MAX_LOOP_DEPTH) return { next: undefined, isElseIfPending: false };
        loops.push({ kind: 'while', sheet, row, col });
      }
      return next(row + 1);
    }
    case 'NEXT':
      return nextIteration(em, loops, row);
    case 'BREAK': {
      const loop = loops.pop();
      if (!loop) return next(row + 1);
      return after(scan(em, loop.sheet, loop.row, loop.col, ['NEXT']));
    }
  }
  return next(row + 1);
}

function nextIteration(em: Emulator, loops: Loop[], row: number): BlockResult {
  const loop = loops[loops.length - 1];
  const done: BlockResult = { next: { row: row + 1 }, isElseIfPending: false };
  if (!loop) return done;
  const back = (r: number): BlockResult => ({
    next: { row: r, sheet: loop.sheet, col: loop.col },
    isElseIfPending: false,
  });
  if (loop.kind === 'while') return back(loop.row);
  if (loop.kind === 'for') {
    const value = (asNumber(em.vars.get(loop.name) ?? 0) ?? 0) + loop.step;
    if (loop.step > 0 ? value > loop.end : value < loop.end) {
      loops.pop();
      return done;
    }
    em.setVar(loop.name, value);
    return back(loop.row + 1);
  }
  if (++loop.index >= loop.cells.length) {
    loops.pop();
    return done;
  }
  em.setVar(loop.name, loop.cells[loop.index]!);
  return back(loop.row + 1);
}

/** After a false IF/ELSE.IF: the row after the matching ELSE or END.IF, or the matching ELSE.IF. */
function skipToBranch(em: Emulator, sheet: XlmSheet, row: number, col: number): BlockResult {
  const found = scan(em, sheet, row, col, ['ELSE', 'ELSE.IF', 'END.IF']);
  if (found === undefined) return { next: undefined, isElseIfPending: false };
  const node = em.parse(sheet, found, col, em.formulaAt(sheet, found, col) ?? '');
  const isElseIf = !(node instanceof Error) && node.k === 'call' && node.name === 'ELSE.IF';
  return isElseIf
    ? { next: { row: found }, isElseIfPending: true }
    : { next: { row: found + 1 }, isElseIfPending: false };
}

/** The next row below `row` holding one of `targets` at the same block depth. */
function scan(
  em: Emulator,
  sheet: XlmSheet,
  row: number,
  col: number,
  targets: string[],
): number | undefined {
  const isLoopScan = targets.includes('NEXT');
  let depth = 0;
  const last = em.lastRow(sheet, col);
  for (let r = row + 1; r <= last; r++) {
    if (!em.tick()) return undefined;
    const formula = em.formulaAt(sheet, r, col);
    if (formula === undefined) continue;
    const node = em.parse(sheet, r, col, formula);
    if (node instanceof Error || node.k !== 'call') continue;
    const name = node.name;
    const opens = isLoopScan
      ? name === 'FOR' || name === 'FOR.CELL' || name === 'WHILE'
      : name === 'IF' && node.args.length === 1;
    const closes = isLoopScan ? name === 'NEXT' : name === 'END.IF';
    if (depth === 0 && targets.includes(name)) return r;
    if (opens) depth++;
    else if (closes) depth--;
  }
  return undefined;
}

function cellsOf(ref: XlRef): XlRef[] {
  const cells: XlRef[] = [];
  for (let r = ref.row; r <= ref.row2; r++) {
    for (let c = ref.col; c <= ref.col2 && cells.length < MAX_FOR_CELLS; c++) {
      cells.push({ k: 'ref', sheet: ref.sheet, row: r, col: c, row2: r, col2: c });
    }
  }
  return cells;
}
