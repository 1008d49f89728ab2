import type { Anomaly } from '../../core/index.js';

/**
 * BIFF12 records ([MS-XLSB] 2.1.4): a record type of one or two 7-bit groups, a size of up to four
 * 7-bit groups, then the data. Every record costs at least two header bytes, so a walk is linear;
 * a size past the end of the part stops it with E_XLSB_RECORD_PAST_END.
 */
export interface Biff12Record {
  type: number;
  offset: number;
  data: Uint8Array;
}

export function readBiff12Records(
  bytes: Uint8Array,
  anomalies: Anomaly[],
  location: string,
  visit: (record: Biff12Record) => boolean | void,
): void {
  let pos = 0;
  while (pos < bytes.length) {
    const offset = pos;
    let type = 0;
    for (let i = 0; i < 2; i++) {
      const b = bytes[pos++];
      if (b === undefined) return truncated(anomalies, location, offset);
      type |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) break;
    }
    let size = 0;
    for (let i = 0; i < 4; i++) {
      const b = bytes[pos++];
      if (b === undefined) return truncated(anomalies, location, offset);
      size += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) break;
    }
    if (pos + size > bytes.length) {
      anomalies.push({
        code: 'E_XLSB_RECORD_PAST_END',
        message: `record ${type} at ${offset} declares ${size} bytes past the end of the part`,
        offset,
        location,
      });
      return;
    }
    const data = bytes.subarray(pos, pos + size);
    pos += size;
    if (visit({ type, offset, data }) === false) return;
  }
}

function truncated(anomalies: Anomaly[], location: string, offset: number): void {
  anomalies.push({
    code: 'E_XLSB_RECORD_PAST_END',
    message: `record header at ${offset} is cut by the end of the part`,
    offset,
    location,
  });
}

/** Record types used here ([MS-XLSB] 2.3.2). */
export const BRT = {
  ROW_HDR: 0,
  CELL_BLANK: 1,
  CELL_RK: 2,
  CELL_ERROR: 3,
  CELL_BOOL: 4,
  CELL_REAL: 5,
  CELL_ST: 6,
  CELL_ISST: 7,
  FMLA_STRING: 8,
  FMLA_NUM: 9,
  FMLA_BOOL: 10,
  FMLA_ERROR: 11,
  ARR_FMLA: 426,
  SHR_FMLA: 428,
  SST_ITEM: 19,
  NAME: 39,
  BUNDLE_SH: 156,
  EXTERN_SHEET: 362,
} as const;
