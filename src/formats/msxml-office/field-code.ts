/**
 * Word field codes ([MS-DOC] 2.9.90 and ECMA-376 Part 1 §17.16): the instruction text of DDE, DDEAUTO,
 * INCLUDEPICTURE, QUOTE … fields, whatever carried it (RTF `\fldinst`, WordprocessingML `w:instrText`,
 * the .doc text). Used to find DDE command execution (T1559.002) and remote inclusions.
 */

const MAX_TOKENS = 64;

/** Splits a field code into words and quoted strings (`\\` and `\"` escapes inside quotes). */
export function tokenizeFieldCode(instruction: string): string[] {
  return tokens(instruction).map((t) => t.text);
}

interface Token {
  text: string;
  /** Bare tokens starting with `\` are switches (`\d`, `\* MERGEFORMAT`); quoted ones are text. */
  isSwitch: boolean;
}

function tokens(instruction: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const s = instruction;
  while (i < s.length && out.length < MAX_TOKENS) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    let token = '';
    const isQuoted = s[i] === '"' || s[i] === '\u201c' || s[i] === '\u201d';
    if (isQuoted) {
      i++;
      while (i < s.length && s[i] !== '"' && s[i] !== '\u201d' && s[i] !== '\u201c') {
        if (s[i] === '\\' && (s[i + 1] === '\\' || s[i + 1] === '"')) i++;
        token += s[i++];
      }
      i++;
    } else {
      while (i < s.length && !/\s/.test(s[i]!)) {
        if (s[i] === '\\' && s[i + 1] === '\\') i++;
        token += s[i++];
      }
    }
    out.push({ text: token, isSwitch: !isQuoted && token.startsWith('\\') });
  }
  return out;
}

export type FieldCodeClass =
  | {
      kind: 'dde';
      keyword: 'DDE' | 'DDEAUTO';
      /** Server application, e.g. `c:\windows\system32\cmd.exe`. */
      application: string;
      /** Topic: for cmd.exe, the command line. */
      topic: string;
      item?: string;
    }
  | { kind: 'include'; keyword: string; target: string };

const INCLUDE_KEYWORDS = new Set(['INCLUDEPICTURE', 'INCLUDETEXT', 'INCLUDE', 'IMPORT', 'LINK']);

/**
 * What a field code does, for the kinds that reach outside the document: DDE/DDEAUTO (Word starts the
 * server application, `cmd.exe` in the 2017 DDE campaigns) and INCLUDE…, IMPORT, LINK (Word fetches the
 * target). Undefined for every other field.
 *
 * @example
 * classifyFieldCode('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"')
 * // { kind: 'dde', keyword: 'DDEAUTO', application: 'c:\\windows\\system32\\cmd.exe', topic: '/k calc' }
 */
export function classifyFieldCode(instruction: string): FieldCodeClass | undefined {
  const all = tokens(instruction);
  const keyword = (all[0]?.text ?? '').toUpperCase();
  const args = all
    .slice(1)
    .filter((t) => !t.isSwitch)
    .map((t) => t.text);
  if (keyword === 'DDE' || keyword === 'DDEAUTO') {
    const item = args[2];
    return {
      kind: 'dde',
      keyword,
      application: args[0] ?? '',
      topic: args[1] ?? '',
      ...(item !== undefined ? { item } : {}),
    };
  }
  if (INCLUDE_KEYWORDS.has(keyword)) {
    // LINK ClassName "FileName" "PlaceReference": the file is the second argument.
    const target = (keyword === 'LINK' ? args[1] : args[0]) ?? '';
    return target === '' ? undefined : { kind: 'include', keyword, target };
  }
  return undefined;
}

/**
 * The value of a QUOTE field: its quoted text, or the characters of its numeric arguments
 * (`QUOTE 99 109 100` → `cmd`), the trick that hid DDE commands from string scanners in 2017.
 */
export function quoteFieldValue(instruction: string): string | undefined {
  const all = tokens(instruction);
  if ((all[0]?.text ?? '').toUpperCase() !== 'QUOTE') return undefined;
  const args = all
    .slice(1)
    .filter((t) => !t.isSwitch)
    .map((t) => t.text);
  if (args.length > 0 && args.every((t) => /^\d{1,5}$/.test(t))) {
    return String.fromCharCode(...args.map((t) => Number(t) & 0xffff));
  }
  return args.join(' ');
}

/**
 * A target outside the machine: http(s)/ftp/WebDAV URLs, UNC paths (`\\host\share`, which also leak
 * NTLM hashes) and `file://host/…`. Local paths such as `file:///C:/Users/…/Normal.dotm` are not.
 */
export function isRemoteTarget(target: string): boolean {
  const t = target.trim();
  return (
    /^(?:https?|ftp|ftps|wss?|webdav):\/\//i.test(t) ||
    /^(?:\\\\|\/\/)[^\\/]/.test(t) ||
    /^file:(?:\/\/|\\\\)(?!\/|[a-z]:)[^\\/]/i.test(t)
  );
}
