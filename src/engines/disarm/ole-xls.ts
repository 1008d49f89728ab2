import { describeError } from '../../core/index.js';
import {
  BUILTIN_NAMES,
  joinBiffStream,
  RT_DBCELL,
  RT_INDEX,
  splitBiffStream,
  type RawBiffRecord,
} from '../../formats/biff/index.js';
import { disarmDdeLinks } from './ole-xls-dde.js';
import type { Removal } from './types.js';

// [MS-XLS] 2.3 record types this disarmer reads or edits.
const RT_BOF = 0x0809;
const RT_FILEPASS = 0x002f;
const RT_BOUNDSHEET = 0x0085;
const RT_NAME = 0x0018;
const RT_CONTINUE = 0x003c;
/** 2.4.185 ObjProj: "the workbook has a VBA project"; meaningless once the project storage is gone. */
const RT_OBJPROJ = 0x00d3;
/** Records that hold or feed formulas in a sheet: Formula, ShrFmla, Array, Table, and a formula's String. */
const FORMULA_RECORDS = new Set([0x0006, 0x04bc, 0x0221, 0x0236, 0x0207]);
/** BoundSheet8.dt (2.4.28) and BOF.dt (2.4.21). */
const DT_MACRO_SHEET = 0x01;
const DT_VB_MODULE = 0x06;
const BOF_WORKSHEET = 0x0010;
const BOF_MACRO_SHEET = 0x0040;
/** Lbl.fBuiltin (2.4.150). */
const F_BUILTIN = 0x0020;
/** Built-in names Excel runs on its own (2.5.98.10): Auto_Open, Auto_Close, Auto_Activate, Auto_Deactivate. */
const AUTORUN_BUILTINS = new Set([0x01, 0x02, 0x0a, 0x0b]);
/** Excel runs user names that start like the built-ins (`Auto_Open2`, `auto_open_x`) as well. */
const AUTORUN_NAME = /^(?:_xlnm\.)?auto_(?:open|close|activate|deactivate)/i;
const LBL_HEADER = 14;

export type XlsResult =
  | { stream: Uint8Array | undefined }
  | { refusal: 'encrypted' | 'malformed' | 'unsupported'; reason: string };

/**
 * Neutralises Excel 4.0 macros in a BIFF8/BIFF5 workbook stream: every macro sheet (BoundSheet8
 * dt=1) becomes a worksheet whose formula records are gone (its constants stay), and every name that
 * Excel would run on open or close (built-in Auto_Open/Auto_Close/Auto_Activate/Auto_Deactivate,
 * user names starting with them) is renamed `Disarmed_…` and loses fBuiltin. Names keep their place,
 * so PtgName indexes stay right; BoundSheet8 offsets are recomputed. ObjProj goes with the VBA
 * project. BIFF8 DDE/OLE links (`=cmd|'/c …'!A0`) are neutralised by `disarmDdeLinks`. Returns
 * `stream: undefined` when there is nothing to change.
 */
export function disarmWorkbookStream(stream: Uint8Array, removed: Removal[]): XlsResult {
  let substreams: RawBiffRecord[][];
  try {
    substreams = splitBiffStream(stream).substreams;
  } catch (error) {
    return { refusal: 'malformed', reason: describeError(error) };
  }
  const globals = substreams[0]!;
  const version = globals[0]!.data.length >= 2 ? u16(globals[0]!.data, 0) : 0;
  if (version !== 0x0600 && version !== 0x0500) {
    return {
      refusal: 'unsupported',
      reason: `BIFF version 0x${version.toString(16)} (BIFF5/BIFF8 only)`,
    };
  }
  if (globals.some((r) => r.type === RT_FILEPASS)) {
    return { refusal: 'encrypted', reason: 'the workbook is encrypted (FILEPASS)' };
  }
  const before = removed.length;
  const bySheetStart = new Map(substreams.map((s, i) => [s[0]!.offset!, i]));
  const kept: RawBiffRecord[] = [];
  let names = 0;
  for (let i = 0; i < globals.length; i++) {
    const record = globals[i]!;
    if (record.type === RT_OBJPROJ) {
      removed.push({
        kind: 'other',
        location: 'Workbook ObjProj',
        detail: 'VBA project marker record',
      });
      continue;
    }
    if (record.type === RT_BOUNDSHEET && record.data[5] === DT_VB_MODULE) {
      return { refusal: 'unsupported', reason: 'a BIFF5 VBA module sheet (BoundSheet8 dt=6)' };
    }
    if (record.type === RT_BOUNDSHEET && record.data[5] === DT_MACRO_SHEET) {
      const index = bySheetStart.get(u32(record.data, 0));
      if (index === undefined || index === 0) {
        return {
          refusal: 'malformed',
          reason: 'a macro sheet whose BoundSheet8 offset names no substream',
        };
      }
      const name = sheetName(record.data, version);
      substreams[index] = toWorksheet(substreams[index]!);
      const data = record.data.slice();
      data[5] = 0;
      kept.push({ ...record, data });
      removed.push({
        kind: 'macro-sheet',
        location: `Workbook sheet ${name}`,
        detail: 'Excel 4.0 macro sheet made a worksheet without formulas',
      });
      continue;
    }
    if (record.type === RT_NAME) {
      names++;
      const renamed = renameAutorun(record, version, names);
      if (renamed === 'continued') {
        return {
          refusal: 'unsupported',
          reason: 'an auto-run name continued over CONTINUE records',
        };
      }
      if (renamed && globals[i + 1]?.type === RT_CONTINUE) {
        return {
          refusal: 'unsupported',
          reason: 'an auto-run name continued over CONTINUE records',
        };
      }
      if (renamed) {
        kept.push(renamed.record);
        removed.push({
          kind: 'xlm-auto-name',
          location: `Workbook name ${names}`,
          detail: `${renamed.was} → ${renamed.now}`,
        });
        continue;
      }
    }
    kept.push(record);
  }
  // A BOF that says macro sheet under a BoundSheet8 that says worksheet (E_BIFF_SHEET_TYPE_MISMATCH)
  // is still a macro sheet to whoever trusts the BOF: it loses its formulas too.
  for (let i = 1; i < substreams.length; i++) {
    const bof = substreams[i]![0]!;
    if (bof.data.length < 4 || u16(bof.data, 2) !== BOF_MACRO_SHEET) continue;
    substreams[i] = toWorksheet(substreams[i]!);
    removed.push({
      kind: 'macro-sheet',
      location: `Workbook substream @${bof.offset}`,
      detail: 'BOF of an Excel 4.0 macro sheet made a worksheet without formulas',
    });
  }
  substreams[0] = kept;
  if (version === 0x0600) {
    const names = new Map<number, string>();
    for (const record of kept) {
      const index =
        record.type === RT_BOUNDSHEET ? bySheetStart.get(u32(record.data, 0)) : undefined;
      if (index !== undefined && index > 0) names.set(index, sheetName(record.data, version));
    }
    disarmDdeLinks(substreams, names, removed);
  }
  if (removed.length === before) return { stream: undefined };
  return { stream: joinBiffStream(substreams) };
}

/** A macro sheet's substream as a worksheet: BOF.dt 0x10, no formula records, no row-block index. */
function toWorksheet(records: RawBiffRecord[]): RawBiffRecord[] {
  const out: RawBiffRecord[] = [];
  let depth = 0;
  for (const record of records) {
    if (record.type === RT_BOF) depth++;
    if (record.type === 0x000a) depth--;
    // DBCell offsets are relative to the row blocks that lose records; Index is rebuilt by readers.
    if (record.type === RT_INDEX || record.type === RT_DBCELL) continue;
    if (FORMULA_RECORDS.has(record.type) && depth === 1) continue;
    if (record.type === RT_BOF && out.length === 0) {
      const data = record.data.slice();
      data[2] = BOF_WORKSHEET & 0xff;
      data[3] = BOF_WORKSHEET >> 8;
      out.push({ ...record, data });
      continue;
    }
    out.push(record);
  }
  return out;
}

interface Renamed {
  record: RawBiffRecord;
  was: string;
  now: string;
}

/** Lbl (2.4.150): a new name, fBuiltin cleared, the formula and the rest of the record as they were. */
function renameAutorun(
  record: RawBiffRecord,
  version: number,
  index: number,
): Renamed | 'continued' | undefined {
  const data = record.data;
  if (data.length < LBL_HEADER) return undefined;
  const flags = u16(data, 0);
  const cch = data[3]!;
  const isWide = version === 0x0600 && (data[LBL_HEADER]! & 1) === 1;
  const nameStart = LBL_HEADER + (version === 0x0600 ? 1 : 0);
  const nameEnd = nameStart + cch * (isWide ? 2 : 1);
  if (nameEnd > data.length) return 'continued';
  let name = '';
  for (let at = nameStart; at < nameEnd; at += isWide ? 2 : 1) {
    name += String.fromCharCode(isWide ? u16(data, at) : data[at]!);
  }
  const isBuiltin = (flags & F_BUILTIN) !== 0 && cch === 1;
  const code = name.charCodeAt(0);
  const was = isBuiltin ? (BUILTIN_NAMES[code] ?? name) : name;
  if (isBuiltin ? !AUTORUN_BUILTINS.has(code) : !AUTORUN_NAME.test(name)) return undefined;
  // Unique by construction: the record's position is part of the name.
  const now = `Disarmed${index}_${was.replace(/[^A-Za-z0-9_.]/g, '_')}`.slice(0, 255);
  const head = data.slice(0, LBL_HEADER);
  head[0] = flags & ~F_BUILTIN & 0xff;
  head[1] = (flags & ~F_BUILTIN) >> 8;
  head[3] = now.length;
  const text = Uint8Array.from(now, (c) => c.charCodeAt(0));
  const flag = version === 0x0600 ? [0] : [];
  const out = new Uint8Array(LBL_HEADER + flag.length + text.length + (data.length - nameEnd));
  out.set(head, 0);
  out.set(flag, LBL_HEADER);
  out.set(text, LBL_HEADER + flag.length);
  out.set(data.subarray(nameEnd), LBL_HEADER + flag.length + text.length);
  return { record: { ...record, data: out }, was, now };
}

function sheetName(data: Uint8Array, version: number): string {
  const cch = data[6] ?? 0;
  if (version !== 0x0600) return String.fromCharCode(...data.subarray(7, 7 + cch));
  const isWide = ((data[7] ?? 0) & 1) === 1;
  let name = '';
  for (let i = 0; i < cch; i++) {
    const at = 8 + i * (isWide ? 2 : 1);
    if (at + (isWide ? 1 : 0) >= data.length) break;
    name += String.fromCharCode(isWide ? u16(data, at) : data[at]!);
  }
  return name;
}

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
