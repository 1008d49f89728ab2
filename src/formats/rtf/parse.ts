import type { Anomaly } from '../../core/index.js';
import {
  DESTINATION_WORDS,
  KEPT_DESTINATIONS,
  OBJECT_KIND_WORDS,
  type KeptDestination,
} from './destinations.js';
import {
  BACKSLASH,
  BRACE_CLOSE,
  BRACE_OPEN,
  lexRtf,
  readControlWord,
  skipFallback,
} from './control-word.js';
import { ByteSink, hexValue } from './sink.js';
import {
  MAX_RTF_DESTINATION_DEPTH,
  MAX_RTF_FIELDS,
  MAX_RTF_OBJECT_BYTES,
  MAX_RTF_OBJECTS,
  MAX_RTF_TEXT_CHARS,
  MAX_RTF_TOTAL_OBJECT_BYTES,
  type RtfDocument,
  type RtfObject,
  type RtfObjectKind,
  type RtfParseOptions,
} from './types.js';

const HEX_VALUES = Int8Array.from({ length: 256 }, (_, b) => hexValue(b));

interface Destination {
  word: string;
  kept: KeptDestination | undefined;
  /** Group level it was opened at; it closes with that group. */
  level: number;
  offset: number;
  /** First byte of its content. */
  start: number;
  text: string;
  sink?: ByteSink;
  tricks?: Set<string>;
}

interface OpenObject {
  level: number;
  offset: number;
  objclass?: string;
  oleClsid?: string;
  kind?: RtfObjectKind;
  isUpdate: boolean;
  datas: Destination[];
}

/**
 * Reads RTF the way Word does rather than the way the specification says, since droppers are built to
 * pass Word and fail scanners (rtfobj's notes): only `{\rt` is checked, destination words open a
 * destination wherever they appear, `\*\unknown` groups are skipped, any non-hex byte inside `\objdata`
 * is ignored, `\bin N` inserts N raw bytes, `\'hh` inside `\objdata` drops a pending odd hex digit
 * (a Word bug droppers use), unbalanced or missing braces are tolerated. One linear pass; nesting is a
 * counter, so 100,000 `{` cost nothing; every output is capped.
 *
 * @example
 * const doc = parseRtf(bytes);
 * for (const o of doc.objects) console.log(o.objclass, o.data.length);
 */
export function parseRtf(bytes: Uint8Array, options: RtfParseOptions = {}): RtfDocument {
  return new RtfReader(bytes, options).read();
}

class RtfReader {
  private readonly anomalies: Anomaly[] = [];
  private readonly doc: RtfDocument;
  private readonly dests: Destination[];
  private level = 0;
  private isIgnorable = false;
  private object: OpenObject | undefined;
  private totalObjectBytes = 0;
  private readonly reported = new Set<string>();
  private readonly max: Required<Omit<RtfParseOptions, 'checkDeadline'>>;

  constructor(
    private readonly b: Uint8Array,
    private readonly options: RtfParseOptions,
  ) {
    this.max = {
      maxObjectBytes: options.maxObjectBytes ?? MAX_RTF_OBJECT_BYTES,
      maxTotalObjectBytes: options.maxTotalObjectBytes ?? MAX_RTF_TOTAL_OBJECT_BYTES,
      maxObjects: options.maxObjects ?? MAX_RTF_OBJECTS,
      maxFields: options.maxFields ?? MAX_RTF_FIELDS,
      maxTextChars: options.maxTextChars ?? MAX_RTF_TEXT_CHARS,
      maxDestinationDepth: options.maxDestinationDepth ?? MAX_RTF_DESTINATION_DEPTH,
    };
    const hasHeader = b[0] === BRACE_OPEN && b[1] === BACKSLASH && b[2] === 0x72 && b[3] === 0x74;
    this.doc = {
      hasHeader,
      objects: [],
      fields: [],
      templates: [],
      maxGroupDepth: 0,
      anomalies: this.anomalies,
    };
    this.dests = [{ word: '', kept: undefined, level: 0, offset: 0, start: 0, text: '' }];
    if (!hasHeader) this.note('E_RTF_NO_HEADER', 'the input does not start with {\\rt', 0);
  }

  read(): RtfDocument {
    const n = this.b.length;
    lexRtf(
      this.b,
      {
        openGroup: () => {
          this.level++;
          if (this.level > this.doc.maxGroupDepth) this.doc.maxGroupDepth = this.level;
          return true;
        },
        closeGroup: (at) => {
          this.isIgnorable = false;
          this.closeGroup(at);
        },
        controlWord: (at) => this.controlWord(at),
        controlSymbol: (at) => this.controlSymbol(at),
        text: (from, to) => {
          this.isIgnorable = false;
          this.text(from, to);
        },
      },
      this.options.checkDeadline,
    );
    if (this.level > 0) {
      this.note('E_RTF_UNCLOSED_GROUPS', `${this.level} group(s) left open at the end`, n);
      while (this.level > 0) this.closeGroup(n);
    }
    this.finishObject();
    return this.doc;
  }

  private get top(): Destination {
    return this.dests[this.dests.length - 1]!;
  }

  private closeGroup(at: number): void {
    if (this.level === 0) {
      this.note('E_RTF_UNBALANCED', 'a } closes more groups than were opened', at);
      return;
    }
    while (this.dests.length > 1 && this.top.level >= this.level) this.finish(this.dests.pop()!);
    if (this.object && this.object.level >= this.level) this.finishObject();
    this.level--;
  }

  private controlWord(i: number): number {
    const { word, param, end: k } = readControlWord(this.b, i);
    if (word === 'bin') return this.binary(k, param);
    if (word === 'u' && param !== undefined) {
      this.isIgnorable = false;
      this.appendText(String.fromCharCode(param < 0 ? param + 0x10000 : param));
      return skipFallback(this.b, k);
    }
    const isIgnorable = this.isIgnorable;
    this.isIgnorable = false;
    if (DESTINATION_WORDS.has(word) || isIgnorable) this.openDestination(word, i, k);
    else if (this.object && OBJECT_KIND_WORDS.has(word)) {
      this.object.kind = word.slice(3) as RtfObjectKind;
    } else if (this.object && word === 'objupdate') this.object.isUpdate = true;
    else if (this.top.kept === 'objdata') this.trick('control words inside the hex');
    return k;
  }

  private controlSymbol(i: number): number {
    const symbol = this.b[i + 1];
    if (symbol === undefined) return i + 1;
    if (symbol === 0x2a) {
      this.isIgnorable = true;
      return i + 2;
    }
    this.isIgnorable = false;
    if (symbol === 0x27) return this.hexEscape(i);
    if (symbol === BACKSLASH || symbol === BRACE_OPEN || symbol === BRACE_CLOSE) {
      if (this.top.kept === 'objdata') this.trick('escaped characters inside the hex');
      else this.appendText(String.fromCharCode(symbol));
    } else if (symbol === 0x7e) this.appendText(' ');
    else if (symbol === 0x5f) this.appendText('-');
    return i + 2;
  }

  /** `\'hh`: a character in text. In `\objdata`, Word drops a pending odd hex digit (rtfobj). */
  private hexEscape(i: number): number {
    const dest = this.top;
    if (dest.kept === 'objdata') {
      if (dest.sink && dest.sink.nibble >= 0) dest.sink.nibble = -1;
      this.trick("\\'hh escapes inside the hex");
    } else {
      const hi = hexValue(this.b[i + 2] ?? 0);
      const lo = hexValue(this.b[i + 3] ?? 0);
      if (hi >= 0 && lo >= 0) this.appendText(String.fromCharCode((hi << 4) | lo));
    }
    return Math.min(this.b.length, i + 4);
  }

  /** `\binN`: N raw bytes follow; a negative or missing N is 0 (rtfobj's tests of Word). */
  private binary(at: number, param: number | undefined): number {
    const length = Math.max(0, param ?? 0);
    const end = Math.min(this.b.length, at + length);
    if (at + length > this.b.length) {
      this.note('E_RTF_BIN_TRUNCATED', `\\bin${length} runs past the end of the input`, at);
    }
    const dest = this.top;
    if (dest.sink) {
      this.trick('\\bin raw bytes inside the hex');
      for (let p = at; p < end; p++) {
        dest.sink.pushNibble(this.b[p]! >> 4);
        dest.sink.pushNibble(this.b[p]! & 0x0f);
      }
    }
    return end;
  }

  private openDestination(word: string, offset: number, start: number): void {
    // rtfobj: a destination opened at the level of the current one replaces it.
    if (this.dests.length > 1 && this.top.level === this.level) {
      this.finish(this.dests.pop()!);
    }
    if (this.dests.length >= this.max.maxDestinationDepth) {
      this.note(
        'E_RTF_TOO_DEEP',
        `more than ${this.max.maxDestinationDepth} nested destinations`,
        offset,
      );
      return;
    }
    if (this.top.kept === 'objdata') this.trick('RTF groups inside the hex');
    const kept = KEPT_DESTINATIONS.has(word) ? (word as KeptDestination) : undefined;
    const dest: Destination = { word, kept, level: this.level, offset, start, text: '' };
    if (word === 'object') {
      this.finishObject();
      this.object = { level: this.level, offset, isUpdate: false, datas: [] };
    }
    if (kept === 'objdata') {
      const left = this.max.maxTotalObjectBytes - this.totalObjectBytes;
      dest.sink = new ByteSink(Math.max(0, Math.min(this.max.maxObjectBytes, left)));
      dest.tricks = new Set();
    }
    this.dests.push(dest);
  }

  private text(from: number, to: number): void {
    const dest = this.top;
    if (dest.sink) {
      for (let p = from; p < to; p++) {
        const c = this.b[p]!;
        const v = HEX_VALUES[c]!;
        if (v >= 0) dest.sink.pushNibble(v);
        else if (c !== 0x20 && c !== 0x0d && c !== 0x0a && c !== 0x09) {
          this.trick('non-hex characters inside the hex');
        }
      }
    } else if (dest.kept !== undefined) {
      // Decode no more than the room left (plus the line breaks that are dropped): text runs can be huge.
      const room = Math.max(0, this.max.maxTextChars - dest.text.length);
      const cut = Math.min(to, from + room * 2 + 2);
      this.appendText(latin1(this.b, from, cut).replace(/[\r\n]/g, ''));
      if (cut < to) this.note('E_RTF_TEXT_TOO_LONG', `\\${dest.word} text cut`, dest.offset);
    }
  }

  private appendText(text: string): void {
    const dest = this.top;
    if (dest.kept === undefined || dest.sink) return;
    const room = this.max.maxTextChars - dest.text.length;
    if (text.length > room)
      this.note('E_RTF_TEXT_TOO_LONG', `\\${dest.word} text cut`, dest.offset);
    if (room > 0) dest.text += text.slice(0, room);
  }

  private trick(what: string): void {
    this.top.tricks?.add(what);
  }

  private finish(dest: Destination): void {
    if (dest.kept === 'objdata') this.finishData(dest);
    else if (dest.kept === 'objclass' && this.object) this.object.objclass ??= dest.text.trim();
    else if (dest.kept === 'oleclsid' && this.object) this.object.oleClsid ??= dest.text.trim();
    else if (dest.kept === 'fldinst' || dest.kept === 'template') {
      if (this.doc.fields.length + this.doc.templates.length >= this.max.maxFields) {
        this.note('E_LIMIT_RTF_FIELDS', `more than ${this.max.maxFields} fields`, dest.offset);
      } else if (dest.kept === 'fldinst') {
        this.doc.fields.push({ offset: dest.offset, instruction: dest.text });
      } else this.doc.templates.push({ offset: dest.offset, target: dest.text.trim() });
    }
  }

  private finishData(dest: Destination): void {
    const sink = dest.sink!;
    if (sink.nibble >= 0) dest.tricks?.add('an odd number of hex digits');
    if (sink.isTruncated) {
      this.note('E_LIMIT_RTF_OBJECT_BYTES', 'object data cut at the byte cap', dest.offset);
    }
    this.totalObjectBytes += sink.length;
    if (this.object) this.object.datas.push(dest);
    else
      this.pushObject({ level: this.level, offset: dest.offset, isUpdate: false, datas: [dest] });
  }

  private finishObject(): void {
    const object = this.object;
    if (!object) return;
    this.object = undefined;
    this.pushObject(object);
  }

  private pushObject(object: OpenObject): void {
    const datas: (Destination | undefined)[] = object.datas.length > 0 ? object.datas : [undefined];
    for (const data of datas) {
      if (this.doc.objects.length >= this.max.maxObjects) {
        this.note('E_LIMIT_RTF_OBJECTS', `more than ${this.max.maxObjects} objects`, object.offset);
        return;
      }
      const out: RtfObject = {
        offset: object.offset,
        isUpdate: object.isUpdate,
        data: data?.sink?.bytes() ?? new Uint8Array(),
        isTruncated: data?.sink?.isTruncated ?? false,
        obfuscation: [...(data?.tricks ?? [])],
      };
      if (data) out.dataOffset = data.start;
      if (object.objclass !== undefined) out.objclass = object.objclass;
      if (object.oleClsid !== undefined) out.oleClsid = object.oleClsid;
      if (object.kind !== undefined) out.kind = object.kind;
      this.doc.objects.push(out);
    }
  }

  /** One anomaly per code: a million stray braces are one finding, not a million. */
  private note(code: `E_${string}`, message: string, offset: number): void {
    if (this.reported.has(code)) return;
    this.reported.add(code);
    this.anomalies.push({ code, message, offset });
  }
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  if (to - from <= 64) {
    let out = '';
    for (let p = from; p < to; p++) out += String.fromCharCode(bytes[p]!);
    return out;
  }
  let out = '';
  for (let p = from; p < to; p += 8192) {
    out += String.fromCharCode.apply(
      null,
      bytes.subarray(p, Math.min(to, p + 8192)) as unknown as number[],
    );
  }
  return out;
}
