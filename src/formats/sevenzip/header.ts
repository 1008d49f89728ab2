import { FormatError } from '../../core/index.js';
import { AES_METHOD, METHODS, type Coder, type Folder } from './types.js';

/** 7z property ids (7zFormat.txt). */
export const K = {
  End: 0x00,
  Header: 0x01,
  ArchiveProperties: 0x02,
  AdditionalStreamsInfo: 0x03,
  MainStreamsInfo: 0x04,
  FilesInfo: 0x05,
  PackInfo: 0x06,
  UnPackInfo: 0x07,
  SubStreamsInfo: 0x08,
  Size: 0x09,
  CRC: 0x0a,
  Folder: 0x0b,
  CodersUnPackSize: 0x0c,
  NumUnPackStream: 0x0d,
  EmptyStream: 0x0e,
  EmptyFile: 0x0f,
  Name: 0x11,
  WinAttributes: 0x15,
  EncodedHeader: 0x17,
  Dummy: 0x19,
} as const;

// Sanity caps on counts read from the header: each costs memory before any data is checked.
const MAX_FOLDERS = 100_000;
const MAX_CODERS = 32;
const MAX_STREAMS = 1_000_000;

/** Reads 7z header structures; every overrun is a FormatError with the offset (caught by the caller). */
export class HeaderReader {
  constructor(
    readonly b: Uint8Array,
    public pos: number,
    readonly end: number,
    readonly base = 0,
  ) {}

  fail(message: string): never {
    throw new FormatError('E_7Z_BAD_HEADER', message, { offset: this.base + this.pos });
  }

  byte(): number {
    if (this.pos >= this.end) this.fail('header ends early');
    return this.b[this.pos++]!;
  }

  bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) this.fail(`${n} bytes past the header end`);
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** 7z NUMBER: leading one bits of the first byte count the extra little-endian bytes. */
  number(): number {
    const first = this.byte();
    let mask = 0x80;
    let value = 0;
    for (let i = 0; i < 8; i++) {
      if ((first & mask) === 0) return value + (first & (mask - 1)) * 2 ** (8 * i);
      value += this.byte() * 2 ** (8 * i);
      mask >>>= 1;
    }
    return value;
  }

  count(max: number, what: string): number {
    const n = this.number();
    if (n > max || n > (this.end - this.pos) * 8 + 8) this.fail(`${n} ${what}`);
    return n;
  }

  u32(): number {
    const v = this.bytes(4);
    return (v[0]! | (v[1]! << 8) | (v[2]! << 16) | (v[3]! << 24)) >>> 0;
  }

  bits(n: number): boolean[] {
    const out: boolean[] = [];
    let byte = 0;
    for (let i = 0; i < n; i++) {
      if (i % 8 === 0) byte = this.byte();
      out.push((byte & (0x80 >>> (i % 8))) !== 0);
    }
    return out;
  }

  /** AllAreDefined byte, else a bit vector. */
  defined(n: number): boolean[] {
    return this.byte() !== 0 ? new Array<boolean>(n).fill(true) : this.bits(n);
  }

  skipDigests(n: number): void {
    const def = this.defined(n);
    for (const d of def) if (d) this.u32();
  }
}

export interface StreamsInfo {
  packPos: number;
  packSizes: number[];
  folders: Folder[];
  /** Per folder, the sizes of its substreams (files), when SubStreamsInfo says. */
  substreamSizes: number[][];
}

export function readStreamsInfo(r: HeaderReader): StreamsInfo {
  const info: StreamsInfo = { packPos: 0, packSizes: [], folders: [], substreamSizes: [] };
  for (let id = r.byte(); id !== K.End; id = r.byte()) {
    if (id === K.PackInfo) readPackInfo(r, info);
    else if (id === K.UnPackInfo) readUnpackInfo(r, info);
    else if (id === K.SubStreamsInfo) readSubStreams(r, info);
    else r.fail(`unexpected property 0x${id.toString(16)} in StreamsInfo`);
  }
  if (info.substreamSizes.length === 0)
    info.substreamSizes = info.folders.map((f) => [folderUnpackSize(f)]);
  return info;
}

function readPackInfo(r: HeaderReader, info: StreamsInfo): void {
  info.packPos = r.number();
  const n = r.count(MAX_STREAMS, 'pack streams');
  for (let id = r.byte(); id !== K.End; id = r.byte()) {
    if (id === K.Size) for (let i = 0; i < n; i++) info.packSizes.push(r.number());
    else if (id === K.CRC) r.skipDigests(n);
    else r.fail(`unexpected property 0x${id.toString(16)} in PackInfo`);
  }
}

function readUnpackInfo(r: HeaderReader, info: StreamsInfo): void {
  if (r.byte() !== K.Folder) r.fail('UnPackInfo without kFolder');
  const n = r.count(MAX_FOLDERS, 'folders');
  if (r.byte() !== 0) r.fail('external folders are not supported');
  let packIndex = 0;
  for (let i = 0; i < n; i++) {
    const folder = readFolder(r, packIndex);
    packIndex += folder.packedStreams.length;
    info.folders.push(folder);
  }
  if (r.byte() !== K.CodersUnPackSize) r.fail('UnPackInfo without kCodersUnPackSize');
  for (const f of info.folders) {
    const outs = f.coders.reduce((s, c) => s + c.numOutStreams, 0);
    for (let i = 0; i < outs; i++) f.unpackSizes.push(r.number());
  }
  for (let id = r.byte(); id !== K.End; id = r.byte()) {
    if (id !== K.CRC) r.fail(`unexpected property 0x${id.toString(16)} in UnPackInfo`);
    const defined = r.defined(n);
    defined.forEach((d, i) => {
      if (!d) return;
      const folder = info.folders[i]!;
      folder.crc = r.u32();
      folder.hasCrc = true;
    });
  }
}

function readFolder(r: HeaderReader, firstPackStream: number): Folder {
  const numCoders = r.count(MAX_CODERS, 'coders');
  const coders: Coder[] = [];
  let ins = 0;
  let outs = 0;
  for (let i = 0; i < numCoders; i++) {
    const flag = r.byte();
    if (flag & 0x80) r.fail('alternative coder methods are not supported');
    const id = [...r.bytes(flag & 0x0f)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const numInStreams = flag & 0x10 ? r.count(MAX_CODERS, 'coder in-streams') : 1;
    const numOutStreams = flag & 0x10 ? r.count(MAX_CODERS, 'coder out-streams') : 1;
    const properties = flag & 0x20 ? r.bytes(r.count(65536, 'property bytes')) : new Uint8Array();
    coders.push({ id, method: METHODS[id] ?? `0x${id}`, numInStreams, numOutStreams, properties });
    ins += numInStreams;
    outs += numOutStreams;
  }
  const bindPairs = [];
  for (let i = 0; i < outs - 1; i++) bindPairs.push({ inIndex: r.number(), outIndex: r.number() });
  const numPacked = ins - bindPairs.length;
  if (numPacked < 1) r.fail('folder without a packed stream');
  const packedStreams: number[] = [];
  if (numPacked === 1) {
    for (let i = 0; i < ins; i++)
      if (!bindPairs.some((b) => b.inIndex === i)) packedStreams.push(i);
  } else for (let i = 0; i < numPacked; i++) packedStreams.push(r.number());
  return {
    coders,
    bindPairs,
    packedStreams,
    unpackSizes: [],
    firstPackStream,
    numSubstreams: 1,
    isEncrypted: coders.some((c) => c.id === AES_METHOD),
  };
}

/** The folder's final output: the out-stream no bind pair consumes. */
export function mainOutStream(f: Folder): number {
  for (let i = 0; i < f.unpackSizes.length; i++)
    if (!f.bindPairs.some((b) => b.outIndex === i)) return i;
  return 0;
}

export function folderUnpackSize(f: Folder): number {
  return f.unpackSizes[mainOutStream(f)] ?? 0;
}

function readSubStreams(r: HeaderReader, info: StreamsInfo): void {
  const counts = info.folders.map(() => 1);
  let id = r.byte();
  if (id === K.NumUnPackStream) {
    for (let i = 0; i < counts.length; i++) counts[i] = r.count(MAX_STREAMS, 'substreams');
    id = r.byte();
  }
  info.substreamSizes = info.folders.map((f, i) => {
    f.numSubstreams = counts[i]!;
    return [];
  });
  const hasSizes = id === K.Size;
  info.folders.forEach((f, i) => {
    const n = counts[i]!;
    if (n === 0) return;
    let sum = 0;
    const sizes = info.substreamSizes[i]!;
    for (let j = 0; j < n - 1 && hasSizes; j++) {
      const s = r.number();
      sizes.push(s);
      sum += s;
    }
    sizes.push(folderUnpackSize(f) - sum);
  });
  if (hasSizes) id = r.byte();
  while (id !== K.End) {
    if (id === K.CRC) {
      // Digests follow for every substream whose CRC the folder did not already give (7zFormat.txt).
      const unknown = info.folders.reduce(
        (s, f, i) => s + (counts[i] === 1 && f.hasCrc ? 0 : counts[i]!),
        0,
      );
      readSubstreamDigests(r, info.folders, counts, unknown);
    } else r.fail(`unexpected property 0x${id.toString(16)} in SubStreamsInfo`);
    id = r.byte();
  }
}

/** Digests of the substreams the folders' own CRCs do not cover, in folder then file order. */
function readSubstreamDigests(
  r: HeaderReader,
  folders: Folder[],
  counts: number[],
  unknown: number,
): void {
  const defined = r.defined(unknown);
  let k = 0;
  folders.forEach((f, i) => {
    const n = counts[i]!;
    if (n === 1 && f.hasCrc) {
      f.substreamCrcs = [f.crc];
      return;
    }
    f.substreamCrcs = [];
    for (let j = 0; j < n; j++) f.substreamCrcs.push(defined[k++] ? r.u32() : undefined);
  });
}
