/**
 * Builds EVTX files in code ([MS-EVEN6]): file header, 64 KiB chunks with correct CRCs, records whose
 * BinXml uses templates (defined inline once per chunk, then referenced by offset) and substitutions of
 * every value type, plus targeted breakage: a dirty header, corrupt chunks, raw hostile BinXml.
 *
 * Records are given either in the evtx-rs JSON layout the parser produces (`event`, with `types` naming
 * the BinXml type of a leaf by its dotted path), so that `parseEvtx(buildEvtx(spec))` gives the spec back,
 * or at a lower level as a template and its values.
 *
 * @example
 * const bytes = buildEvtx({ chunks: [{ records: [{ recordId: 1, time: T, event: { Event: { … } } }] }] });
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import {
  ByteWriter,
  type ContentSpec,
  type ElementSpec,
  encodeValue,
  type EvtxValueType,
  isoToFiletime,
  nameHash,
  type TypedValue,
  valueTypeCode,
} from './evtx-binxml.js';
import { eventToTemplate } from './evtx-layout.js';

export type { ContentSpec, ElementSpec, EvtxValueType, TypedValue } from './evtx-binxml.js';
export { encodeValue, isoToFiletime } from './evtx-binxml.js';

const crc32 = (bytes: Uint8Array): number => zlibCrc32(bytes) >>> 0;
const CHUNK_SIZE = 65536;
const FILE_HEADER_SIZE = 4096;
const CHUNK_HEADER_SIZE = 512;
const XMLNS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** A record in the evtx-rs JSON layout; leaves become substitutions (strings → string, numbers → uint32…). */
export interface EvtxRecordSpec {
  recordId: number;
  /** Record header time, ISO 8601 with microseconds. */
  time: string;
  event: Record<string, unknown>;
  /** Dotted JSON path of a leaf → its BinXml type, e.g. `{'Event.System.Keywords': 'hex64'}`; 'literal' writes text. */
  types?: Record<string, EvtxValueType | 'literal'>;
}

/** A record as a template and its values, direct elements, or raw BinXml written at a chunk offset. */
export interface RawRecordSpec {
  recordId: number;
  time: string;
  template?: ElementSpec;
  values?: TypedValue[];
  /** Elements written without a template (text content only). */
  elements?: ElementSpec;
  binxml?: (chunkOffset: number) => Uint8Array;
}

export interface EvtxChunkSpec {
  records: (EvtxRecordSpec | RawRecordSpec)[];
  /** Breakage: a wrong header or records checksum, or the chunk overwritten with non-zero garbage. */
  corrupt?: 'header-crc' | 'data-crc' | 'garbage';
}

export interface EvtxFileSpec {
  chunks: EvtxChunkSpec[];
  /** The file header's chunk count (default: the real one); fewer makes a "dirty header". */
  headerChunkCount?: number;
  headerFlags?: number;
  /** Cut the file after this many bytes. */
  truncateTo?: number;
}

const shapeIds = new Map<string, number>();
const keys = new WeakMap<object, string>();

/** Same shape, same template. Nested instances are keyed by a shape id, so keys stay small. */
function templateKey(template: ElementSpec): string {
  const cached = keys.get(template);
  if (cached !== undefined) return cached;
  const key = JSON.stringify(template, (name, value: unknown) => {
    if (name !== 'instance' || value === null || typeof value !== 'object') return value;
    const inner = templateKey(value as ElementSpec);
    if (!shapeIds.has(inner)) shapeIds.set(inner, shapeIds.size);
    return `#${shapeIds.get(inner)}`;
  });
  keys.set(template, key);
  return key;
}

function isJsonSpec(record: EvtxRecordSpec | RawRecordSpec): record is EvtxRecordSpec {
  return 'event' in record;
}

/** Writes one chunk: names and templates are shared by the records of this chunk only. */
export class ChunkWriter {
  readonly w = new ByteWriter(CHUNK_SIZE);
  private readonly names = new Map<string, number>();
  private readonly templates = new Map<string, number>();
  private currentTemplate = 0;
  readonly recordIds: number[] = [];
  lastRecordOffset = CHUNK_HEADER_SIZE;

  constructor() {
    this.w.pos = CHUNK_HEADER_SIZE;
  }

  name(name: string): void {
    const known = this.names.get(name);
    if (known !== undefined) {
      this.w.u32(known);
      return;
    }
    const at = this.w.pos + 4;
    this.names.set(name, at);
    this.w.u32(at).u32(0).u16(nameHash(name)).u16(name.length).utf16(name).u16(0);
  }

  /** An element; `hasDepId` is true inside template definitions only (evtx-rs, MS-EVEN6 2.2.12). */
  element(spec: ElementSpec, hasDepId: boolean): void {
    const attrs = Object.entries(spec.attrs ?? {});
    const w = this.w;
    w.u8(attrs.length > 0 ? 0x41 : 0x01);
    if (hasDepId) w.u16(0xffff);
    const sizeAt = w.pos;
    w.u32(0);
    this.name(spec.el);
    const attrListAt = w.pos;
    if (attrs.length > 0) w.u32(0);
    attrs.forEach(([name, parts], i) => {
      w.u8(i < attrs.length - 1 ? 0x46 : 0x06);
      this.name(name);
      for (const part of parts) this.content(part, hasDepId);
    });
    if (attrs.length > 0) w.patch32(attrListAt, w.pos - attrListAt - 4);
    const children = spec.children ?? [];
    if (children.length === 0) w.u8(0x03);
    else {
      w.u8(0x02);
      for (const child of children) this.content(child, hasDepId);
      w.u8(0x04);
    }
    w.patch32(sizeAt, w.pos - sizeAt - 4);
  }

  content(node: ContentSpec, hasDepId: boolean): void {
    const w = this.w;
    if ('el' in node) this.element(node, hasDepId);
    else if ('text' in node) w.u8(0x05).u8(0x01).u16(node.text.length).utf16(node.text);
    else if ('sub' in node)
      w.u8(node.optional ? 0x0e : 0x0d)
        .u16(node.sub)
        .u8(valueTypeCode(node.type));
    else if ('charRef' in node) w.u8(0x08).u16(node.charRef);
    else if ('entity' in node) {
      w.u8(0x09);
      this.name(node.entity);
    } else if ('cdata' in node) w.u8(0x07).u16(node.cdata.length).utf16(node.cdata);
    else if ('pi' in node) {
      w.u8(0x0a);
      this.name(node.pi);
      w.u8(0x0b).u16(node.data.length).utf16(node.data);
    } else if ('instance' in node) this.instance(node.instance, node.values);
    else w.u8(0x0c).u8(0x01).u32(0).u32(this.currentTemplate).u32(0);
  }

  /** A template instance: the definition inline when new in this chunk, then the values. */
  instance(template: ElementSpec, values: TypedValue[]): void {
    const w = this.w;
    const key = templateKey(template);
    const known = this.templates.get(key);
    w.u8(0x0c)
      .u8(0x01)
      .u32(nameHash(key) * 0x10001);
    if (known !== undefined) w.u32(known);
    else {
      const at = w.pos + 4;
      this.templates.set(key, at);
      w.u32(at).u32(0);
      for (let i = 0; i < 16; i++) w.u8((nameHash(key) >> (i % 2 ? 8 : 0)) & 0xff);
      const sizeAt = w.pos;
      w.u32(0);
      const outer = this.currentTemplate;
      this.currentTemplate = at;
      w.u8(0x0f).u8(0x01).u8(0x01).u8(0x00);
      this.element(template, true);
      w.u8(0x00);
      this.currentTemplate = outer;
      w.patch32(sizeAt, w.pos - sizeAt - 4);
    }
    w.u32(values.length);
    const descriptors = w.pos;
    for (const v of values) w.u16(0).u8(valueTypeCode(v.type)).u8(0);
    values.forEach((v, i) => {
      const start = w.pos;
      if (v.raw) w.raw(v.raw);
      else if (v.type === 'binxml') {
        // Nested BinXml is parsed in place: its element headers carry no dependency id.
        w.u8(0x0f).u8(0x01).u8(0x01).u8(0x00);
        for (const el of v.value as ElementSpec[]) this.element(el, false);
        w.u8(0x00);
      } else w.raw(encodeValue(v.type, v.value));
      w.view.setUint16(descriptors + 4 * i, w.pos - start, true);
    });
  }

  record(spec: EvtxRecordSpec | RawRecordSpec): void {
    const w = this.w;
    const start = w.pos;
    this.lastRecordOffset = start;
    this.recordIds.push(spec.recordId);
    w.u32(0x2a2a).u32(0).u64(BigInt(spec.recordId)).u64(isoToFiletime(spec.time));
    if (isJsonSpec(spec)) {
      const { template, values } = eventToTemplate(spec.event, spec.types ?? {});
      w.u8(0x0f).u8(0x01).u8(0x01).u8(0x00);
      this.instance(template, values);
      w.u8(0x00);
    } else if (spec.binxml) {
      w.raw(spec.binxml(w.pos));
    } else if (spec.elements) {
      w.u8(0x0f).u8(0x01).u8(0x01).u8(0x00);
      this.element(spec.elements, false);
      w.u8(0x00);
    } else {
      w.u8(0x0f).u8(0x01).u8(0x01).u8(0x00);
      this.instance(spec.template ?? { el: 'Event' }, spec.values ?? []);
      w.u8(0x00);
    }
    while ((w.pos - start) % 8 !== 4) w.u8(0); // records are 8-byte aligned
    w.u32(w.pos + 4 - start);
    w.patch32(start + 4, w.pos - start);
    if (w.pos > CHUNK_SIZE) throw new Error(`evtx builder: chunk overflow (${w.pos} bytes)`);
  }

  finish(corrupt?: EvtxChunkSpec['corrupt']): Uint8Array {
    const chunk = new Uint8Array(CHUNK_SIZE);
    chunk.set(this.w.bytes.subarray(0, this.w.pos));
    const view = new DataView(chunk.buffer);
    const freeSpace = this.w.pos;
    chunk.set([0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]);
    const first = BigInt(this.recordIds[0] ?? 0);
    const last = BigInt(this.recordIds[this.recordIds.length - 1] ?? 0);
    view.setBigUint64(8, first, true);
    view.setBigUint64(16, last, true);
    view.setBigUint64(24, first, true);
    view.setBigUint64(32, last, true);
    view.setUint32(40, 128, true);
    view.setUint32(44, this.lastRecordOffset, true);
    view.setUint32(48, freeSpace, true);
    [...this.templates.values()]
      .slice(0, 32)
      .forEach((at, i) => view.setUint32(384 + 4 * i, at, true));
    view.setUint32(52, crc32(chunk.subarray(CHUNK_HEADER_SIZE, freeSpace)), true);
    if (corrupt === 'data-crc') view.setUint32(52, view.getUint32(52, true) ^ 1, true);
    const headerBytes = new Uint8Array(504);
    headerBytes.set(chunk.subarray(0, 120));
    headerBytes.set(chunk.subarray(128, 512), 120);
    view.setUint32(124, crc32(headerBytes), true);
    if (corrupt === 'header-crc') view.setUint32(124, view.getUint32(124, true) ^ 1, true);
    if (corrupt === 'garbage')
      for (let i = 0; i < CHUNK_SIZE; i++) chunk[i] = ((i * 131) % 251) + 1;
    return chunk;
  }
}

/** One chunk's bytes. */
export function buildEvtxChunk(spec: EvtxChunkSpec): Uint8Array {
  const writer = new ChunkWriter();
  for (const record of spec.records) writer.record(record);
  return writer.finish(spec.corrupt);
}

/** A whole .evtx file. */
export function buildEvtx(spec: EvtxFileSpec): Uint8Array {
  const chunks = spec.chunks.map(buildEvtxChunk);
  const file = new Uint8Array(FILE_HEADER_SIZE + chunks.length * CHUNK_SIZE);
  chunks.forEach((c, i) => file.set(c, FILE_HEADER_SIZE + i * CHUNK_SIZE));
  const view = new DataView(file.buffer);
  file.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]);
  const lastId = Math.max(0, ...spec.chunks.flatMap((c) => c.records.map((r) => r.recordId)));
  view.setBigUint64(8, 0n, true);
  view.setBigUint64(16, BigInt(Math.max(0, chunks.length - 1)), true);
  view.setBigUint64(24, BigInt(lastId + 1), true);
  view.setUint32(32, 128, true);
  view.setUint16(36, 1, true);
  view.setUint16(38, 3, true);
  view.setUint16(40, FILE_HEADER_SIZE, true);
  view.setUint16(42, spec.headerChunkCount ?? chunks.length, true);
  view.setUint32(120, spec.headerFlags ?? 0, true);
  view.setUint32(124, crc32(file.subarray(0, 120)), true);
  return spec.truncateTo === undefined ? file : file.slice(0, spec.truncateTo);
}

/**
 * A file of `count` chunks: `chunks` repeated in turn behind one MS-EVEN6 2.2 file header ("ElfFile\0",
 * last chunk, header size 128, version 3.1, block size, chunk count saturated at 0xffff, CRC), for
 * benchmarks that need a log of any size made of real or built chunks.
 */
export function repeatEvtxChunks(chunks: readonly Uint8Array[], count: number): Uint8Array {
  const out = new Uint8Array(FILE_HEADER_SIZE + count * CHUNK_SIZE);
  const view = new DataView(out.buffer);
  out.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]);
  view.setBigUint64(16, BigInt(count - 1), true);
  view.setUint32(32, 128, true);
  view.setUint16(36, 1, true);
  view.setUint16(38, 3, true);
  view.setUint16(40, FILE_HEADER_SIZE, true);
  view.setUint16(42, Math.min(count, 0xffff), true);
  view.setUint32(124, crc32(out.subarray(0, 120)), true);
  for (let i = 0; i < count; i++)
    out.set(chunks[i % chunks.length]!, FILE_HEADER_SIZE + i * CHUNK_SIZE);
  return out;
}

/** The usual `Event` root attributes. */
export function eventRoot(body: Record<string, unknown>): Record<string, unknown> {
  return { Event: { '#attributes': { xmlns: XMLNS }, ...body } };
}
