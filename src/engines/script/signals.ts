import type { Evidence } from '../../core/index.js';
import {
  collapseWhitespace,
  DOWNLOAD_PATTERNS,
  EXECUTE_PATTERNS,
  findLolbins,
  matchPatterns,
  stripCarets,
  type LolbinHit,
} from '../../formats/command-line/index.js';
import type { ScriptBlock } from './blocks.js';
import type { Deobfuscated } from './deobfuscate.js';
import { scanLiterals } from './literals.js';

/** What one script block does, as evidence lists; the engine turns them into findings. */
export interface Signals {
  shellExec: Evidence[];
  lolbin: Evidence[];
  wmi: Evidence[];
  downloads: Evidence[];
  executes: Evidence[];
  evals: Evidence[];
  obfuscation: Evidence[];
  /** Escape runs and code tables: reported only beside another finding. */
  weakObfuscation: Evidence[];
  /** PowerShell command lines found in literals or batch lines, for the PowerShell engine. */
  commands: string[];
}

export const emptySignals = (): Signals => ({
  shellExec: [],
  lolbin: [],
  wmi: [],
  downloads: [],
  executes: [],
  evals: [],
  obfuscation: [],
  weakObfuscation: [],
  commands: [],
});

const MAX_EVIDENCE = 5;
const MAX_COMMANDS = 10;
const ACTIVEX =
  /\b(?:new\s+ActiveXObject|(?:WScript\s*\.\s*)?CreateObject|GetObject)\s*\(\s*["']([^"'\r\n]{1,200})["']/gi;
const SHELL_PROGID = /^(?:WScript\.Shell|Shell\.Application)$/i;
const HTTP_PROGID =
  /^(?:MSXML2\.(?:Server)?XMLHTTP(?:\.\d\.\d)?|Microsoft\.XMLHTTP|WinHttp\.WinHttpRequest(?:\.\d\.\d)?)$/i;
const RUN_CALL = /\.\s*(?:Run|Exec|ShellExecute)\b/i;
const HTTP_OPEN = /\.\s*Open\s*\(?\s*["'](?:GET|POST|HEAD)["']/i;
const SAVE_TO_FILE = /\.\s*SaveToFile\b/i;
const WMI = /winmgmts|SWbemLocator/i;
const WMI_CREATE =
  /Win32_Process[\s\S]{0,400}?\.\s*Create\b|\.\s*Create\s*\(?[^\r\n]{0,200}Win32_Process|Win32_Process"?\s*\)\s*\.\s*Create\b/i;
const REMOTE_SCRIPTLET = /GetObject\s*\(\s*["']script:(?:https?|ftp):/i;
// eval of decoding calls (any page) or of anything but a literal (script files).
const EVAL_DECODED =
  /\b(?:eval|Function|setTimeout|setInterval)\s*\(\s*(?:window\s*\.\s*)?(?:atob|unescape|decodeURIComponent|String\s*\.\s*fromCharCode)\s*\(/i;
const EVAL_JS = /\beval\s*\(\s*[^\s)"'`]|\bnew\s+Function\s*\(\s*[^\s)"'`]/;
// VBScript is case-insensitive, so only VBScript blocks are searched for Execute (JS has `execute(…)` methods).
const EVAL_VBS = /(?:^|[:\s])(?:Execute|ExecuteGlobal|Eval)\b[ \t]*\(?[ \t]*[^\s"(=]/im;
/\beval\s*\(\s*[^\s)"'`]|\bnew\s+Function\s*\(\s*[^\s)"'`]|^[ \t]*(?:Execute|ExecuteGlobal)\b\s*\(?\s*[^\s"(]|[:\s](?:Execute|ExecuteGlobal)\s*\(?\s*[^\s"(]/im;
const POWERSHELL = /\b(?:powershell|pwsh)(?:\.exe)?\b/i;

export interface BlockContext {
  block: ScriptBlock;
  index: number;
  deob: Deobfuscated;
  /** A page that is not an HTA: legacy AJAX (Microsoft.XMLHTTP) and minified eval are normal there. */
  isWebPage: boolean;
}

export function blockSignals({ block, index, deob, isWebPage }: BlockContext): Signals {
  const s = emptySignals();
  const text = deob.text;
  const location = `script ${index + 1} (${block.language})`;
  const at = lineFinder(text, block.line, location);
  const progIds = [...text.matchAll(ACTIVEX)].map((m) => m[1]!.trim());
  const hasShell =
    progIds.some((p) => SHELL_PROGID.test(p)) || /WScript\.Shell|Shell\.Application/i.test(text);
  const hasHttp = progIds.some((p) => HTTP_PROGID.test(p));
  const hasStream = /\bADODB\.Stream\b/i.test(text);

  if (hasShell) push(s.shellExec, at(RUN_CALL));
  if (WMI.test(text)) push(s.wmi, at(WMI_CREATE));
  if (!isWebPage || hasShell) {
    if (hasHttp) push(s.downloads, at(HTTP_OPEN) ?? at(/XMLHTTP|WinHttpRequest/i));
    if (hasStream) push(s.downloads, at(SAVE_TO_FILE));
  }
  push(s.downloads, at(REMOTE_SCRIPTLET));
  push(s.executes, at(REMOTE_SCRIPTLET));
  if (block.src && /^(?:https?:)?\/\//i.test(block.src) && !isWebPage) {
    s.downloads.push({
      location,
      line: block.line,
      text: `<script src="${block.src}">`,
      note: 'remote code run by mshta',
    });
    s.executes.push({ location, line: block.line, text: `<script src="${block.src}">` });
  }
  for (const command of commandStrings(text, block.language)) {
    commandSignals(command, location, s);
  }
  s.executes.push(...s.shellExec, ...s.wmi);
  const evalRe = isWebPage
    ? EVAL_DECODED
    : block.language === 'vbscript'
      ? EVAL_VBS
      : block.language === 'batch'
        ? undefined
        : EVAL_JS;
  // Folding turns eval(atob("…")) into eval("…"): the raw text shows the decoding call.
  if (evalRe) push(s.evals, at(evalRe) ?? lineFinder(block.code, block.line, location)(evalRe));
  obfuscationSignals(block, deob, location, s);
  return s;
}

const MAX_COMMAND_LITERALS = 10_000;
// A literal worth matching against command-line patterns: several words, naming a program or a location.
const COMMAND_WORD =
  /cmd|powershell|pwsh|mshta|wscript|cscript|rundll32|regsvr32|msiexec|forfiles|curl|wget|bitsadmin|certutil|https?:|ftp:|\\\\|%\w+%|\.exe|\.dll/i;
const isCommandLike = (v: string) => v.length >= 6 && /\s/.test(v) && COMMAND_WORD.test(v);

/** String literals (JS/VBS) or lines (batch) that look like command lines. */
function commandStrings(text: string, language: ScriptBlock['language']): string[] {
  if (language === 'batch')
    return text.split('\n').filter((l) => l.trim() !== '' && !/^\s*(?:rem\b|::)/i.test(l));
  const styles =
    language === 'jscript'
      ? (['js'] as const)
      : language === 'vbscript'
        ? (['vbs'] as const)
        : (['js', 'vbs'] as const);
  const out: string[] = [];
  for (const style of styles) {
    for (const lit of scanLiterals(text, style, isCommandLike, MAX_COMMAND_LITERALS))
      out.push(lit.value);
  }
  return out;
}

function commandSignals(raw: string, location: string, s: Signals): void {
  const command = stripCarets(raw);
  const hits = findLolbins(command).filter(
    (h) => h.name !== 'conhost' && startsCommand(command, h),
  );
  const evidence: Evidence = { location, text: collapseWhitespace(command) };
  if (hits.length > 0)
    push(s.lolbin, {
      ...evidence,
      note: `runs ${[...new Set(hits.map((h) => h.name))].join(', ')}`,
    });
  for (const hit of matchPatterns(command, DOWNLOAD_PATTERNS)) {
    if (hit.pattern === 'XMLHTTP request' || hit.pattern === 'ADODB.Stream') continue;
    push(s.downloads, { ...evidence, note: hit.pattern });
  }
  for (const hit of matchPatterns(command, EXECUTE_PATTERNS)) {
    if (hit.pattern === 'Shell Run/Exec') continue;
    push(s.executes, { ...evidence, note: hit.pattern });
  }
  if (POWERSHELL.test(command) && s.commands.length < MAX_COMMANDS)
    s.commands.push(collapseWhitespace(command));
}

// Char-code calls on literal numbers (droppers spelling strings), not on variables (parsers decoding input).
const CHAR_CODE_CALLS =
  /String\s*\.\s*fromCharCode\s*\(\s*(?:0x[0-9a-f]|\d)|\bChr[WB]?\$?\s*\(\s*(?:&H[0-9a-f]|\d)/gi;
const ESCAPES = /\\x[0-9a-f]{2}|\\u[0-9a-f]{4}/gi;
const NUMBER_ARRAY = /\[\s*\d{1,5}(?:\s*,\s*\d{1,5}){63,}\s*\]/;
const BATCH_SUBSTRING = /%[^%\s:]{1,200}:~-?\d{1,6}(?:,-?\d{1,6})?%/g;

function obfuscationSignals(
  block: ScriptBlock,
  deob: Deobfuscated,
  location: string,
  s: Signals,
): void {
  const raw = block.code;
  const count = (re: RegExp) => (raw.match(re) ?? []).length;
  // Strong signs are droppers' own tricks; weak ones (escape runs, code tables) are also what minifiers
  // and generated lookup tables produce, so they only count beside another finding.
  const strong: string[] = [];
  const weak: string[] = [];
  const charCodes = count(CHAR_CODE_CALLS);
  if (charCodes >= 20) strong.push(`${charCodes} char-code calls`);
  const substrings = count(BATCH_SUBSTRING);
  if (substrings >= 10) strong.push(`${substrings} %var:~n,m% substrings`);
  const hidden = hiddenCommands(raw, deob.text);
  if (hidden) strong.push(hidden);
  const escapes = count(ESCAPES);
  if (escapes >= 100) weak.push(`${escapes} \\x/\\u escapes`);
  if (NUMBER_ARRAY.test(raw)) weak.push('array of 64+ character codes');
  if (deob.steps.includes('literals') && deob.text.length < raw.length * 0.9 && raw.length > 2000) {
    weak.push(`folding cut ${raw.length - deob.text.length} characters of string splitting`);
  }
  const evidence = (notes: string[]) => ({
    location,
    line: block.line,
    note: notes.join('; '),
    text: firstLine(raw),
  });
  if (strong.length > 0) s.obfuscation.push(evidence([...strong, ...weak]));
  else if (weak.length > 0) s.weakObfuscation.push(evidence(weak));
}

/** Commands visible only after folding: the script hid them. */
function hiddenCommands(raw: string, folded: string): string | undefined {
  if (raw === folded) return undefined;
  const names = (t: string) => new Set(findLolbins(stripCarets(t)).map((h) => h.name));
  const before = names(raw);
  const revealed = [...names(folded)].filter((n) => !before.has(n));
  const http = /\b(?:https?|ftp):\/\//i;
  if (revealed.length > 0) return `folding revealed ${revealed.join(', ')}`;
  if (!http.test(raw) && http.test(folded)) return 'folding revealed URLs';
  return undefined;
}

// Where a program name starts a command: the start of the string (after quotes or a path), or after a
// cmd.exe separator or /c. Anything else is a word in prose or code (`helper.commandUsage(cmd)`).
const COMMAND_PREFIX =
  /(?:^[\s"'(]*(?:[A-Za-z]:\\|%\w{1,40}%\\|\\\\)?(?:[^\s"'\\]{1,80}\\){0,12}|(?:[&|;]|\/[ck]|\bstart|\bcall)\s*["']?)$/i;
const NEEDS_ARGUMENT = /^[^\s"']*["']?\s+\S/;

function startsCommand(command: string, hit: LolbinHit): boolean {
  const before = command.slice(Math.max(0, hit.index - 200), hit.index);
  const after = command.slice(hit.index + hit.name.length);
  if (!COMMAND_PREFIX.test(before) || !NEEDS_ARGUMENT.test(after)) return false;
  if (hit.name === 'cmd') return /^(?:\.exe)?["']?\s+\/[ckr]\b/i.test(after);
  if (hit.name === 'curl') return /\b(?:https?|ftp):\/\//i.test(after);
  return true;
}

function push(list: Evidence[], evidence: Evidence | undefined): void {
  if (evidence && list.length < MAX_EVIDENCE) list.push(evidence);
}

function firstLine(text: string): string {
  return text.trim().split('\n', 1)[0]!.slice(0, 200);
}

/** Evidence for the first line of `text` that matches: its text and artifact line number. */
function lineFinder(
  text: string,
  firstLineNo: number,
  location: string,
): (re: RegExp) => Evidence | undefined {
  return (re) => {
    const m = re.exec(text);
    if (!m) return undefined;
    const start = text.lastIndexOf('\n', m.index) + 1;
    const endNl = text.indexOf('\n', m.index + m[0].length);
    const line = text.slice(start, endNl < 0 ? text.length : endNl);
    let lineNo = firstLineNo;
    for (let i = text.indexOf('\n'); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) lineNo++;
    return { location, line: lineNo, text: collapseWhitespace(line) };
  };
}
