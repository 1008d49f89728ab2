import { concatBytes, type Anomaly } from '../../core/index.js';
import { readBiff12Records } from '../../formats/xlsb/index.js';
import { AUTOEXEC_NAME } from './ooxml-excel.js';
import type { Removal } from './types.js';

/**
 * XLSB ([MS-XLSB]) keeps its sheet list in xl/workbook.bin: BrtBundleSh records (2.4.313) carry a
 * sheet's state, tab id, relationship id and name, and everything else refers to sheets by index
 * (BrtName itab, BrtExternSheet XTI). Dropping a record would renumber them all, so a macro or dialog
 * sheet is neutralised instead: its BrtBundleSh stays and its relationship is pointed at a new, empty
 * worksheet part. Defined names Excel would run (Auto_Open …) are renamed and lose their built-in flag.
 */

const BRT_NAME = 39; // 2.4.653 BrtName
const BRT_BEGIN_SHEET = 0x81; // 2.4.199
const BRT_END_SHEET = 0x82; // 2.4.549
const BRT_BEGIN_SHEET_DATA = 0x91;
const BRT_END_SHEET_DATA = 0x92;
const BRT_WS_DIM = 0x94; // 2.4.836: rwFirst, rwLast, colFirst, colLast
const NAME_BUILTIN = 0x20; // BrtName fBuiltin

/** One BIFF12 record ([MS-XLSB] 2.1.4): type in one or two 7-bit groups, size in up to four. */
export function biff12Record(type: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const head: number[] = type < 0x80 ? [type] : [(type & 0x7f) | 0x80, type >> 7];
  let size = data.length;
  do {
    head.push((size & 0x7f) | (size > 0x7f ? 0x80 : 0));
    size >>>= 7;
  } while (size > 0);
  return concatBytes([Uint8Array.from(head), data]);
}

/** The smallest worksheet part the Worksheet ABNF (2.1.7.62) allows, with an empty dimension. */
export function emptyWorksheetBin(): Uint8Array {
  return concatBytes([
    biff12Record(BRT_BEGIN_SHEET),
    biff12Record(BRT_WS_DIM, new Uint8Array(16)),
    biff12Record(BRT_BEGIN_SHEET_DATA),
    biff12Record(BRT_END_SHEET_DATA),
    biff12Record(BRT_END_SHEET),
  ]);
}

export const XLSB_WORKSHEET_CONTENT_TYPE = 'application/vnd.ms-excel.worksheet';

function wide(text: string): Uint8Array {
  const out = new Uint8Array(4 + text.length * 2);
  const view = new DataView(out.buffer);
  view.setUint32(0, text.length, true);
  for (let i = 0; i < text.length; i++) view.setUint16(4 + i * 2, text.charCodeAt(i), true);
  return out;
}

/**
 * workbook.bin with every Auto_Open-style BrtName renamed `Disarmed_<n>` (not built-in), so that
 * neither Excel nor a re-scan sees an entry point; name indexes used by formulas do not change.
 */
export function renameXlsbAutoNames(
  bytes: Uint8Array,
  location: string,
): { ok: true; bytes: Uint8Array; removals: Removal[] } | { ok: false; reason: string } {
  const anomalies: Anomaly[] = [];
  const chunks: Uint8Array[] = [];
  const removals: Removal[] = [];
  let failure: string | undefined;
  readBiff12Records(bytes, anomalies, location, (record) => {
    const start = record.data.byteOffset - bytes.byteOffset;
    const whole = bytes.subarray(record.offset, start + record.data.length);
    if (record.type !== BRT_NAME || record.data.length < 13) return void chunks.push(whole);
    const view = new DataView(record.data.buffer, record.data.byteOffset, record.data.length);
    const cch = view.getUint32(9, true);
    if (cch > 255 || 13 + cch * 2 > record.data.length) {
      failure = `BrtName at ${record.offset}: name length ${cch} past the record`;
      return false;
    }
    let name = '';
    for (let i = 0; i < cch; i++) name += String.fromCharCode(view.getUint16(13 + i * 2, true));
    if (!AUTOEXEC_NAME.test(name)) return void chunks.push(whole);
    const renamed = `Disarmed_${removals.length + 1}`;
    const head = record.data.slice(0, 9);
    new DataView(head.buffer).setUint32(0, view.getUint32(0, true) & ~NAME_BUILTIN, true);
    const data = concatBytes([head, wide(renamed), record.data.subarray(13 + cch * 2)]);
    chunks.push(biff12Record(record.type, data));
    removals.push({ kind: 'xlm-auto-name', location, detail: `${name} renamed ${renamed}` });
  });
  if (failure) return { ok: false, reason: failure };
  if (anomalies.length > 0) return { ok: false, reason: anomalies[0]!.message };
  return { ok: true, bytes: removals.length === 0 ? bytes : concatBytes(chunks), removals };
}
