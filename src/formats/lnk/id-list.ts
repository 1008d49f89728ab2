import type { Anomaly } from '../../core/index.js';
import { ansiZ, guidAt, u16, u32, utf16Z } from './bin.js';
import type { IdItem } from './types.js';

// Items kept per IDList; a path deeper than this is not a real shortcut target (MAX_PATH is 260 chars).
export const MAX_ID_ITEMS = 128;
const MY_COMPUTER = '{20D04FE0-3AEA-1069-A2D8-08002B30309D}';
const EXT_BEEF0004 = 0xbeef0004;

/**
 * LinkTargetIDList (MS-SHLLINK 2.2): IDListSize, then ItemIDs until a zero TerminalID. Each item is read
 * by its shell item class (libfwsi's "Windows Shell Item format"): root folder, volume, file entry.
 */
export function parseIdList(
  bytes: Uint8Array,
  at: number,
  anomalies: Anomaly[],
): { items: IdItem[]; end: number } {
  const size = u16(bytes, at) ?? 0;
  const end = at + 2 + size;
  const items: IdItem[] = [];
  if (end > bytes.length) {
    anomalies.push({
      code: 'E_LNK_TRUNCATED',
      message: 'LinkTargetIDList past the end',
      offset: at,
    });
    return { items, end: bytes.length };
  }
  let p = at + 2;
  while (p + 2 <= end) {
    const itemSize = u16(bytes, p)!;
    if (itemSize === 0) break; // TerminalID
    if (itemSize < 3 || p + itemSize > end) {
      anomalies.push({
        code: 'E_LNK_BAD_ITEMID',
        message: `ItemID of ${itemSize} bytes`,
        offset: p,
      });
      break;
    }
    if (items.length >= MAX_ID_ITEMS) {
      anomalies.push({
        code: 'E_LNK_TOO_MANY_ITEMS',
        message: `more than ${MAX_ID_ITEMS} ItemIDs`,
        offset: p,
      });
      break;
    }
    items.push(readItem(bytes.subarray(p, p + itemSize), p));
    p += itemSize;
  }
  return { items, end };
}

function readItem(item: Uint8Array, offset: number): IdItem {
  const classType = item[2]!;
  const base: IdItem = { offset, size: item.length, classType };
  const name = itemName(item, classType);
  return name === undefined ? base : { ...base, name };
}

function itemName(item: Uint8Array, classType: number): string | undefined {
  if (classType === 0x1f) return guidAt(item, 4);
  const kind = classType & 0x70;
  if (kind === 0x20) return ansiZ(item, 3, Math.min(item.length, 3 + 32)); // volume: "C:\"
  if (kind === 0x30) return fileEntryName(item, classType);
  return undefined;
}

/** File entry shell item: 8.3 primary name at 14, the long name in its 0xBEEF0004 extension block. */
function fileEntryName(item: Uint8Array, classType: number): string | undefined {
  const unicode = (classType & 0x04) !== 0;
  const primary = unicode ? utf16Z(item, 14) : ansiZ(item, 14);
  if (primary === undefined) return undefined;
  // The extension block starts after the primary name, padded to a 2-byte boundary.
  const nameBytes = unicode ? (primary.length + 1) * 2 : primary.length + 1;
  const ext = 14 + nameBytes + (nameBytes % 2);
  return longName(item, ext) || primary;
}

function longName(item: Uint8Array, at: number): string | undefined {
  const size = u16(item, at);
  const version = u16(item, at + 2);
  if (size === undefined || version === undefined || u32(item, at + 4) !== EXT_BEEF0004)
    return undefined;
  const end = Math.min(item.length, at + size);
  let p = at + 18;
  if (version >= 7) p += 18; // reserved, NTFS file reference, unknown
  if (version < 3) return undefined;
  p += 2; // long string size
  if (version >= 9) p += 4;
  if (version >= 8) p += 4;
  return utf16Z(item, p, end);
}

/** Joins volume and file-entry names into a path; the My Computer root adds nothing. */
export function idListPath(items: readonly IdItem[]): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    if (item.name === undefined) continue;
    if (item.classType === 0x1f) {
      if (item.name !== MY_COMPUTER) parts.push(`::${item.name}`);
      continue;
    }
    parts.push(item.name);
  }
  if (parts.length === 0) return undefined;
  return parts.reduce((path, part) =>
    path === '' || path.endsWith('\\') ? path + part : `${path}\\${part}`,
  );
}
