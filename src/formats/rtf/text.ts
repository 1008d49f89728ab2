import { DESTINATION_WORDS } from './destinations.js';
import { PictureCollector, type RtfPicture } from './pictures.js';
import { isLetter, readControlWord } from './control-word.js';
import { hexValue } from './sink.js';

export interface RtfTextOptions {
  /** Characters returned at most. */
  maxChars?: number;
  /** Collect PNG and JPEG pictures (`\pngblip`, `\jpegblip`), at most this many. Default 0: none. */
  maxPictures?: number;
  maxPictureBytes?: number;
  /** Called every MiB of input; may throw to stop. */
  checkDeadline?: () => void;
}

export interface RtfText {
  /** Paragraphs as a reader sees them; table cells are separated by tabs. */
  paragraphs: string[];
  isTruncated: boolean;
  /** PNG/JPEG pictures in document order, when `maxPictures` asked for them. */
  pictures: RtfPicture[];
}

export const MAX_RTF_TEXT_OUTPUT_CHARS = 2 * 1024 * 1024;
const MAX_STATE_DEPTH = 1024;
const DEADLINE_EVERY = 1 << 20;

/**
 * Destinations whose text is shown (RTF 1.9.1): field results, the picture-or-text result of an
 * object, text boxes; the groups that only contain them (`field`, `object`, shapes) are walked.
 * Every other destination — font and style tables, `\info`, `\fldinst`, `\objdata`, pictures,
 * headers and footers, every `{\*\…}` group — is not body text.
 */
const SHOWN = new Set([
  'field',
  'fldrslt',
  'object',
  'result',
  'shp',
  'shpinst',
  'shpgrp',
  'shptxt',
]);

const SPECIAL: Readonly<Record<string, string>> = {
  tab: '\t',
  cell: '\t',
  nestcell: '\t',
  line: '\n',
  emdash: '\u2014',
  endash: '\u2013',
  emspace: '\u2003',
  enspace: '\u2002',
  qmspace: '\u2005',
  bullet: '\u2022',
  lquote: '\u2018',
  rquote: '\u2019',
  ldblquote: '\u201c',
  rdblquote: '\u201d',
  zwj: '\u200d',
  zwnj: '\u200c',
};
const BREAKS = new Set(['par', 'sect', 'page', 'row', 'nestrow']);

/** `\ansicpgN` → a WHATWG encoding label; unknown pages fall back to windows-1252 (Word's default). */
function encodingOf(codepage: number): string {
  const table: Record<number, string> = {
    932: 'shift_jis',
    936: 'gbk',
    949: 'euc-kr',
    950: 'big5',
    874: 'windows-874',
    65001: 'utf-8',
  };
  if (table[codepage]) return table[codepage]!;
  return codepage >= 1250 && codepage <= 1258 ? `windows-${codepage}` : 'windows-1252';
}

interface State {
  isSkipped: boolean;
  uc: number;
}

/**
 * The plain text of an RTF document, as the safe view shows it: body text, field results and object
 * results, decoded from `\'hh` bytes in the document's ANSI code page (`\ansicpg932` for Japanese)
 * and `\uN` characters. One linear pass; groups deeper than 1,024 share their parent's state.
 *
 * @example
 * rtfText(bytes).paragraphs // ['請求書', 'Invoice attached']
 */
export function rtfText(bytes: Uint8Array, options: RtfTextOptions = {}): RtfText {
  const maxChars = options.maxChars ?? MAX_RTF_TEXT_OUTPUT_CHARS;
  const paragraphs: string[] = [];
  let current = '';
  let chars = 0;
  let isTruncated = false;
  let decoder = new TextDecoder('windows-1252');
  let pending: number[] = [];
  const states: State[] = [{ isSkipped: false, uc: 1 }];
  let overflow = 0;
  let isIgnorable = false;
  let skipChars = 0;
  const state = () => states[states.length - 1]!;
  const pictures = new PictureCollector(options.maxPictures ?? 0, options.maxPictureBytes);
  const wantsPictures = (options.maxPictures ?? 0) > 0;
  const flush = () => {
    if (pending.length === 0) return;
    add(decoder.decode(Uint8Array.from(pending)));
    pending = [];
  };
  const add = (text: string) => {
    if (state().isSkipped || text === '') return;
    if (chars + text.length > maxChars) {
      text = text.slice(0, Math.max(0, maxChars - chars));
      isTruncated = true;
    }
    chars += text.length;
    current += text;
  };
  const byte = (b: number) => {
    if (state().isSkipped) return;
    if (skipChars > 0) skipChars--;
    else pending.push(b);
  };
  const b = bytes;
  const n = b.length;
  let nextCheck = DEADLINE_EVERY;
  let i = 0;
  while (i < n && !isTruncated) {
    if (i >= nextCheck) {
      options.checkDeadline?.();
      nextCheck = i + DEADLINE_EVERY;
    }
    const c = b[i]!;
    if (c === 0x7b || c === 0x7d) {
      flush();
      isIgnorable = false;
      if (c === 0x7d && overflow === 0) pictures.close(states.length);
      if (c === 0x7b) {
        if (states.length < MAX_STATE_DEPTH) states.push({ ...state() });
        else overflow++;
      } else if (overflow > 0) overflow--;
      else if (states.length > 1) states.pop();
      i++;
      continue;
    }
    if (c !== 0x5c) {
      if (wantsPictures && pictures.isCollecting(states.length)) pictures.hex(c);
      else if (c !== 0x0d && c !== 0x0a) {
        if (c < 0x80 && pending.length === 0 && skipChars === 0) add(String.fromCharCode(c));
        else byte(c);
      }
      isIgnorable = false;
      i++;
      continue;
    }
    const next = b[i + 1];
    if (next === undefined) break;
    if (!isLetter(next)) {
      i += 2;
      if (next === 0x2a) {
        isIgnorable = true;
        continue;
      }
      isIgnorable = false;
      if (next === 0x27) {
        const v = (hexValue(b[i] ?? 0) << 4) | hexValue(b[i + 1] ?? 0);
        if (v >= 0) byte(v);
        i += 2;
      } else {
        flush();
        if (next === 0x7e) add('\u00a0');
        else if (next === 0x5f) add('\u2011');
        else if (next === 0x5c || next === 0x7b || next === 0x7d) add(String.fromCharCode(next));
      }
      continue;
    }
    const { word, param, end: k } = readControlWord(b, i);
    i = k;
    const wasIgnorable = isIgnorable;
    isIgnorable = false;
    if (word === 'bin') {
      i = Math.min(n, k + Math.max(0, param ?? 0));
      if (wantsPictures && pictures.isCollecting(states.length)) pictures.raw(b.subarray(k, i));
      continue;
    }
    if (wantsPictures && overflow === 0) pictures.word(word, states.length);
    if (word === 'u' && param !== undefined) {
      flush();
      add(String.fromCharCode(param < 0 ? param + 0x10000 : param));
      skipChars = state().uc;
      continue;
    }
    flush();
    skipChars = 0;
    if (DESTINATION_WORDS.has(word) || wasIgnorable) {
      if (!SHOWN.has(word) || wasIgnorable) state().isSkipped = true;
    } else if (word === 'uc' && param !== undefined) state().uc = Math.max(0, Math.min(param, 8));
    else if (word === 'ansicpg' && param !== undefined) decoder = decoderFor(param);
    else if (BREAKS.has(word)) {
      if (!state().isSkipped) {
        paragraphs.push(current);
        current = '';
        // Each paragraph counts as a character, so a million \par stay within the budget.
        if (++chars > maxChars) isTruncated = true;
      }
    } else if (SPECIAL[word] !== undefined) add(SPECIAL[word]!);
  }
  flush();
  if (current !== '') paragraphs.push(current);
  return {
    paragraphs: trimEmptyRuns(paragraphs),
    isTruncated: isTruncated || pictures.isTruncated,
    pictures: pictures.pictures,
  };
}

function decoderFor(codepage: number): InstanceType<typeof TextDecoder> {
  try {
    return new TextDecoder(encodingOf(codepage));
  } catch {
    return new TextDecoder('windows-1252');
  }
}

/** Runs of empty paragraphs collapse to one: a page of `\par`s is one gap, not a thousand. */
function trimEmptyRuns(paragraphs: string[]): string[] {
  const out: string[] = [];
  for (const p of paragraphs) {
    const text = p.replace(/[ \t]+$/, '');
    if (text === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(text);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
