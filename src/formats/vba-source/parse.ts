/** One logical line of VBA: physical lines joined at `" _"` continuations (MS-VBAL 3.2.2). */
export interface VbaLine {
  /** 1-based physical line where the logical line starts. */
  line: number;
  /** The logical line as written, continuations joined. */
  raw: string;
  /** The same with comments removed (`'…` outside strings, `Rem …`). */
  code: string;
}

export interface VbaProcedure {
  name: string;
  kind: 'sub' | 'function' | 'property';
  /** Line of the declaration and of its `End …` (undefined when missing, as in truncated macros). */
  startLine: number;
  endLine?: number;
}

export interface VbaSource {
  /** From `Attribute VB_Name = "…"`, which exported modules and olevba output carry. */
  moduleName?: string;
  lines: VbaLine[];
  procedures: VbaProcedure[];
}

export interface VbaParseOptions {
  /** Logical lines kept; a 100 MB module of junk lines must not exhaust memory twice. */
  maxLines?: number;
}

export const MAX_VBA_LINES = 200_000;
// MS-VBAL 3.2.2: a line-continuation is a space, an underscore, and the line end. Office also accepts tabs.
const CONTINUATION = /[ \t]_[ \t]*$/;
const PROCEDURE_START =
  /^\s*(?:(?:Public|Private|Friend)\s+)?(?:Static\s+)?(Sub|Function|Property\s+(?:Get|Let|Set))\s+([A-Za-z_][\w]*)/i;
const PROCEDURE_END = /^\s*End\s+(Sub|Function|Property)\b/i;
const VB_NAME = /^\s*Attribute\s+VB_Name\s*=\s*"([^"]*)"/i;

/** Splits VBA module text into logical lines, strips comments, and finds procedures. Never throws. */
export function parseVbaSource(text: string, options: VbaParseOptions = {}): VbaSource {
  const maxLines = options.maxLines ?? MAX_VBA_LINES;
  const physical = text.split(/\r\n|\r|\n/);
  const lines: VbaLine[] = [];
  for (let i = 0; i < physical.length && lines.length < maxLines; i++) {
    const start = i;
    let raw = physical[i] ?? '';
    // Office caps continuations at 24 per logical line; malware ignores that, so bound it ourselves.
    for (let n = 0; CONTINUATION.test(raw) && i + 1 < physical.length && n < 1000; n++) {
      raw = raw.replace(CONTINUATION, ' ') + (physical[++i] ?? '').trimStart();
    }
    lines.push({ line: start + 1, raw, code: stripComment(raw) });
  }
  const source: VbaSource = { lines, procedures: findProcedures(lines) };
  for (const l of lines.slice(0, 50)) {
    const m = VB_NAME.exec(l.raw);
    if (m) {
      source.moduleName = m[1];
      break;
    }
  }
  return source;
}

/** Removes a trailing comment: `'` outside a string literal, or a `Rem` statement (MS-VBAL 3.3.1). */
export function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      inString = !inString; // a doubled "" toggles twice and stays inside
    } else if (!inString && c === "'") {
      return line.slice(0, i).trimEnd();
    } else if (
      !inString &&
      (c === 'R' || c === 'r') &&
      /^rem(?:\s|$)/i.test(line.slice(i, i + 4))
    ) {
      const before = line.slice(0, i).trimEnd();
      if (before === '' || before.endsWith(':')) return before.replace(/:$/, '').trimEnd();
    }
  }
  return line;
}

function findProcedures(lines: readonly VbaLine[]): VbaProcedure[] {
  const procedures: VbaProcedure[] = [];
  let open: VbaProcedure | undefined;
  for (const l of lines) {
    const start = PROCEDURE_START.exec(l.code);
    if (start && !/^\s*(?:Declare|Exit)\b/i.test(l.code)) {
      const kind = start[1]!.toLowerCase().startsWith('property')
        ? 'property'
        : (start[1]!.toLowerCase() as 'sub' | 'function');
      open = { name: start[2]!, kind, startLine: l.line };
      procedures.push(open);
      continue;
    }
    if (open && PROCEDURE_END.test(l.code)) {
      open.endLine = l.line;
      open = undefined;
    }
  }
  return procedures;
}
