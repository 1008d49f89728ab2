import type { FileType } from '../../core/index.js';
import { isFatImage } from '../iso/index.js';
import { isOutlookMsg } from '../msg/index.js';
import { hasBytesAt, indexOfAscii, MAGICS } from './magic.js';
import { classifyText, decodeHead, hasUtf16Bom, looksLikeText, TEXT_SNIFF_BYTES } from './text.js';

const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const ZIP_SPANNED = [0x50, 0x4b, 0x07, 0x08];
// The central directory sits at the end; OOXML names [Content_Types].xml there (ECMA-376 Part 2, 10.1.2).
const ZIP_TAIL_SCAN = 4 * 1024 * 1024;

/**
 * The type of `bytes` from content alone (magic bytes and structure). Never looks at a file name: mail
 * attachments are renamed on purpose (.doc sent as .pdf, .zip as .docx).
 */
export function sniffType(bytes: Uint8Array): FileType {
  if (bytes.length === 0) return 'empty';
  for (const magic of MAGICS) {
    if (!hasBytesAt(bytes, magic.offset, magic.bytes)) continue;
    // An Outlook .msg is a compound file too; its MAPI property streams tell it from a document.
    return magic.type === 'ole' && isOutlookMsg(bytes) ? 'msg' : magic.type;
  }
  if (
    hasBytesAt(bytes, 0, ZIP_LOCAL) ||
    hasBytesAt(bytes, 0, ZIP_EMPTY) ||
    hasBytesAt(bytes, 0, ZIP_SPANNED)
  ) {
    return isOoxmlZip(bytes) ? 'ooxml' : 'zip';
  }
  if (bytes[0] === 0x25 && indexOfAscii(bytes, '%PDF-', 0, 1024) >= 0) return 'pdf';
  if (isLegacyBiff(bytes)) return 'biff';
  // A raw FAT volume (.img lures): a boot sector whose BIOS Parameter Block holds together.
  if (isFatImage(bytes)) return 'fat';
  if (isPe(bytes)) return 'pe';
  const head = bytes.subarray(0, TEXT_SNIFF_BYTES);
  if (hasUtf16Bom(head) || looksLikeText(head)) return classifyText(decodeHead(head));
  // PDF readers accept the header anywhere in the first KiB, after binary junk too.
  if (indexOfAscii(bytes, '%PDF-', 0, 1024) >= 0) return 'pdf';
  return 'unknown';
}

function isOoxmlZip(bytes: Uint8Array): boolean {
  // The first local header is usually [Content_Types].xml itself; else look in the central directory.
  if (indexOfAscii(bytes, '[Content_Types].xml', 30, 30 + 64) >= 0) return true;
  return indexOfAscii(bytes, '[Content_Types].xml', Math.max(0, bytes.length - ZIP_TAIL_SCAN)) >= 0;
}

/**
 * Excel 2.x–4.0 files are bare BIFF record streams (OpenOffice.org "Microsoft Excel File Format" 5.8):
 * a BOF record 0x0009/0x0209/0x0409 of 4–16 bytes whose type is a worksheet (0x10), chart (0x20),
 * macro sheet (0x40, the .xlm an XLM dropper comes as) or BIFF4W workbook (0x100).
 */
function isLegacyBiff(bytes: Uint8Array): boolean {
  if (bytes.length < 8 || bytes[0] !== 0x09 || ![0, 2, 4].includes(bytes[1]!)) return false;
  const size = bytes[2]! | (bytes[3]! << 8);
  const dt = bytes[6]! | (bytes[7]! << 8);
  return size >= 4 && size <= 16 && [0x10, 0x20, 0x40, 0x100].includes(dt);
}

/** MZ header whose e_lfanew points at "PE\0\0" (PE/COFF spec 3.2). A bare "MZ" text is not an executable. */
function isPe(bytes: Uint8Array): boolean {
  if (bytes.length < 0x40 || bytes[0] !== 0x4d || bytes[1] !== 0x5a) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lfanew = view.getUint32(0x3c, true);
  return lfanew + 4 <= bytes.length && hasBytesAt(bytes, lfanew, [0x50, 0x45, 0, 0]);
}
