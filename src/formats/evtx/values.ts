import type { ChunkParser } from './binxml.js';
import {
  MAX_EVTX_ARRAY_ITEMS,
  VT_ANSI_STRING,
  VT_ARRAY,
  VT_BINARY,
  VT_BINXML,
  VT_BOOL,
  VT_FILETIME,
  VT_GUID,
  VT_HEX_INT32,
  VT_HEX_INT64,
  VT_INT16,
  VT_INT32,
  VT_INT64,
  VT_INT8,
  VT_NULL,
  VT_REAL32,
  VT_REAL64,
  VT_SID,
  VT_SIZE_T,
  VT_STRING,
  VT_SYSTEMTIME,
  VT_UINT16,
  VT_UINT32,
  VT_UINT64,
  VT_UINT8,
} from './constants.js';
import {
  formatBinary,
  formatFiletime,
  formatGuid,
  formatHex32,
  formatHex64,
  formatReal32,
  formatReal64,
  formatSid,
  formatSystemtime,
  int64Value,
  uint64Value,
} from './format.js';
import type { EvtxValue } from './nodes.js';

/** Fixed sizes of the scalar types (MS-EVEN6 2.2.13); 0 for variable-size ones. */
const FIXED_SIZE: Record<number, number> = {
  [VT_INT8]: 1,
  [VT_UINT8]: 1,
  [VT_INT16]: 2,
  [VT_UINT16]: 2,
  [VT_INT32]: 4,
  [VT_UINT32]: 4,
  [VT_INT64]: 8,
  [VT_UINT64]: 8,
  [VT_REAL32]: 4,
  [VT_REAL64]: 8,
  [VT_BOOL]: 4,
  [VT_GUID]: 16,
  [VT_FILETIME]: 8,
  [VT_SYSTEMTIME]: 16,
  [VT_HEX_INT32]: 4,
  [VT_HEX_INT64]: 8,
};

/**
 * One substitution value of `type` and `size` bytes at chunk offset `at` (MS-EVEN6 2.2.13). Strings keep
 * embedded and leading NULs (a Run-key value name that starts with NUL hides from tools that stop at the
 * first NUL); only trailing NULs, the terminator, are dropped.
 */
export function decodeValue(p: ChunkParser, type: number, at: number, size: number): EvtxValue {
  const { view, bytes } = p;
  switch (type) {
    case VT_STRING: {
      let units = size >>> 1;
      while (units > 0 && bytes[at + 2 * units - 2] === 0 && bytes[at + 2 * units - 1] === 0)
        units--;
      return p.utf16(at, units);
    }
    case VT_ANSI_STRING: {
      let n = size;
      while (n > 0 && bytes[at + n - 1] === 0) n--;
      return p.ansi(at, n);
    }
    case VT_NULL:
      return '';
    case VT_BINARY:
      return formatBinary(bytes, at, size);
    case VT_SID:
      return formatSid(view, at, size).text;
    case VT_SIZE_T:
      // win:Pointer: Windows prints it as hex of its own width.
      if (size === 4) return formatHex32(view.getUint32(at, true));
      if (size === 8) return formatHex64(view.getUint32(at, true), view.getUint32(at + 4, true));
      return badSize(p, type, at, size);
    case VT_BINXML:
      return p.parseNested(at, size);
  }
  if (type & VT_ARRAY) return decodeArray(p, type & ~VT_ARRAY, at, size);
  const fixed = FIXED_SIZE[type];
  if (fixed === undefined) {
    p.anomalies.push({
      code: 'E_EVTX_BAD_VALUE',
      message: `unsupported value type 0x${type.toString(16)} (${size} bytes) left empty`,
      offset: p.fileOffset + at,
    });
    return '';
  }
  if (size < fixed) return badSize(p, type, at, size);
  return decodeScalar(p, type, at);
}

function badSize(p: ChunkParser, type: number, at: number, size: number): string {
  p.anomalies.push({
    code: 'E_EVTX_BAD_VALUE',
    message: `value of type 0x${type.toString(16)} has an impossible size ${size}`,
    offset: p.fileOffset + at,
  });
  return '';
}

/** A fixed-size scalar; the caller checked that its bytes are there. */
function decodeScalar(p: ChunkParser, type: number, at: number): string | number | boolean {
  const { view, bytes } = p;
  switch (type) {
    case VT_INT8:
      return view.getInt8(at);
    case VT_UINT8:
      return bytes[at] as number;
    case VT_INT16:
      return view.getInt16(at, true);
    case VT_UINT16:
      return view.getUint16(at, true);
    case VT_INT32:
      return view.getInt32(at, true);
    case VT_UINT32:
      return view.getUint32(at, true);
    case VT_INT64:
      return int64Value(view.getUint32(at, true), view.getUint32(at + 4, true));
    case VT_UINT64:
      return uint64Value(view.getUint32(at, true), view.getUint32(at + 4, true));
    case VT_REAL32:
      return formatReal32(view.getFloat32(at, true));
    case VT_REAL64:
      return formatReal64(view.getFloat64(at, true));
    case VT_BOOL:
      return view.getUint32(at, true) !== 0;
    case VT_GUID:
      return formatGuid(bytes, at);
    case VT_FILETIME:
      return formatFiletime(view.getUint32(at, true), view.getUint32(at + 4, true));
    case VT_SYSTEMTIME:
      return formatSystemtime(view, at);
    case VT_HEX_INT32:
      return formatHex32(view.getUint32(at, true));
    default: // VT_HEX_INT64
      return formatHex64(view.getUint32(at, true), view.getUint32(at + 4, true));
  }
}

/**
 * Arrays print as their items joined with ',' (evtx-rs's text form). String arrays are NUL-terminated
 * strings one after another; SIDs are read one after another by their own length.
 */
function decodeArray(p: ChunkParser, base: number, at: number, size: number): string {
  const items: string[] = [];
  const end = at + size;
  const push = (item: string | number | boolean): boolean => {
    if (items.length >= MAX_EVTX_ARRAY_ITEMS) {
      p.anomalies.push({
        code: 'E_EVTX_BAD_VALUE',
        message: `array of more than ${MAX_EVTX_ARRAY_ITEMS} items cut`,
        offset: p.fileOffset + at,
      });
      return false;
    }
    items.push(String(item));
    return true;
  };
  if (base === VT_STRING) {
    let start = at;
    for (let i = at; i + 1 < end; i += 2) {
      if (p.bytes[i] === 0 && p.bytes[i + 1] === 0) {
        if (!push(p.utf16(start, (i - start) >>> 1))) break;
        start = i + 2;
      }
    }
    if (start + 1 < end) push(p.utf16(start, (end - start) >>> 1));
  } else if (base === VT_ANSI_STRING) {
    let start = at;
    for (let i = at; i < end; i++) {
      if (p.bytes[i] === 0) {
        if (!push(p.ansi(start, i - start))) break;
        start = i + 1;
      }
    }
    if (start < end) push(p.ansi(start, end - start));
  } else if (base === VT_SID) {
    for (let i = at; i + 8 <= end;) {
      const sid = formatSid(p.view, i, end - i);
      if (!push(sid.text)) break;
      i += sid.used;
    }
  } else {
    const width = base === VT_SIZE_T ? 8 : FIXED_SIZE[base];
    if (width === undefined) return badSize(p, base | VT_ARRAY, at, size);
    for (let i = at; i + width <= end; i += width) {
      const item =
        base === VT_SIZE_T
          ? formatHex64(p.view.getUint32(i, true), p.view.getUint32(i + 4, true))
          : decodeScalar(p, base, i);
      if (!push(item)) break;
    }
  }
  return items.join(',');
}
