/** The code inside an HTML/HTA page or a Windows Script File, and the language it is written in. */
export type ScriptLanguage = 'vbscript' | 'jscript' | 'batch' | 'unknown';

export interface ScriptBlock {
  language: ScriptLanguage;
  code: string;
  /** 1-based line of the block's first character in the artifact. */
  line: number;
  /** `src` of a `<script src=…>` element: code fetched when the page runs. */
  src?: string;
}

export interface ScriptDocument {
  blocks: ScriptBlock[];
  /** `<hta:application>`: the page runs in mshta.exe with the user's full rights. */
  isHta: boolean;
  /** A Windows Script File (`<job>`/`<package>`), run by wscript.exe. */
  isWsf: boolean;
}

// Pages with more elements than this are generated junk; the rest is still analysed as one block.
export const MAX_BLOCKS = 2000;
const MAX_HANDLER_CHARS = 20_000;
const HTA_TAG = /<hta:application\b/i;
const WSF_TAG = /<(?:job|package)\b[^>]{0,500}>/i;

/** Script blocks of markup (`<script>` elements and `on…=` handlers), or the whole text of a plain script. */
export function extractBlocks(text: string, isMarkup: boolean): ScriptDocument {
  const isHta = HTA_TAG.test(text);
  const isWsf = WSF_TAG.test(text);
  if (!isMarkup && !isWsf)
    return { blocks: [{ language: guessLanguage(text), code: text, line: 1 }], isHta, isWsf };
  const lineAt = lineCounter(text);
  const blocks = scriptElements(text, lineAt);
  blocks.push(...eventHandlers(text, lineAt, MAX_BLOCKS - blocks.length));
  return { blocks, isHta, isWsf };
}

// SECURITY: element bodies and handler values are found with one forward scan (sticky openers, then
// the next closer): an unclosed `<script` or quote ends the scan instead of rescanning the rest of the
// text from every later opener, which would be quadratic on crafted pages.
function scriptElements(text: string, lineAt: (offset: number) => number): ScriptBlock[] {
  const blocks: ScriptBlock[] = [];
  const open = /<script\b([^>]{0,2000})>/gi;
  const close = /<\/script\s*>/gi;
  for (let m = open.exec(text); m && blocks.length < MAX_BLOCKS; m = open.exec(text)) {
    const start = m.index + m[0].length;
    close.lastIndex = start;
    const end = close.exec(text);
    const body = text.slice(start, end ? end.index : text.length);
    const attrs = m[1] ?? '';
    const code = stripWrappers(body);
    const src = attribute(attrs, 'src');
    const language = languageOf(attribute(attrs, 'language') ?? attribute(attrs, 'type'), code);
    blocks.push({ language, code, line: lineAt(start), ...(src ? { src } : {}) });
    if (!end) break;
    open.lastIndex = close.lastIndex;
  }
  return blocks;
}

function eventHandlers(
  text: string,
  lineAt: (offset: number) => number,
  max: number,
): ScriptBlock[] {
  const blocks: ScriptBlock[] = [];
  const open = /\son[a-z]{2,30}\s*=\s*(["'])/gi;
  for (let m = open.exec(text); m && blocks.length < max; m = open.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf(m[1]!, start);
    if (end < 0) break;
    open.lastIndex = end + 1;
    if (end - start > MAX_HANDLER_CHARS) continue;
    const raw = decodeEntities(text.slice(start, end));
    const vbs = /^\s*vbscript:/i.test(raw);
    const code = raw.replace(/^\s*(?:vbscript|javascript|jscript):/i, '');
    blocks.push({ language: vbs ? 'vbscript' : 'jscript', code, line: lineAt(m.index) });
  }
  return blocks;
}

function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function languageOf(declared: string | undefined, code: string): ScriptLanguage {
  if (declared) {
    if (/vbs|vbscript/i.test(declared)) return 'vbscript';
    if (/j(?:ava)?script|ecmascript|jscript|module/i.test(declared)) return 'jscript';
  }
  return guessLanguage(code);
}

/** The language of plain script text, from its statements. */
export function guessLanguage(code: string): ScriptLanguage {
  const head = code.slice(0, 64 * 1024);
  if (/^\s*@?echo\s+off\b|^\s*(?:set\s+\w+=|rem\s|::|goto\s|if\s+(?:not\s+)?exist\s)/im.test(head))
    return 'batch';
  const vbs = (
    head.match(
      /^\s*(?:Dim\s|Set\s+\w+\s*=|On\s+Error\s+Resume\s+Next|End\s+(?:Sub|Function|If)\b|Sub\s+\w+|Function\s+\w+\s*\(.*\)\s*$|Const\s+\w+\s*=)/gim,
    ) ?? []
  ).length;
  const js = (
    head.match(
      /\b(?:var|let|const)\s+\w+\s*=|\bfunction\s*\w*\s*\(|new\s+ActiveXObject|;\s*$|=>/gm,
    ) ?? []
  ).length;
  if (vbs === 0 && js === 0) return 'unknown';
  return vbs >= js ? 'vbscript' : 'jscript';
}

function stripWrappers(code: string): string {
  return code
    .replace(/^\s*<!\[CDATA\[/, '')
    .replace(/\]\]>\s*$/, '')
    .replace(/^\s*<!--/, '')
    .replace(/-->\s*$/, '');
}

const ENTITIES: Readonly<Record<string, string>> = {
  quot: '"',
  amp: '&',
  lt: '<',
  gt: '>',
  apos: "'",
};

function decodeEntities(s: string): string {
  return s.replace(
    /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(quot|amp|lt|gt|apos));/gi,
    (all, dec, hex, name) => {
      const code = dec ? Number(dec) : hex ? Number.parseInt(hex, 16) : undefined;
      if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : all;
      return ENTITIES[String(name).toLowerCase()] ?? all;
    },
  );
}

/** Line numbers by offset, computed once for the text (binary search over line starts). */
function lineCounter(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
