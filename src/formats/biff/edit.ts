import { FormatError } from '../../core/index.js';
import { RT_BOF, RT_BOUNDSHEET, RT_EOF } from './constants.js';

/** MS-XLS 2.4.144 Index: absolute stream positions of DBCELL records (and DEFCOLWIDTH, ibXF). */
export const RT_INDEX = 0x020b;
/** MS-XLS 2.4.78 DBCell: offsets relative to itself, valid only while its row block is untouched. */
export const RT_DBCELL = 0x00d7;
/** MS-XLS 2.4.107 ExtSST: absolute stream positions of every eighth shared string. */
export const RT_EXTSST = 0x00ff;

/** Substreams a workbook may hold: one per sheet, chart or module, and a few nested charts each. */
export const MAX_BIFF_SUBSTREAMS = 65_536;

/** One record as stored: header and payload, CONTINUE records kept as records of their own. */
export interface RawBiffRecord {
  type: number;
  /** Offset of the record header in the source stream; undefined for records the caller inserts. */
  offset?: number;
  /** The payload (without the 4-byte header). */
  data: Uint8Array;
}

/** A BIFF stream cut at its BOF…EOF substreams ([MS-XLS] 2.1.7.20): globals first, then sheets. */
export interface BiffLayout {
  substreams: RawBiffRecord[][];
  /** Bytes after the last substream's EOF (padding, or something hidden there). */
  trailing: number;
}

/**
 * Cuts a workbook stream into records and top-level substreams without interpreting them. Every
 * record costs its 4-byte header, so the walk is linear; a record running past the end, or a stream
 * that does not open with BOF, throws `FormatError` (E_BIFF_RECORD_PAST_END, E_BIFF_NOT_BIFF): a
 * rewrite must not start from a stream it could not read whole.
 *
 * @example
 * const { substreams } = splitBiffStream(workbook);
 * substreams[0]!.filter((r) => r.type === 0x0085); // BoundSheet8 records
 */
export function splitBiffStream(stream: Uint8Array): BiffLayout {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (stream.length < 4 || view.getUint16(0, true) !== RT_BOF) {
    throw new FormatError('E_BIFF_NOT_BIFF', 'the stream does not open with a BOF record', {
      offset: 0,
    });
  }
  const substreams: RawBiffRecord[][] = [];
  let current: RawBiffRecord[] | undefined;
  let depth = 0;
  let at = 0;
  while (at + 4 <= stream.length) {
    const type = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (!current) {
      // Between substreams only zero padding or another BOF may follow.
      if (type !== RT_BOF) break;
      if (substreams.length >= MAX_BIFF_SUBSTREAMS) {
        throw new FormatError('E_BIFF_SHEET_LIMIT', `more than ${MAX_BIFF_SUBSTREAMS} substreams`);
      }
      current = [];
      substreams.push(current);
    }
    if (at + 4 + size > stream.length) {
      throw new FormatError(
        'E_BIFF_RECORD_PAST_END',
        `record 0x${type.toString(16)} at ${at} declares ${size} bytes past the end of the stream`,
        { offset: at },
      );
    }
    current.push({ type, offset: at, data: stream.subarray(at + 4, at + 4 + size) });
    at += 4 + size;
    if (type === RT_BOF) depth++;
    else if (type === RT_EOF && --depth === 0) current = undefined;
  }
  if (current) {
    throw new FormatError('E_BIFF_NO_EOF', 'the last substream has no EOF record', { offset: at });
  }
  return { substreams, trailing: stream.length - at };
}

/**
 * Writes substreams back into one stream and repairs the absolute offsets that moved: BoundSheet8
 * lbPlyPos (each must name its sheet's BOF, MS-XLS 2.4.28), Index ibXF/rgibRw and ExtSST ib. When
 * one Index or ExtSST lost a target, every Index and ExtSST is dropped: both are lookup hints that
 * Excel and LibreOffice rebuild, and a wrong one misleads readers. DBCell offsets are relative: a caller that removes cell records from a sheet
 * drops its DBCell records. Records with no `offset` are new and are not offset targets.
 *
 * @example
 * const stream = joinBiffStream(substreams); // after editing records in place
 */
export function joinBiffStream(substreams: RawBiffRecord[][]): Uint8Array {
  const records = substreams.flat();
  const first = joinOnce(records);
  if (first) return first;
  // An Index or ExtSST lost a target: they are hints only, so all of them go and the rest is joined again.
  const second = joinOnce(records.filter((r) => r.type !== RT_INDEX && r.type !== RT_EXTSST));
  return second!;
}

/** One layout pass; undefined when an Index or ExtSST points at a record that is gone. */
function joinOnce(records: RawBiffRecord[]): Uint8Array | undefined {
  const placed: { record: RawBiffRecord; at: number }[] = [];
  let size = 0;
  for (const record of records) {
    if (record.data.length > 0xffff) {
      throw new FormatError('E_BIFF_RECORD_TOO_LONG', `record 0x${record.type.toString(16)}`);
    }
    placed.push({ record, at: size });
    size += 4 + record.data.length;
  }
  const moves = placed
    .filter((p) => p.record.offset !== undefined)
    .map((p) => ({ from: p.record.offset!, length: 4 + p.record.data.length, to: p.at }))
    .sort((a, b) => a.from - b.from);
  const mapOffset = (old: number): number | undefined => {
    let lo = 0;
    let hi = moves.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const move = moves[mid]!;
      if (old < move.from) hi = mid - 1;
      else if (old >= move.from + move.length) lo = mid + 1;
      else return move.to + (old - move.from);
    }
    return undefined;
  };
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  for (const { record, at } of placed) {
    const data = fixOffsets(record, mapOffset);
    if (!data) return undefined;
    view.setUint16(at, record.type, true);
    view.setUint16(at + 2, data.length, true);
    out.set(data, at + 4);
  }
  return out;
}

type MapOffset = (old: number) => number | undefined;

/** The record's payload with its absolute offsets moved, or undefined when it must be dropped. */
function fixOffsets(record: RawBiffRecord, map: MapOffset): Uint8Array | undefined {
  const u32At = (data: Uint8Array, at: number): number =>
    new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(at, true);
  if (record.type === RT_BOUNDSHEET && record.data.length >= 4) {
    const moved = map(u32At(record.data, 0));
    if (moved === undefined) return record.data; // points nowhere already: left as found
    return withU32s(record.data, [[0, moved]]);
  }
  if (record.type === RT_INDEX && record.data.length >= 16) {
    const edits: [number, number][] = [];
    for (let at = 12; at + 4 <= record.data.length; at += 4) {
      const old = u32At(record.data, at);
      if (at === 12 && old === 0) continue; // ibXF 0: no DEFCOLWIDTH
      const moved = map(old);
      if (moved === undefined) return undefined;
      edits.push([at, moved]);
    }
    return withU32s(record.data, edits);
  }
  if (record.type === RT_EXTSST && record.data.length >= 2) {
    const edits: [number, number][] = [];
    for (let at = 2; at + 8 <= record.data.length; at += 8) {
      const moved = map(u32At(record.data, at));
      if (moved === undefined) return undefined;
      edits.push([at, moved]);
    }
    return withU32s(record.data, edits);
  }
  return record.data;
}

function withU32s(data: Uint8Array, edits: [number, number][]): Uint8Array {
  if (edits.length === 0) return data;
  const copy = data.slice();
  const view = new DataView(copy.buffer);
  for (const [at, value] of edits) view.setUint32(at, value, true);
  return copy;
}
