import { cellName } from '../../formats/biff/index.js';
import { callFunction } from './calls.js';
import { FormulaSyntaxError, parseFormula, type Node } from './formula.js';
import { cellKey, type XlmBook, type XlmSheet } from './model.js';
import { runFrom, type Control } from './runner.js';
import {
  asBool,
  asNumber,
  asText,
  EMPTY,
  fromCell,
  isRef,
  UNKNOWN,
  XlError,
  type XlRef,
  type XlValue,
} from './values.js';

/**
 * An Excel 4.0 macro emulator, far enough to recover what obfuscated droppers hide: it follows the
 * macro from each Auto_Open cell down its column (GOTO, RUN, RETURN, block IF, FOR/WHILE/NEXT),
 * applies FORMULA/FORMULA.FILL/SET.VALUE/SET.NAME writes so that cells built at run time run too,
 * answers sandbox checks (GET.WORKSPACE, GET.WINDOW) as a normal desktop would, and records every
 * side effect (EXEC, CALL/REGISTER of Win32 APIs, file writes) with its evaluated arguments instead
 * of performing it. A static sweep then evaluates the formula cells the run never reached.
 * Everything is bounded: steps, string sizes, events, reference depth, loop and call nesting.
 */

export type EventKind = 'exec' | 'call' | 'register' | 'formula-write' | 'sandbox' | 'file-write';

export interface XlmEvent {
  kind: EventKind;
  sheet: string;
  /** A1 address of the cell whose formula did it. */
  cell: string;
  formula: string;
  /** The evaluated command, API, written formula or check. */
  text: string;
  args: string[];
  dll?: string;
  fn?: string;
  /** Reached by emulation from an auto-run name (rather than found by the static sweep). */
  isFromAutoexec: boolean;
}

export interface EmulatorOptions {
  maxSteps: number;
  maxStringChars: number;
  maxEvents: number;
  /** Default MAX_RETAINED_CHARS. */
  maxRetainedChars?: number;
  checkDeadline(): void;
}

export interface EvalCtx {
  sheet: XlmSheet;
  row: number;
  col: number;
  mode: 'run' | 'sweep' | 'pure';
  isSpeculative: boolean;
  /** Cells followed to get here (reference depth). */
  depth: number;
  formula: string;
}

export const MAX_EMULATOR_STEPS = 100_000;
/**
 * Characters of computed strings the emulator keeps (cell values, names, memos, events): a sheet of
 * `=REPT("A",1E6)` cells must not keep gigabytes alive. Past it, new strings are used but not kept.
 */
export const MAX_RETAINED_CHARS = 16 * 1024 * 1024;
/** Characters of one event's text or argument (a long -EncodedCommand fits). */
const MAX_EVENT_CHARS = 256 * 1024;
export const MAX_EVENTS = 1_000;
/** Cells followed to read one value (A1 reads B1 reads C1 …); deeper reads take the cached value. */
export const MAX_REF_DEPTH = 32;
const MAX_STRINGS = 5_000;

export class Emulator {
  readonly events: XlmEvent[] = [];
  readonly written: { sheet: string; cell: string; formula: string }[] = [];
  readonly strings = new Set<string>();
  private readonly executedCells = new Map<XlmSheet, Set<number>>();
  steps = 0;
  isBudgetSpent = false;
  /** The retained-characters budget ran out: some values were not kept (results may be partial). */
  isMemorySpent = false;
  private retainedChars = 0;
  control: Control | undefined;
  isAutoexecRun = false;
  readonly vars = new Map<string, XlValue>();
  readonly registered = new Map<string, { dll: string; fn: string }>();
  readonly files = new Map<number, { path: string; data: string }>();
  private readonly sheetsByName = new Map<string, XlmSheet>();
  private readonly overlay = new Map<XlmSheet, Map<number, string>>();
  private readonly runtime = new Map<XlmSheet, Map<number, XlValue>>();
  private readonly parsed = new Map<
    XlmSheet,
    Map<number, { formula: string; node?: Node | FormulaSyntaxError }>
  >();
  private parsedCount = 0;
  private readonly namesParsed = new Map<string, Node | FormulaSyntaxError>();
  private readonly pureMemo = new Map<string, { generation: number; value: XlValue }>();
  private readonly evaluating = new Set<string>();
  private generation = 0;
  private readonly eventKeys = new Set<string>();
  private readonly lastRows = new Map<XlmSheet, Map<number, number>>();
  /** Macros scheduled by ON.TIME, run after the current one. */
  readonly deferred: XlRef[] = [];
  nextRegisterId = 1;
  readonly registerIds = new Map<number, { dll: string; fn: string }>();

  constructor(
    readonly book: XlmBook,
    readonly options: EmulatorOptions,
  ) {
    for (const sheet of book.sheets) this.sheetsByName.set(sheet.name.toLowerCase(), sheet);
  }

  sheet(name: string): XlmSheet | undefined {
    return this.sheetsByName.get(name.toLowerCase());
  }

  /** Counts one unit of work; false once the step budget is spent. */
  tick(): boolean {
    if (++this.steps > this.options.maxSteps) {
      this.isBudgetSpent = true;
      return false;
    }
    if ((this.steps & 0xff) === 0) this.options.checkDeadline();
    return true;
  }

  formulaAt(sheet: XlmSheet, row: number, col: number): string | undefined {
    const key = cellKey(row, col);
    return this.overlay.get(sheet)?.get(key) ?? sheet.cells.get(key)?.formula;
  }

  /** Last row holding anything in a column, static or written at run time. */
  lastRow(sheet: XlmSheet, col: number): number {
    let columns = this.lastRows.get(sheet);
    if (!columns) {
      columns = new Map();
      for (const cell of sheet.cells.values()) {
        columns.set(cell.col, Math.max(columns.get(cell.col) ?? -1, cell.row));
      }
      this.lastRows.set(sheet, columns);
    }
    return columns.get(col) ?? -1;
  }

  /** Every formula cell of a sheet (static and written), column by column as macros run. */
  formulaCells(sheet: XlmSheet): { row: number; col: number }[] {
    const keys = new Set<number>();
    for (const [key, cell] of sheet.cells) if (cell.formula !== undefined) keys.add(key);
    for (const key of this.overlay.get(sheet)?.keys() ?? []) keys.add(key);
    return [...keys]
      .map((key) => ({ row: Math.floor(key / 16384), col: key % 16384 }))
      .sort((a, b) => a.col - b.col || a.row - b.row);
  }

  /**
   * The syntax tree of a cell's formula. Trees are kept only for cells evaluated a second time (loops,
   * cells read by others): caching every tree of a 20,000-formula sheet costs more in garbage
   * collection than parsing each once. `isKept` keeps the tree at once: a cell read by another is
   * evaluated again by the sweep unless a run reaches it.
   */
  parse(
    sheet: XlmSheet,
    row: number,
    col: number,
    formula: string,
    isKept = false,
  ): Node | FormulaSyntaxError {
    let cells = this.parsed.get(sheet);
    if (!cells) this.parsed.set(sheet, (cells = new Map()));
    const key = cellKey(row, col);
    const hit = cells.get(key);
    if (hit?.node && hit.formula === formula) return hit.node;
    const node = parseOrError(formula, row, col, this.book.format === 'sylk');
    if (hit || this.parsedCount++ < 200_000)
      cells.set(key, isKept || hit?.formula === formula ? { formula, node } : { formula });
    return node;
  }

  /** Marks a cell as run (or swept); false when it already was. */
  markExecuted(sheet: XlmSheet, row: number, col: number): boolean {
    let cells = this.executedCells.get(sheet);
    if (!cells) this.executedCells.set(sheet, (cells = new Set()));
    const key = cellKey(row, col);
    if (cells.has(key)) return false;
    cells.add(key);
    return true;
  }

  isExecuted(sheet: XlmSheet, row: number, col: number): boolean {
    return this.executedCells.get(sheet)?.has(cellKey(row, col)) ?? false;
  }

  /** Writes a formula (text starting with `=`) or a constant into a cell, as FORMULA() does. */
  write(ref: XlRef, value: XlValue, ctx: EvalCtx): void {
    const sheet = this.sheet(ref.sheet);
    if (!sheet) return;
    const key = cellKey(ref.row, ref.col);
    const text = asText(value);
    this.generation++;
    if (text !== undefined && text.startsWith('=')) {
      const formula = text.slice(1, this.options.maxStringChars + 1);
      let cells = this.overlay.get(sheet);
      if (!cells) this.overlay.set(sheet, (cells = new Map()));
      cells.set(key, formula);
      this.lastRow(sheet, ref.col);
      const columns = this.lastRows.get(sheet)!;
      columns.set(ref.col, Math.max(columns.get(ref.col) ?? -1, ref.row));
      this.runtime.get(sheet)?.delete(key);
      this.executedCells.get(sheet)?.delete(key);
      const cell = cellName(ref.row, ref.col);
      if (this.written.length < this.options.maxEvents) {
        this.written.push({ sheet: sheet.name, cell, formula: `=${formula}` });
      }
      this.event('formula-write', ctx, `${sheet.name}!${cell} ← =${formula}`, []);
      return;
    }
    this.setRuntime(sheet, ref.row, ref.col, value);
  }

  setRuntime(sheet: XlmSheet, row: number, col: number, value: XlValue): void {
    if (value === UNKNOWN || !this.retain(value)) return;
    let values = this.runtime.get(sheet);
    if (!values) this.runtime.set(sheet, (values = new Map()));
    values.set(cellKey(row, col), value);
    this.generation++;
    this.remember(value);
  }

  /** The value of a cell: set at run time, else its formula evaluated, else what the file cached. */
  cellValue(sheet: XlmSheet, row: number, col: number, depth: number): XlValue {
    const key = cellKey(row, col);
    const set = this.runtime.get(sheet)?.get(key);
    if (set !== undefined) return set;
    const cached = fromCell(sheet.cells.get(key)?.value);
    const formula = this.formulaAt(sheet, row, col);
    if (formula === undefined || depth >= MAX_REF_DEPTH) return cached;
    const memoKey = `${sheet.name}!${key}`;
    const memo = this.pureMemo.get(memoKey);
    if (memo && memo.generation === this.generation) return memo.value;
    // SECURITY: a cell that refers to itself (directly or around a loop) is read from its cache.
    if (this.evaluating.has(memoKey)) return cached;
    this.evaluating.add(memoKey);
    const ctx: EvalCtx = { sheet, row, col, mode: 'pure', isSpeculative: false, depth, formula };
    const value = this.evalFormula(ctx, this.parse(sheet, row, col, formula, true));
    this.evaluating.delete(memoKey);
    const result = value === UNKNOWN ? cached : value;
    if (this.retain(result))
      this.pureMemo.set(memoKey, { generation: this.generation, value: result });
    return result;
  }

  /** Evaluates a cell's formula; `a=b` at the top of a formula assigns the name `a` (as SET.NAME). */
  evalFormula(ctx: EvalCtx, parsed?: Node | FormulaSyntaxError): XlValue {
    const node = parsed ?? this.parse(ctx.sheet, ctx.row, ctx.col, ctx.formula);
    if (node instanceof FormulaSyntaxError) return UNKNOWN;
    if (node.k === 'bin' && node.op === '=' && node.a.k === 'name' && ctx.mode !== 'pure') {
      const value = this.value(this.evaluate(node.b, ctx), ctx);
      this.setVar(node.a.v, value);
      return value;
    }
    return this.evaluate(node, ctx);
  }

  evaluate(node: Node, ctx: EvalCtx): XlValue {
    switch (node.k) {
      case 'num':
      case 'str':
      case 'bool':
        return node.v;
      case 'err':
        return new XlError(node.v);
      case 'missing':
        return EMPTY;
      case 'ref':
        return {
          k: 'ref',
          sheet: node.sheet ?? ctx.sheet.name,
          row: node.row,
          col: node.col,
          row2: node.row2,
          col2: node.col2,
        };
      case 'name':
        return this.name(node.v, ctx);
      case 'un': {
        const n = asNumber(this.value(this.evaluate(node.a, ctx), ctx));
        if (n === undefined) return UNKNOWN;
        return node.op === '-' ? -n : node.op === '%' ? n / 100 : n;
      }
      case 'bin':
        return this.binary(
          node.op,
          this.value(this.evaluate(node.a, ctx), ctx),
          this.value(this.evaluate(node.b, ctx), ctx),
        );
      case 'call':
        return callFunction(this, node, ctx);
    }
  }

  /** Dereferences a reference to the value of its top-left cell. */
  value(v: XlValue, ctx: EvalCtx): XlValue {
    if (!isRef(v)) return v;
    const sheet = this.sheet(v.sheet);
    return sheet ? this.cellValue(sheet, v.row, v.col, ctx.depth + 1) : new XlError('#REF!');
  }

  name(raw: string, ctx: EvalCtx): XlValue {
    const key = raw.toLowerCase();
    const set = this.vars.get(key);
    if (set !== undefined) return set;
    const defined = this.book.names.find((n) => n.name.toLowerCase() === key);
    if (!defined || ctx.depth >= MAX_REF_DEPTH)
      return this.registered.has(key) ? UNKNOWN : new XlError('#NAME?');
    let node = this.namesParsed.get(key);
    if (!node)
      this.namesParsed.set(
        key,
        (node = parseOrError(defined.formula, 0, 0, this.book.format === 'sylk')),
      );
    if (node instanceof FormulaSyntaxError) return UNKNOWN;
    return this.evaluate(node, { ...ctx, depth: ctx.depth + 1 });
  }

  binary(op: string, a: XlValue, b: XlValue): XlValue {
    if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    if (a instanceof XlError) return a;
    if (b instanceof XlError) return b;
    if (op === '&') {
      const x = asText(a);
      const y = asText(b);
      return x === undefined || y === undefined
        ? UNKNOWN
        : (x + y).slice(0, this.options.maxStringChars);
    }
    if (COMPARISONS.has(op)) return compare(op, a, b);
    const x = asNumber(a);
    const y = asNumber(b);
    if (x === undefined || y === undefined) return new XlError('#VALUE!');
    const n =
      op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x ** y;
    return Number.isFinite(n) ? n : new XlError(op === '/' ? '#DIV/0!' : '#NUM!');
  }

  event(
    kind: EventKind,
    ctx: EvalCtx,
    text: string,
    args: string[],
    api?: { dll: string; fn: string },
  ): void {
    if (ctx.mode === 'pure') return;
    const cell = cellName(ctx.row, ctx.col);
    const key = `${kind}\u0000${ctx.sheet.name}\u0000${cell}\u0000${text}`;
    if (this.eventKeys.has(key) || this.events.length >= this.options.maxEvents) return;
    const clipped = args.map((a) => a.slice(0, MAX_EVENT_CHARS));
    const shown = text.slice(0, MAX_EVENT_CHARS);
    let chars = shown.length;
    for (const a of clipped) chars += a.length;
    if (!this.retainChars(chars)) return;
    this.eventKeys.add(key);
    this.events.push({
      kind,
      sheet: ctx.sheet.name,
      cell,
      formula: ctx.formula,
      text: shown,
      args: clipped,
      // Always both keys (undefined off API calls): one object shape for every event.
      dll: api?.dll,
      fn: api?.fn,
      isFromAutoexec: this.isAutoexecRun && ctx.mode === 'run',
    });
    for (const s of [shown, ...clipped]) this.remember(s);
  }

  /** Keeps evaluated strings for IOC extraction (bounded). */
  remember(value: XlValue): void {
    if (typeof value !== 'string' || value.length < 4 || this.strings.size >= MAX_STRINGS) return;
    if (!this.strings.has(value) && this.retain(value)) this.strings.add(value);
  }

  /** Sets a name (SET.NAME, `name=value`, loop counters) if its value fits the budget. */
  setVar(name: string, value: XlValue): void {
    if (this.retain(value)) this.vars.set(name.toLowerCase(), value);
  }

  /** Counts a string against MAX_RETAINED_CHARS; false (and isMemorySpent) once it is spent. */
  private retain(value: XlValue): boolean {
    return typeof value !== 'string' || this.retainChars(value.length);
  }

  private retainChars(count: number): boolean {
    if (this.retainedChars + count > (this.options.maxRetainedChars ?? MAX_RETAINED_CHARS)) {
      this.isMemorySpent = true;
      return false;
    }
    this.retainedChars += count;
    return true;
  }

  /** Runs the macro that starts at `entry`. */
  run(entry: XlRef, isAutoexec: boolean): void {
    this.isAutoexecRun = isAutoexec;
    runFrom(this, entry);
    this.isAutoexecRun = false;
  }

  /** Evaluates every formula cell of the macro sheets that no run reached, writes included. */
  sweep(): void {
    for (let pass = 0; pass < 4; pass++) {
      let evaluated = 0;
      for (const sheet of this.book.sheets) {
        if (!sheet.isMacro) continue;
        for (const { row, col } of this.formulaCells(sheet)) {
          if (this.isExecuted(sheet, row, col)) continue;
          if (!this.tick()) return;
          this.markExecuted(sheet, row, col);
          evaluated++;
          const formula = this.formulaAt(sheet, row, col)!;
          const ctx: EvalCtx = {
            sheet,
            row,
            col,
            mode: 'sweep',
            isSpeculative: false,
            depth: 0,
            formula,
          };
          const value = this.evalFormula(ctx);
          if (value !== UNKNOWN && !isRef(value)) this.remember(value);
        }
      }
      if (evaluated === 0) return;
    }
  }

  asBoolOrUnknown(v: XlValue): boolean | undefined {
    return v === UNKNOWN ? undefined : asBool(v);
  }
}

function parseOrError(
  formula: string,
  row: number,
  col: number,
  preferR1C1: boolean,
): Node | FormulaSyntaxError {
  try {
    return parseFormula(formula, { row, col }, preferR1C1);
  } catch (error) {
    if (error instanceof FormulaSyntaxError) return error;
    throw error;
  }
}

const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '<', '>', '<=', '>=']);

function compare(op: string, a: XlValue, b: XlValue): boolean {
  const rank = (v: XlValue) =>
    typeof v === 'number' || v === EMPTY ? 0 : typeof v === 'string' ? 1 : 2;
  let c: number;
  if (rank(a) !== rank(b)) c = rank(a) - rank(b);
  else if (typeof a === 'string' || typeof b === 'string') {
    const [x, y] = [String(asText(a)).toLowerCase(), String(asText(b)).toLowerCase()];
    c = x < y ? -1 : x > y ? 1 : 0;
  } else c = (asNumber(a) ?? 0) - (asNumber(b) ?? 0);
  switch (op) {
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    default:
      return c >= 0;
  }
}
