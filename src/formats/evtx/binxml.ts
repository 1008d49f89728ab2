import { type Anomaly, FormatError } from '../../core/index.js';
import {
  CHUNK_HEADER_SIZE,
  TEMPLATE_HEADER_SIZE,
  TOKEN_ATTRIBUTE,
  TOKEN_CDATA,
  TOKEN_CHAR_REF,
  TOKEN_CLOSE_EMPTY_ELEMENT,
  TOKEN_CLOSE_START_ELEMENT,
  TOKEN_END_ELEMENT,
  TOKEN_ENTITY_REF,
  TOKEN_EOF,
  TOKEN_FRAGMENT_HEADER,
  TOKEN_MORE_FLAG,
  TOKEN_NORMAL_SUBSTITUTION,
  TOKEN_OPEN_START_ELEMENT,
  TOKEN_OPTIONAL_SUBSTITUTION,
  TOKEN_PI_DATA,
  TOKEN_PI_TARGET,
  TOKEN_TEMPLATE_INSTANCE,
  TOKEN_VALUE,
  VT_ANSI_STRING,
  VT_STRING,
} from './constants.js';
import {
  type EvtxValue,
  NestedXml,
  NODE_ELEMENT,
  NODE_INSTANCE,
  NODE_SUBST,
  NODE_TEXT,
  type XAttr,
  type XElement,
  type XInstance,
  type XNode,
  type XTemplate,
} from './nodes.js';
import type { ResolvedEvtxOptions } from './types.js';
import { decodeValue } from './values.js';

const utf16 = new TextDecoder('utf-16le');
/** Up to this many UTF-16 units, strings are decoded by hand. */
const SHORT_STRING = 16;
const latin1 = new TextDecoder('latin1');
// Node's TextDecoder treats windows-1252 as ISO-8859-1: map 0x80–0x9F (€, ‚, ƒ …) by hand.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A template that failed once: later instances fail fast instead of re-parsing it. */
const FAILED: XTemplate = { offset: -1, nodes: [] };

/**
 * Reads BinXml inside one chunk. Offsets in BinXml (names, template definitions) are relative to the chunk
 * start, so positions here are chunk offsets. Templates are parsed once per chunk and cached by offset
 * (MS-EVEN6 2.2.12: a definition appears inline in the first record that uses it, later records point
 * back to it). Malformed input throws FormatError, which the chunk reader turns into a per-record anomaly.
 */
export class ChunkParser {
  readonly view: DataView;
  /** Current read position and the end of the range being read (record, template or nested value). */
  pos = 0;
  end = 0;
  private depth = 0;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, XTemplate>();
  private readonly inProgress = new Set<number>();

  constructor(
    readonly bytes: Uint8Array,
    readonly options: ResolvedEvtxOptions,
    /** Non-fatal defects of the record being read (value size mismatches, unknown types). */
    readonly anomalies: Anomaly[],
    /** File offset of the chunk, for anomaly offsets. */
    readonly fileOffset: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(code: `E_${string}`, message: string, at = this.pos): never {
    throw new FormatError(code, message, { offset: this.fileOffset + at });
  }

  /** The BinXml of one record, in [start, end): usually a fragment header and a template instance. */
  parseRecord(start: number, end: number): XNode[] {
    this.depth = 0;
    return this.parseFragment(start, end, false);
  }

  /** A nested BinXml value (type 0x21). Element headers there carry no dependency identifier. */
  parseNested(start: number, size: number): NestedXml {
    const [pos, end] = [this.pos, this.end];
    try {
      return new NestedXml(this.parseFragment(start, start + size, false));
    } finally {
      [this.pos, this.end] = [pos, end];
    }
  }

  private parseFragment(start: number, end: number, hasDepId: boolean): XNode[] {
    this.pos = start;
    this.end = Math.min(end, this.bytes.length);
    const nodes: XNode[] = [];
    while (this.pos < this.end) {
      const token = this.bytes[this.pos] as number;
      if (token === TOKEN_EOF) {
        this.pos++;
        break;
      }
      const base = this.baseToken(token);
      if (base === TOKEN_FRAGMENT_HEADER) this.pos += 4;
      else if (base === TOKEN_OPEN_START_ELEMENT) nodes.push(this.parseElement(hasDepId));
      else if (base === TOKEN_TEMPLATE_INSTANCE) nodes.push(this.parseInstance());
      else
        this.fail('E_EVTX_BINXML', `unexpected BinXml token 0x${token.toString(16)} at top level`);
    }
    return nodes;
  }

  private baseToken(token: number): number {
    if ((token & ~TOKEN_MORE_FLAG) > TOKEN_FRAGMENT_HEADER) {
      this.fail('E_EVTX_BINXML', `invalid BinXml token 0x${token.toString(16)}`);
    }
    return token & ~TOKEN_MORE_FLAG;
  }

  private u8(): number {
    if (this.pos >= this.end) this.fail('E_EVTX_BINXML', 'BinXml runs past its end');
    return this.bytes[this.pos++] as number;
  }

  private u16(): number {
    if (this.pos + 2 > this.end) this.fail('E_EVTX_BINXML', 'BinXml runs past its end');
    const value = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return value;
  }

  private u32(): number {
    if (this.pos + 4 > this.end) this.fail('E_EVTX_BINXML', 'BinXml runs past its end');
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** UTF-16LE text of `count` code units at `at`. */
  utf16(at: number, count: number): string {
    if (count === 0) return '';
    const bytes = this.bytes;
    if (at + 2 * count > bytes.length) this.fail('E_EVTX_BINXML', 'string runs past the chunk', at);
    if (count > SHORT_STRING) return utf16.decode(bytes.subarray(at, at + 2 * count));
    // Short strings (names, "-", SIDs' users): a TextDecoder call costs more than the characters.
    let text = '';
    for (let i = at, end = at + 2 * count; i < end; i += 2) {
      const unit = (bytes[i] as number) | ((bytes[i + 1] as number) << 8);
      if (unit >= 0xd800 && unit < 0xe000) return utf16.decode(bytes.subarray(at, at + 2 * count));
      text += String.fromCharCode(unit);
    }
    return text;
  }

  /** ANSI text: Windows' default code page for event logs is windows-1252 (as evtx-rs assumes). */
  ansi(at: number, size: number): string {
    if (size === 0) return '';
    const text = latin1.decode(this.bytes.subarray(at, at + size));
    return /[\x80-\x9f]/.test(text)
      ? text.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] as string)
      : text;
  }

  /** A length-prefixed UTF-16 string (ValueText, CDATA, PI data). */
  private prefixedString(): string {
    const count = this.u16();
    if (this.pos + 2 * count > this.end) this.fail('E_EVTX_BINXML', 'string runs past its end');
    const text = this.utf16(this.pos, count);
    this.pos += 2 * count;
    return text;
  }

  /**
   * A name reference (MS-EVEN6 2.2.12 Name): a chunk offset; when it points at the current position the
   * name is defined right here (next offset u32, hash u16, count u16, UTF-16, NUL) and is skipped over.
   */
  private readName(): string {
    const offset = this.u32();
    if (offset === this.pos) {
      if (offset + 8 > this.end) this.fail('E_EVTX_BINXML', 'inline name runs past its end');
      const next = offset + 10 + 2 * this.view.getUint16(offset + 6, true);
      if (next > this.end) this.fail('E_EVTX_BINXML', 'inline name runs past its end');
      this.pos = next;
    }
    const cached = this.names.get(offset);
    if (cached !== undefined) return cached;
    if (offset < CHUNK_HEADER_SIZE || offset + 8 > this.bytes.length) {
      this.fail('E_EVTX_BAD_OFFSET', `name offset 0x${offset.toString(16)} outside the chunk`);
    }
    const name = this.utf16(offset + 8, this.view.getUint16(offset + 6, true));
    this.names.set(offset, name);
    return name;
  }

  private enter(): void {
    if (++this.depth > this.options.maxDepth) {
      this.fail('E_EVTX_TOO_DEEP', `BinXml nests deeper than ${this.options.maxDepth}`);
    }
  }

  private parseElement(hasDepId: boolean): XElement {
    this.enter();
    const token = this.u8();
    if (hasDepId) this.pos += 2;
    this.pos += 4; // data size: the end is found by tokens, which are checked against the range
    const name = this.readName();
    if (token & TOKEN_MORE_FLAG) this.pos += 4; // attribute list size
    const attrs: XAttr[] = [];
    let nameAttr: XAttr | undefined;
    while (
      this.pos < this.end &&
      ((this.bytes[this.pos] as number) & ~TOKEN_MORE_FLAG) === TOKEN_ATTRIBUTE
    ) {
      this.pos++;
      const attr: XAttr = { name: this.readName(), parts: [] };
      this.parseAttributeValue(attr.parts);
      if (attr.name === 'Name') nameAttr = attr;
      attrs.push(attr);
    }
    const close = this.u8();
    const children: XNode[] = [];
    if (close === TOKEN_CLOSE_START_ELEMENT) this.parseContent(children, hasDepId);
    else if (close !== TOKEN_CLOSE_EMPTY_ELEMENT) {
      this.fail(
        'E_EVTX_BINXML',
        `element <${name}>: expected end of start tag, got 0x${close.toString(16)}`,
        this.pos - 1,
      );
    }
    this.depth--;
    const isData = name === 'Data';
    return {
      kind: NODE_ELEMENT,
      name,
      attrs,
      children,
      isContainer: name === 'EventData' || name === 'UserData',
      isData,
      nameAttr: isData ? nameAttr : undefined,
    };
  }

  private parseAttributeValue(parts: XNode[]): void {
    while (this.pos < this.end) {
      const base = this.baseToken(this.bytes[this.pos] as number);
      if (!this.parseValueToken(base, parts)) return;
    }
  }

  /** Text, character/entity references and substitutions; false for any other token (not consumed). */
  private parseValueToken(base: number, out: XNode[]): boolean {
    switch (base) {
      case TOKEN_VALUE: {
        this.pos++;
        const type = this.u8();
        if (type === VT_STRING) out.push(text(this.prefixedString()));
        else if (type === VT_ANSI_STRING) {
          const size = this.u16();
          out.push(text(this.ansi(this.pos, size)));
          this.pos += size;
        } else this.fail('E_EVTX_BINXML', `value text of type 0x${type.toString(16)}`);
        return true;
      }
      case TOKEN_NORMAL_SUBSTITUTION:
      case TOKEN_OPTIONAL_SUBSTITUTION: {
        this.pos++;
        const index = this.u16();
        this.pos++; // declared type: the instance's value descriptor is what counts
        out.push({ kind: NODE_SUBST, index, isOptional: base === TOKEN_OPTIONAL_SUBSTITUTION });
        return true;
      }
      case TOKEN_CHAR_REF:
        this.pos++;
        out.push(text(String.fromCharCode(this.u16())));
        return true;
      case TOKEN_ENTITY_REF: {
        this.pos++;
        const name = this.readName();
        out.push(text(ENTITIES[name] ?? `&${name};`));
        return true;
      }
      default:
        return false;
    }
  }

  private parseContent(out: XNode[], hasDepId: boolean): void {
    for (;;) {
      if (this.pos >= this.end) this.fail('E_EVTX_BINXML', 'element not closed before the end');
      const token = this.bytes[this.pos] as number;
      const base = this.baseToken(token);
      if (base === TOKEN_END_ELEMENT) {
        this.pos++;
        return;
      }
      if (this.parseValueToken(base, out)) continue;
      switch (base) {
        case TOKEN_OPEN_START_ELEMENT:
          out.push(this.parseElement(hasDepId));
          break;
        case TOKEN_CDATA:
          this.pos++;
          out.push(text(this.prefixedString()));
          break;
        case TOKEN_PI_TARGET:
          // Processing instructions carry no event data; evtx-rs leaves them out of JSON too.
          this.pos++;
          this.readName();
          if (this.bytes[this.pos] === TOKEN_PI_DATA) {
            this.pos++;
            this.prefixedString();
          }
          break;
        case TOKEN_TEMPLATE_INSTANCE:
          out.push(this.parseInstance());
          break;
        case TOKEN_FRAGMENT_HEADER:
          this.pos += 4;
          break;
        default:
          this.fail('E_EVTX_BINXML', `unexpected BinXml token 0x${token.toString(16)} in content`);
      }
    }
  }

  /** MS-EVEN6 2.2.12 TemplateInstance: definition (inline or by offset), then the value array. */
  private parseInstance(): XInstance {
    this.pos += 2; // token, unknown byte
    this.pos += 4; // template identifier (first 4 bytes of the GUID): the offset is what is used
    const offset = this.u32();
    let template: XTemplate;
    if (offset === this.pos) {
      if (offset + TEMPLATE_HEADER_SIZE > this.end)
        this.fail('E_EVTX_BINXML', 'template header runs past its end');
      const dataSize = this.view.getUint32(offset + 20, true);
      template = this.template(offset);
      this.pos = offset + TEMPLATE_HEADER_SIZE + dataSize;
    } else {
      template = this.template(offset);
    }
    return { kind: NODE_INSTANCE, template, values: this.parseValues() };
  }

  private parseValues(): EvtxValue[] {
    const count = this.u32();
    // SECURITY: each descriptor takes 4 bytes, so the count is bounded by the bytes left; an absurd count
    // must not allocate before it is checked.
    if (count * 4 > this.end - this.pos)
      this.fail('E_EVTX_BINXML', `template instance claims ${count} values`);
    const descriptors = this.pos;
    let at = this.pos + count * 4;
    const values = new Array<EvtxValue>(count);
    for (let i = 0; i < count; i++) {
      const size = this.view.getUint16(descriptors + 4 * i, true);
      const type = this.bytes[descriptors + 4 * i + 2] as number;
      if (at + size > this.end) this.fail('E_EVTX_BINXML', `value ${i} runs past the record`, at);
      values[i] = size === 0 ? '' : decodeValue(this, type, at, size);
      at += size;
    }
    this.pos = at;
    return values;
  }

  /** The template defined at `offset`, parsed on first use. */
  private template(offset: number): XTemplate {
    const cached = this.templates.get(offset);
    if (cached === FAILED)
      this.fail('E_EVTX_BAD_TEMPLATE', `template at 0x${offset.toString(16)} is unreadable`);
    if (cached) return cached;
    // SECURITY: a definition that (directly or not) instantiates itself would recurse forever.
    if (this.inProgress.has(offset))
      this.fail('E_EVTX_TEMPLATE_LOOP', `template at 0x${offset.toString(16)} instantiates itself`);
    if (offset < CHUNK_HEADER_SIZE || offset + TEMPLATE_HEADER_SIZE > this.bytes.length) {
      this.fail('E_EVTX_BAD_OFFSET', `template offset 0x${offset.toString(16)} outside the chunk`);
    }
    const dataSize = this.view.getUint32(offset + 20, true);
    const start = offset + TEMPLATE_HEADER_SIZE;
    const [pos, end] = [this.pos, this.end];
    this.inProgress.add(offset);
    this.enter();
    try {
      const template: XTemplate = {
        offset,
        nodes: this.parseFragment(start, start + dataSize, true),
      };
      this.templates.set(offset, template);
      return template;
    } catch (error) {
      this.templates.set(offset, FAILED);
      throw error;
    } finally {
      this.inProgress.delete(offset);
      this.depth--;
      [this.pos, this.end] = [pos, end];
    }
  }
}

function text(value: string): XNode {
  return { kind: NODE_TEXT, text: value };
}
