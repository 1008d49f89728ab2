import type { Anomaly } from '../../core/index.js';
import { sheetPrefix } from './cell-ref.js';
import { Cursor } from './cursor.js';
import { ddeFormula } from './globals.js';
import type { BiffRecord } from './records.js';
import { readByteString8, type CodePageDecoder } from './strings.js';
import type { BiffDdeLink } from './types.js';

/**
 * The local link table of one BIFF2–4 sheet (OpenOffice.org "Microsoft Excel File Format" 4.10 and
 * 5.39/5.41): EXTERNSHEET records (0x0017, one byte string each) and the EXTERNNAME records
 * (0x0023 in BIFF2, 0x0223 in BIFF3/4) that follow each of them. A DDE link is an EXTERNSHEET whose
 * name is `application` 03H `topic` (2.5.10: not URL-encoded) with one EXTERNNAME per item, so
 * `=cmd|'/c calc'!A0` is EXTERNSHEET "cmd\x03/c calc" + EXTERNNAME "A0", and its formula is
 * PtgSheet(ixals) PtgName(item) PtgEndSheet — the BIFF2–4 shape of BIFF8's SUPBOOK + PtgNameX.
 */

export const RT_EXTERNSHEET_LEGACY = 0x0017;
export const RT2_EXTERNNAME = 0x0023;
export const RT3_EXTERNNAME = 0x0223;

const DDE_SEPARATOR = '\u0003';
const EXTERN_OLE_LINK = 0x0010; // EXTERNNAME option flags (BIFF3/4): an OLE link, not DDE
/** EXTERNSHEET records kept per sheet; the rest are counted but not resolved. */
export const MAX_EXTERN_SHEETS = 1024;

interface ExternSheet {
  /** What a reference into it shows before the cell: `[book.xls]Sheet1!`, `Sheet2!`, `cmd|'/c …'!`. */
  prefix: string;
  names: string[];
  dde?: { application: string; topic: string; offset: number };
}

export class LegacyLinkTable {
  private readonly sheets: ExternSheet[] = [];

  constructor(
    private readonly links: BiffDdeLink[],
    private readonly anomalies: Anomaly[],
    private readonly maxLinks: number,
  ) {}

  /** Takes EXTERNSHEET/EXTERNNAME; false for any other record. Throws Truncated like the cell readers. */
  take(record: BiffRecord, decoder: CodePageDecoder): boolean {
    if (record.type === RT_EXTERNSHEET_LEGACY) {
      if (this.sheets.length >= MAX_EXTERN_SHEETS) {
        this.limitOnce(`more than ${MAX_EXTERN_SHEETS} EXTERNSHEET records`, record.offset);
        return true;
      }
      this.sheets.push(
        externSheet(readByteString8(new Cursor(record.data), decoder), record.offset),
      );
      return true;
    }
    if (record.type !== RT2_EXTERNNAME && record.type !== RT3_EXTERNNAME) return false;
    const cur = new Cursor(record.data);
    // BIFF2's EXTERNNAME has no option word; BIFF3/4 open with it (5.39).
    const flags = record.type === RT3_EXTERNNAME ? cur.u16('EXTERNNAME flags') : 0;
    const name = readByteString8(cur, decoder);
    const sheet = this.sheets[this.sheets.length - 1];
    if (!sheet) return true;
    sheet.names.push(name);
    if (sheet.dde) this.addLink(sheet.dde, name, (flags & EXTERN_OLE_LINK) !== 0, record.offset);
    return true;
  }

  /** A DDE EXTERNSHEET without EXTERNNAME still names the server a link update starts. */
  finish(): void {
    for (const sheet of this.sheets) {
      if (sheet.dde && sheet.names.length === 0)
        this.addLink(sheet.dde, '', false, sheet.dde.offset);
    }
  }

  /** PtgSheet's 1-based index → the prefix its references show. */
  prefix(ixals: number): string | undefined {
    return this.sheets[ixals - 1]?.prefix;
  }

  /** PtgName inside PtgSheet … PtgEndSheet: the EXTERNNAME (1-based) of that EXTERNSHEET. */
  externName(ixals: number, index: number): string | undefined {
    const sheet = this.sheets[ixals - 1];
    const name = sheet?.names[index - 1];
    if (name === undefined || !sheet?.dde)
      return name === undefined ? undefined : `${sheet!.prefix}${name}`;
    return ddeFormula(sheet.dde.application, sheet.dde.topic, name);
  }

  private addLink(
    dde: NonNullable<ExternSheet['dde']>,
    item: string,
    isOle: boolean,
    offset: number,
  ): void {
    if (this.links.length >= this.maxLinks) {
      this.limitOnce(`more than ${this.maxLinks} external names`, offset);
      return;
    }
    const { application, topic } = dde;
    const formula = ddeFormula(application, topic, item);
    this.links.push({ application, topic, item, isOle, formula, offset, cells: [] });
  }

  private limitOnce(message: string, offset: number): void {
    if (!this.anomalies.some((a) => a.code === 'E_BIFF_NAME_LIMIT'))
      this.anomalies.push({ code: 'E_BIFF_NAME_LIMIT', message, offset });
  }
}

/**
 * EXTERNSHEET's document name (2.5.9/2.5.10): 01H starts an encoded URL (02H root, 03H directory
 * separator), 02H alone is the sheet itself, 03H + name a sheet of this document; an unencoded name
 * holding 03H after its first character is a DDE/OLE link `application` 03H `topic`.
 */
function externSheet(raw: string, offset: number): ExternSheet {
  const split = raw.indexOf(DDE_SEPARATOR);
  const first = raw.charCodeAt(0);
  if (split > 0 && first >= 0x20) {
    const dde = { application: raw.slice(0, split), topic: raw.slice(split + 1), offset };
    return { prefix: `${ddeFormula(dde.application, dde.topic, '')}!`, names: [], dde };
  }
  if (raw === '\u0002' || raw === '') return { prefix: '', names: [] };
  if (first === 0x03) return { prefix: sheetPrefix(raw.slice(1)), names: [] };
  if (first !== 0x01) return { prefix: sheetPrefix(raw), names: [] };
  // An encoded URL (shown, never followed): 01H + drive letter, 02H root, 03H directory, 04H parent.
  const path = raw
    .slice(1)
    .replace(/\u0001([A-Za-z])/g, '$1:\\')
    .replace(/[\u0002\u0003]/g, '\\')
    .replace(/\u0004/g, '..\\')
    .replace(/[\u0000-\u001f]/g, '');
  return { prefix: sheetPrefix(path), names: [] };
}
