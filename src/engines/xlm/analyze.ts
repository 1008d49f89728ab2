import {
  findingForError,
  LimitError,
  limitExceeded,
  parseError,
  type AnalysisContext,
  type EngineOutput,
  type Evidence,
  type ExtractedIocs,
  type ExtractedXlmCell,
  type Finding,
} from '../../core/index.js';
import { cellName } from '../../formats/biff/index.js';
import { extractIndicators, MAX_INDICATORS_PER_KIND } from '../../formats/indicators/index.js';
import { commandChildren, encodedCommands } from './commands.js';
import {
  Emulator,
  MAX_EMULATOR_STEPS,
  MAX_EVENTS,
  MAX_RETAINED_CHARS,
  type XlmEvent,
} from './emulator.js';
import * as F from './findings.js';
import { autoexecKind, type XlmBook } from './model.js';
import { loadBook } from './sources.js';
import { isRef, type XlRef } from './values.js';

const MAX_EVIDENCE = 5;
/** Formulas listed in extracted.xlm; a sheet of a million formulas is summarised by the limit finding. */
export const MAX_XLM_LISTED = 10_000;
const MAX_ANOMALY_EVIDENCE = 10;

const DOWNLOAD_API =
  /^(?:URLDownloadToFile|URLDownloadToCacheFile|URLOpen(?:Blocking)?Stream|InternetOpenUrl|InternetReadFile|HttpSendRequest|WinHttp)/i;
const EXEC_API = /^(?:ShellExecute|WinExec|CreateProcess)/i;
const DOWNLOAD_COMMAND =
  /https?:\/\/|\\\\[\w.-]+\\|\b(?:DownloadFile|DownloadString|Invoke-WebRequest|iwr|curl|wget|certutil|bitsadmin|Start-BitsTransfer)\b/i;

/** The xlm engine: reads the macro workbook, emulates it, and reports what it does. */
export async function analyzeXlm(ctx: AnalysisContext): Promise<EngineOutput> {
  const book = await loadBook(ctx);
  if (!book) return {};
  const findings: Finding[] = [];
  if (book.anomalies.length > 0) findings.push(anomalyFinding(book));
  // An encrypted workbook (FILEPASS) is the offcrypto engine's: it decrypts the default password
  // and hands the clear workbook back as a child, which this engine then analyses.
  const macroSheets = book.sheets.filter((s) => s.isMacro);
  if (macroSheets.length === 0) return { findings };
  findings.push(
    F.macroSheetPresent(
      macroSheets.slice(0, MAX_EVIDENCE).map((s) => ({
        text: s.name,
        location: s.source,
        note: `${[...s.cells.values()].filter((c) => c.formula !== undefined).length} formulas, ${s.state}`,
      })),
    ),
  );
  const hidden = macroSheets.filter((s) => s.state !== 'visible');
  if (hidden.length > 0) {
    findings.push(
      F.hiddenMacroSheet(hidden.map((s) => ({ text: s.name, location: s.source, note: s.state }))),
    );
  }
  const em = new Emulator(book, {
    maxSteps: MAX_EMULATOR_STEPS,
    maxStringChars: ctx.limits.maxExtractedChars,
    maxEvents: MAX_EVENTS,
    checkDeadline: () => ctx.checkDeadline(),
  });
  const autoexec = autoexecEntries(book, em);
  if (autoexec.length > 0) findings.push(F.autoexecEntrypoint(autoexec.map((a) => a.evidence)));
  try {
    emulate(
      em,
      book,
      autoexec.flatMap((a) => (a.ref ? [a.ref] : [])),
    );
  } catch (error) {
    if (!(error instanceof LimitError)) throw error;
    findings.push(findingForError(error, 'xlm'));
  }
  if (em.isBudgetSpent) {
    findings.push(
      limitExceeded({
        location: book.source,
        text: `E_LIMIT_XLM_STEPS: the macro emulation stopped after ${MAX_EMULATOR_STEPS} steps`,
        note: 'loops or very long macros: later effects may be missing',
      }),
    );
  }
  if (em.isMemorySpent) {
    findings.push(
      limitExceeded({
        location: book.source,
        text: `E_LIMIT_XLM_MEMORY: the macro computed more than ${MAX_RETAINED_CHARS} characters of strings; later values were not kept`,
      }),
    );
  }
  const iocs = indicators(book, em);
  findings.push(...eventFindings(em.events, autoexec.length > 0, book));
  if (iocs.urls.length > 0) {
    findings.push(
      F.embeddedUrl(
        iocs.urls.slice(0, MAX_EVIDENCE).map((text) => ({ text, location: book.source })),
      ),
    );
  }
  const { xlm, isCut } = listFormulas(book, em);
  if (isCut) {
    findings.push(
      limitExceeded({
        location: book.source,
        text: `E_LIMIT_XLM_LISTED: extracted.xlm keeps the first ${MAX_XLM_LISTED} formulas`,
      }),
    );
  }
  const commands = em.events.flatMap((e) => commandsOf(e));
  const powershell = encodedCommands(commands);
  return {
    findings,
    extracted: { xlm, iocs, powershell },
    children: commandChildren(powershell, commands, em.files),
  };
}

/**
 * IOCs from the evaluated values first; then from the formula text, except what merely starts a value
 * found evaluated (a URL split over two literals would otherwise also yield its first half).
 */
function indicators(book: XlmBook, em: Emulator): ExtractedIocs {
  const evaluated = extractIndicators([...em.strings].join('\n'));
  const formulas = book.sheets
    .filter((s) => s.isMacro)
    .flatMap((s) => [...s.cells.values()].map((c) => c.formula ?? ''));
  const raw = extractIndicators([...formulas, ...book.names.map((n) => n.formula)].join('\n'));
  for (const kind of Object.keys(evaluated) as (keyof ExtractedIocs)[]) {
    const known = evaluated[kind];
    for (const value of raw[kind]) {
      if (known.length >= MAX_INDICATORS_PER_KIND) break;
      if (!known.some((k) => k.startsWith(value))) known.push(value);
    }
  }
  return evaluated;
}

function anomalyFinding(book: XlmBook): Finding {
  return parseError(
    book.anomalies.slice(0, MAX_ANOMALY_EVIDENCE).map((a) => ({
      text: `${a.code}: ${a.message}`,
      location: a.location ?? book.source,
      ...(a.offset === undefined ? {} : { offset: a.offset }),
      ...(book.anomalies.length > MAX_ANOMALY_EVIDENCE
        ? { note: `${book.anomalies.length} anomalies in all` }
        : {}),
    })),
  );
}

interface AutoexecEntry {
  ref: XlRef | undefined;
  evidence: Evidence;
}

/** Defined names Excel runs on open or close, and the macro-sheet cell each points to. */
function autoexecEntries(book: XlmBook, em: Emulator): AutoexecEntry[] {
  const entries: AutoexecEntry[] = [];
  const first = book.sheets.find((s) => s.isMacro) ?? book.sheets[0];
  if (!first) return entries;
  for (const name of book.names) {
    const kind = autoexecKind(name.name);
    if (!kind) continue;
    const target = em.name(name.name, {
      sheet: first,
      row: 0,
      col: 0,
      mode: 'pure',
      isSpeculative: false,
      depth: 0,
      formula: name.formula,
    });
    const ref = isRef(target) ? target : undefined;
    const where = ref ? `${ref.sheet}!${cellName(ref.row, ref.col)}` : 'an unresolved target';
    entries.push({
      ref,
      evidence: {
        text: `${name.name} → ${name.formula}`,
        location: book.source,
        note: `${kind}${name.isHidden ? ', hidden name' : ''}${name.isBuiltin ? ', built-in' : ''}: runs ${where}`,
      },
    });
    if (entries.length >= 16) break;
  }
  return entries;
}

/** Auto_Open first (then ON.TIME macros), else each macro sheet from its first formula; then the sweep. */
function emulate(em: Emulator, book: XlmBook, entries: XlRef[]): void {
  for (const ref of entries) em.run(ref, true);
  for (let i = 0; i < em.deferred.length; i++) em.run(em.deferred[i]!, true);
  if (entries.length === 0) {
    for (const sheet of book.sheets) {
      if (!sheet.isMacro) continue;
      const first = em.formulaCells(sheet)[0];
      if (first)
        em.run(
          {
            k: 'ref',
            sheet: sheet.name,
            row: first.row,
            col: first.col,
            row2: first.row,
            col2: first.col,
          },
          false,
        );
    }
  }
  em.sweep();
}

function evidenceOf(e: XlmEvent): Evidence {
  return {
    text: e.text,
    location: `${e.sheet}!${e.cell}`,
    note: `=${e.formula}${e.isFromAutoexec ? ' (run from Auto_Open)' : ' (found by static evaluation)'}`,
  };
}

function eventFindings(events: XlmEvent[], hasAutoexec: boolean, book: XlmBook): Finding[] {
  const pick = (test: (e: XlmEvent) => boolean) =>
    events.filter(test).slice(0, MAX_EVIDENCE).map(evidenceOf);
  const isApi = (e: XlmEvent) => e.kind === 'call' || e.kind === 'register';
  const exec = pick((e) => e.kind === 'exec' || (e.kind === 'call' && EXEC_API.test(e.fn ?? '')));
  const api = pick(isApi);
  const dl = pick(
    (e) =>
      (isApi(e) && DOWNLOAD_API.test(e.fn ?? '')) ||
      (e.kind === 'exec' && DOWNLOAD_COMMAND.test(e.text)),
  );
  const sandbox = pick((e) => e.kind === 'sandbox');
  const writes = pick((e) => e.kind === 'formula-write' && /←\s*=/.test(e.text));
  const files = pick((e) => e.kind === 'file-write');
  const findings: Finding[] = [];
  if (sandbox.length > 0) findings.push(F.sandboxEvasion(sandbox));
  const chars = [...book.sheets]
    .filter((s) => s.isMacro)
    .reduce(
      (n, s) =>
        n + [...s.cells.values()].reduce((m, c) => m + (c.formula ? charCalls(c.formula) : 0), 0),
      0,
    );
  if (writes.length > 0 || chars >= 20) {
    findings.push(
      F.obfuscation([
        ...writes,
        ...(chars >= 20 ? [{ note: `${chars} CHAR() calls in macro formulas` }] : []),
      ]),
    );
  }
  if (exec.length > 0) findings.push(withLolbins(F.commandExecution(exec)));
  if (api.length > 0) findings.push(F.win32Api(api));
  if (dl.length > 0) findings.push(F.download(dl));
  if (files.length > 0) findings.push(F.fileWrite(files));
  if (!hasAutoexec) return findings;
  if (exec.length > 0 || api.length > 0) {
    findings.push(withLolbins(F.autoexecExecutionChain([...exec, ...api].slice(0, MAX_EVIDENCE))));
  }
  if (dl.length > 0) findings.push(F.autoexecDownload(dl));
  return findings;
}

/** Occurrences of `\bCHAR\(` in a formula, counted without a match array per formula. */
function charCalls(formula: string): number {
  let count = 0;
  for (let at = formula.indexOf('CHAR('); at >= 0; at = formula.indexOf('CHAR(', at + 5)) {
    const before = at > 0 ? formula.charCodeAt(at - 1) : -1;
    const isWordBefore =
      (before >= 0x30 && before <= 0x39) ||
      (before >= 0x41 && before <= 0x5a) ||
      (before >= 0x61 && before <= 0x7a) ||
      before === 0x5f;
    if (!isWordBefore) count++;
  }
  return count;
}

/** The interpreter or proxy binary a command starts, as the ATT&CK technique it evidences. */
const LOLBINS: readonly [RegExp, string][] = [
  [/\b(?:powershell|pwsh)\b/i, 'T1059.001'],
  [/\bcmd(?:\.exe)?\s+\/[ck]\b/i, 'T1059.003'],
  [/\b(?:wscript|cscript)\b/i, 'T1059.005'],
  [/\brundll32\b/i, 'T1218.011'],
  [/\bregsvr32\b/i, 'T1218.010'],
  [/\bmshta\b/i, 'T1218.005'],
];

function withLolbins(finding: Finding): Finding {
  const text = finding.evidence.map((e) => e.text ?? '').join('\n');
  for (const [re, id] of LOLBINS)
    if (re.test(text) && !finding.attack.includes(id)) finding.attack.push(id);
  return finding;
}

/** Command lines an event hands to a shell: EXEC's, and the arguments of ShellExecute/WinExec. */
function commandsOf(e: XlmEvent): string[] {
  if (e.kind === 'exec') return [e.args[0] ?? e.text];
  if (e.kind === 'call' && EXEC_API.test(e.fn ?? '')) return e.args.filter((a) => a.length > 3);
  return [];
}

/** Macro-sheet formulas in execution order (column by column), then those written at run time. */
function listFormulas(book: XlmBook, em: Emulator): { xlm: ExtractedXlmCell[]; isCut: boolean } {
  const xlm: ExtractedXlmCell[] = [];
  let total = 0;
  for (const sheet of book.sheets) {
    if (!sheet.isMacro) continue;
    const cells = [...sheet.cells.values()].filter((c) => c.formula !== undefined);
    cells.sort((a, b) => a.col - b.col || a.row - b.row);
    for (const cell of cells) {
      total++;
      if (xlm.length < MAX_XLM_LISTED) {
        xlm.push({
          sheet: sheet.name,
          cell: cellName(cell.row, cell.col),
          formula: `=${cell.formula}`,
        });
      }
    }
  }
  for (const w of em.written) {
    total++;
    if (xlm.length < MAX_XLM_LISTED) xlm.push(w);
  }
  return { xlm, isCut: total > xlm.length };
}
