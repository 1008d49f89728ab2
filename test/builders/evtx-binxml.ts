/**
 * BinXml writing for the EVTX builder ([MS-EVEN6] 2.2.12–2.2.13): value encodings of every type, element
 * and template tokens, names defined inline once per chunk and referenced by offset afterwards.
 */

export type EvtxScalarType =
  | 'null'
  | 'string'
  | 'ansi'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'real32'
  | 'real64'
  | 'bool'
  | 'binary'
  | 'guid'
  | 'size_t'
  | 'filetime'
  | 'systime'
  | 'sid'
  | 'hex32'
  | 'hex64';
/** Arrays are given as their items joined with ',' (the parser's text form). */
export type EvtxValueType = EvtxScalarType | `${EvtxScalarType}[]` | 'binxml';

export const VALUE_TYPE_CODES: Record<EvtxScalarType | 'binxml', number> = {
  null: 0x00,
  string: 0x01,
  ansi: 0x02,
  int8: 0x03,
  uint8: 0x04,
  int16: 0x05,
  uint16: 0x06,
  int32: 0x07,
  uint32: 0x08,
  int64: 0x09,
  uint64: 0x0a,
  real32: 0x0b,
  real64: 0x0c,
  bool: 0x0d,
  binary: 0x0e,
  guid: 0x0f,
  size_t: 0x10,
  filetime: 0x11,
  systime: 0x12,
  sid: 0x13,
  hex32: 0x14,
  hex64: 0x15,
  binxml: 0x21,
};

/** A substitution value: its type and its value as the parser prints it (numbers as numbers). */
export interface TypedValue {
  type: EvtxValueType;
  value: unknown;
  /** Raw bytes instead of an encoding of `value` (hostile tests). */
  raw?: Uint8Array;
}

/** An element of a template (or of a nested fragment); content nodes are below. */
export interface ElementSpec {
  el: string;
  attrs?: Record<string, ContentSpec[]>;
  children?: ContentSpec[];
}

export type ContentSpec =
  | ElementSpec
  | { text: string }
  | { sub: number; type: EvtxValueType; optional?: boolean }
  | { charRef: number }
  | { entity: string }
  | { cdata: string }
  | { pi: string; data: string }
  | { instance: ElementSpec; values: TypedValue[] }
  /** A template instance pointing at the definition being written (a template loop). */
  | { selfInstance: true };

export class ByteWriter {
  bytes: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(size = 4096) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  private room(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
    grown.set(this.bytes);
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): this {
    this.room(1);
    this.view.setUint8(this.pos++, v);
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
    return this;
  }
  u64(v: bigint): this {
    this.room(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, v), true);
    this.pos += 8;
    return this;
  }
  raw(b: Uint8Array): this {
    this.room(b.length);
    this.bytes.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  utf16(s: string): this {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
    return this;
  }
  patch32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, true);
  }
  done(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }
}

const EPOCH_DIFF = 11_644_473_600n;

/** ISO 8601 with up to 7 fractional digits → FILETIME ticks. */
export function isoToFiletime(iso: string): bigint {
  const match = /^(.{19})(?:\.(\d{1,7}))?Z$/.exec(iso);
  if (!match) throw new Error(`bad time ${iso}`);
  const seconds = BigInt(Date.parse(`${match[1]}Z`) / 1000);
  const fraction = BigInt((match[2] ?? '').padEnd(7, '0'));
  return (seconds + EPOCH_DIFF) * 10_000_000n + fraction;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

function guidBytes(text: string): Uint8Array {
  const h = text.replace(/[{}-]/g, '');
  const b = hexBytes(h);
  const swap = (i: number, n: number) => b.subarray(i, i + n).reverse();
  swap(0, 4);
  swap(4, 2);
  swap(6, 2);
  return b;
}

function sidBytes(text: string): Uint8Array {
  const [, revision, authority, ...subs] = text.split('-');
  const w = new ByteWriter(8 + 4 * subs.length);
  w.u8(Number(revision)).u8(subs.length);
  const auth = BigInt(authority ?? '0');
  for (let i = 5; i >= 0; i--) w.u8(Number((auth >> BigInt(8 * i)) & 0xffn));
  for (const s of subs) w.u32(Number(s));
  return w.done();
}

function systimeBytes(iso: string): Uint8Array {
  const d = new Date(iso);
  const w = new ByteWriter(16);
  w.u16(d.getUTCFullYear())
    .u16(d.getUTCMonth() + 1)
    .u16(d.getUTCDay())
    .u16(d.getUTCDate());
  w.u16(d.getUTCHours()).u16(d.getUTCMinutes()).u16(d.getUTCSeconds()).u16(d.getUTCMilliseconds());
  return w.done();
}

function scalarBytes(type: EvtxScalarType, value: unknown): Uint8Array {
  const w = new ByteWriter(16);
  const n = () => Number(value);
  switch (type) {
    case 'null':
      break;
    case 'string':
      w.utf16(String(value)).u16(0); // the terminator, which the parser drops
      break;
    case 'ansi':
      w.raw(Uint8Array.from(String(value), (c) => c.charCodeAt(0))).u8(0);
      break;
    case 'int8':
    case 'uint8':
      w.u8(n() & 0xff);
      break;
    case 'int16':
    case 'uint16':
      w.u16(n() & 0xffff);
      break;
    case 'int32':
    case 'uint32':
      w.u32(n());
      break;
    case 'int64':
    case 'uint64':
      w.u64(BigInt(value as string | number));
      break;
    case 'real32':
      w.u32(0);
      w.view.setFloat32(w.pos - 4, n(), true);
      break;
    case 'real64':
      w.u64(0n);
      w.view.setFloat64(w.pos - 8, n(), true);
      break;
    case 'bool':
      w.u32(value === true || value === 'true' ? 1 : 0);
      break;
    case 'binary':
      w.raw(hexBytes(String(value)));
      break;
    case 'guid':
      w.raw(guidBytes(String(value)));
      break;
    case 'size_t':
    case 'hex64':
      w.u64(BigInt(String(value)));
      break;
    case 'hex32':
      w.u32(Number(BigInt(String(value))));
      break;
    case 'filetime':
      w.u64(isoToFiletime(String(value)));
      break;
    case 'systime':
      w.raw(systimeBytes(String(value)));
      break;
    case 'sid':
      w.raw(sidBytes(String(value)));
      break;
  }
  return w.done();
}

/** The bytes of a substitution value of `type` (nested BinXml is written by the chunk writer). */
export function encodeValue(type: EvtxValueType, value: unknown): Uint8Array {
  if (type.endsWith('[]')) {
    const base = type.slice(0, -2) as EvtxScalarType;
    const items = String(value) === '' ? [] : String(value).split(',');
    const w = new ByteWriter();
    for (const item of items) {
      w.raw(scalarBytes(base, base === 'bool' ? item === 'true' : item));
    }
    return w.done();
  }
  return scalarBytes(type as EvtxScalarType, value);
}

export function valueTypeCode(type: EvtxValueType): number {
  if (type.endsWith('[]')) return VALUE_TYPE_CODES[type.slice(0, -2) as EvtxScalarType] | 0x80;
  return VALUE_TYPE_CODES[type as EvtxScalarType | 'binxml'];
}

/** MS-EVEN6 name hash: low 16 bits of hash = hash * 65599 + code unit. */
export function nameHash(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 65599) + name.charCodeAt(i)) >>> 0;
  return hash & 0xffff;
}
