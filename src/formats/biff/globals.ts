import type { Anomaly } from '../../core/index.js';
import {
  BUILTIN_NAMES,
  RT_BOUNDSHEET,
  RT_CODEPAGE,
  RT_EXTERNNAME,
  RT_EXTERNSHEET,
  RT_FILEPASS,
  RT_NAME,
  RT_SST,
  RT_SUPBOOK,
  SHEET_STATES,
  SHEET_TYPES,
} from './constants.js';
import { Cursor, Truncated } from './cursor.js';
import { decodeFormula, type FormulaEnv } from './ptg.js';
import type { BiffRecord } from './records.js';
import {
  CodePageDecoder,
  parseSst,
  readByteString8,
  readShortXLUnicode,
  readXLUnicodeNoCch,
} from './strings.js';
import {
  MAX_BIFF_NAMES,
  MAX_BIFF_SHEETS,
  type BiffDdeLink,
  type BiffEncryption,
  type BiffName,
  type BiffSheet,
} from './types.js';

/**
 * The workbook globals substream ([MS-XLS] 2.1.7.20.1): sheets (BoundSheet8), defined names (Lbl),
 * the shared string table, the code page, FILEPASS, and the SUPBOOK/EXTERNSHEET/EXTERNNAME tables
 * that 3-D references and add-in function names resolve through.
 */

interface RawName {
  flags: number;
  name: string;
  sheetIndex: number;
  rgce: Uint8Array;
  rgcb: Uint8Array;
}

interface SupBook {
  isSelf: boolean;
  externNames: string[];
  /** Set for a DDE-OLE link SUPBOOK (virtPath `application` U+0003 `topic`). */
  dde?: { application: string; topic: string; offset: number };
}

const DDE_SEPARATOR = '\u0003'; // 2.5.277 VirtualPath, dde-ole-link
const EXTERN_OLE = 0x0008; // ExternName fOle
const EXTERN_OLE_LINK = 0x0010; // ExternName fOleLink

export class Globals {
  readonly decoder: CodePageDecoder;
  sst: string[] = [];
  readonly sheets: BiffSheet[] = [];
  encryption: BiffEncryption | undefined;
  private readonly rawNames: RawName[] = [];
  private readonly supbooks: SupBook[] = [];
  private readonly xti: { supbook: number; itab: number }[] = [];
  /** BIFF5: one EXTERNSHEET record per external sheet, each followed by its EXTERNNAMEs. */
  private readonly biff5Extern: string[][] = [];
  names: BiffName[] = [];
  readonly ddeLinks: BiffDdeLink[] = [];

  constructor(
    readonly version: 5 | 8,
    private readonly anomalies: Anomaly[],
    private readonly maxSstStrings: number,
    private readonly maxNames = MAX_BIFF_NAMES,
    private readonly maxSheets = MAX_BIFF_SHEETS,
  ) {
    this.decoder = new CodePageDecoder(anomalies);
  }

  /** Takes one globals record; returns false once the rest of the stream is encrypted. */
  take(record: BiffRecord): boolean {
    const cur = new Cursor(record.data);
    try {
      switch (record.type) {
        case RT_FILEPASS:
          this.encryption = { type: encryptionType(cur, this.version), offset: record.offset };
          return false;
        case RT_CODEPAGE:
          this.decoder.setCodePage(cur.u16('codepage'));
          break;
        case RT_BOUNDSHEET:
          if (this.sheets.length >= this.maxSheets) {
            this.limitOnce(
              'E_BIFF_SHEET_LIMIT',
              `more than ${this.maxSheets} sheets`,
              record.offset,
            );
            break;
          }
          this.sheets.push(this.boundSheet(cur));
          break;
        case RT_NAME:
          if (this.rawNames.length >= this.maxNames) {
            this.limitOnce(
              'E_BIFF_NAME_LIMIT',
              `more than ${this.maxNames} defined names`,
              record.offset,
            );
            break;
          }
          this.rawNames.push(this.version === 8 ? this.lbl8(cur) : this.lbl5(cur));
          break;
        case RT_SST:
          this.sst = parseSst(
            record.data,
            record.boundaries,
            this.maxSstStrings,
            this.anomalies,
            record.offset,
          ).strings;
          break;
        case RT_SUPBOOK:
          this.supbooks.push(this.supBook(cur, record.offset));
          break;
        case RT_EXTERNNAME:
          this.externName(cur, record.offset);
          break;
        case RT_EXTERNSHEET:
          this.externSheet(cur);
          break;
      }
    } catch (error) {
      if (!(error instanceof Truncated)) throw error;
      this.anomalies.push({
        code: 'E_BIFF_RECORD_TRUNCATED',
        message: `record 0x${record.type.toString(16)}: ${error.message}`,
        offset: record.offset,
      });
    }
    return true;
  }

  private limitOnce(code: `E_${string}`, message: string, offset: number): void {
    if (!this.anomalies.some((a) => a.code === code))
      this.anomalies.push({ code, message, offset });
  }

  private boundSheet(cur: Cursor): BiffSheet {
    const offset = cur.u32('lbPlyPos');
    const state = SHEET_STATES[cur.u8('hsState') & 0x03] ?? 'very-hidden';
    const dt = cur.u8('dt');
    const name = this.version === 8 ? readShortXLUnicode(cur) : readByteString8(cur, this.decoder);
    return { name, type: SHEET_TYPES[dt] ?? 'unknown', state, offset, cells: [] };
  }

  /** Lbl (2.4.150), BIFF8. */
  private lbl8(cur: Cursor): RawName {
    const flags = cur.u16('flags');
    cur.u8('chKey');
    const cch = cur.u8('cch');
    const cce = cur.u16('cce');
    cur.skip(2, 'reserved');
    const sheetIndex = cur.u16('itab');
    cur.skip(4, 'reserved');
    const name = readXLUnicodeNoCch(cur, cch);
    const rgce = cur.bytes(cce, 'rgce');
    return { flags, name, sheetIndex, rgce, rgcb: cur.bytes(cur.left) };
  }

  /** NAME, BIFF5: 8-bit name in the code page, then the formula. */
  private lbl5(cur: Cursor): RawName {
    const flags = cur.u16('flags');
    cur.u8('chKey');
    const cch = cur.u8('cch');
    const cce = cur.u16('cce');
    cur.skip(2, 'ixals');
    const sheetIndex = cur.u16('itab');
    cur.skip(4, 'string lengths');
    const name = this.decoder.decode(cur.bytes(cch, 'name'));
    const rgce = cur.bytes(cce, 'rgce');
    return { flags, name, sheetIndex, rgce, rgcb: cur.bytes(cur.left) };
  }

  /** SupBook (2.4.271): self-reference (cch 0x0401), add-in (0x3A01), or a virtPath. */
  private supBook(cur: Cursor, offset: number): SupBook {
    const ctab = cur.u16('ctab');
    const cch = cur.u16('cch');
    const book: SupBook = { isSelf: cch === 0x0401, externNames: [] };
    // An external workbook lists its sheets (ctab > 0) and its encoded path also uses U+0003, as the
    // directory separator after a U+0001 volume mark; a DDE/OLE link has no sheets (as LibreOffice reads it).
    if (this.version !== 8 || ctab !== 0 || cch === 0x0401 || cch === 0x3a01 || cch === 0)
      return book;
    const path = readXLUnicodeNoCch(cur, cch);
    const split = path.indexOf(DDE_SEPARATOR);
    if (split > 0 && !path.startsWith('\u0001'))
      book.dde = { application: path.slice(0, split), topic: path.slice(split + 1), offset };
    return book;
  }

  private externName(cur: Cursor, offset: number): void {
    const flags = cur.u16('flags');
    cur.skip(4, 'reserved');
    if (this.version === 8) {
      const book = this.supbooks[this.supbooks.length - 1];
      const name = readShortXLUnicode(cur);
      book?.externNames.push(name);
      if (book?.dde) this.addDdeLink(book.dde, name, flags, offset);
    } else {
      this.biff5Extern[this.biff5Extern.length - 1]?.push(readByteString8(cur, this.decoder));
    }
  }

  private addDdeLink(
    dde: NonNullable<SupBook['dde']>,
    item: string,
    flags: number,
    offset: number,
  ): void {
    if (this.ddeLinks.length >= this.maxNames) {
      this.limitOnce('E_BIFF_NAME_LIMIT', `more than ${this.maxNames} external names`, offset);
      return;
    }
    this.ddeLinks.push({
      application: dde.application,
      topic: dde.topic,
      item,
      isOle: (flags & (EXTERN_OLE | EXTERN_OLE_LINK)) !== 0,
      formula: ddeFormula(dde.application, dde.topic, item),
      offset,
      cells: [],
    });
  }

  /** SUPBOOKs that name a DDE server but carry no EXTERNNAME still start it on a link update. */
  finishDdeLinks(): void {
    for (const book of this.supbooks) {
      if (!book.dde || book.externNames.length > 0 || this.ddeLinks.length >= this.maxNames)
        continue;
      const { application, topic, offset } = book.dde;
      const formula = ddeFormula(application, topic, '');
      this.ddeLinks.push({
        application,
        topic,
        item: '',
        isOle: false,
        formula,
        offset,
        cells: [],
      });
    }
  }

  private externSheet(cur: Cursor): void {
    if (this.version === 5) {
      this.biff5Extern.push([]);
      return;
    }
    const count = cur.u16('cXTI');
    for (let i = 0; i < count && cur.left >= 6; i++) {
      const supbook = cur.u16('iSupBook');
      const itab = cur.i16('itabFirst');
      cur.i16('itabLast');
      this.xti.push({ supbook, itab });
    }
  }

  private baseEnv: Omit<FormulaEnv, 'row' | 'col'> | undefined;

  /** The environment formulas of a cell at (row, col) decode in. */
  env(row: number, col: number): FormulaEnv {
    const base = (this.baseEnv ??= {
      dialect: this.version,
      sheetName: (index) => this.sheetName(index),
      definedName: (index) => {
        const raw = this.rawNames[index - 1];
        return raw && displayName(raw);
      },
      externName: (ixti, index) => this.externNameOf(ixti, index),
      decodeBytes: (bytes) => this.decoder.decode(bytes),
    });
    // A literal rather than `{ ...base, row, col }`: this runs once per formula cell, and copying
    // by spread costs several times more.
    return {
      dialect: base.dialect,
      row,
      col,
      sheetName: base.sheetName,
      definedName: base.definedName,
      externName: base.externName,
      decodeBytes: base.decodeBytes,
    };
  }

  private sheetName(index: number): string | undefined {
    if (this.version === 5) return this.sheets[index]?.name;
    const xti = this.xti[index];
    if (!xti) return undefined;
    const book = this.supbooks[xti.supbook];
    if (book?.isSelf !== false) return this.sheets[xti.itab]?.name;
    return `[${xti.supbook}]${xti.itab}`;
  }

  private externNameOf(ixti: number, index: number): string | undefined {
    if (this.version === 5) return this.biff5Extern[Math.abs(ixti) - 1]?.[index - 1];
    const xti = this.xti[ixti];
    const book = xti && this.supbooks[xti.supbook];
    const name = book?.externNames[index - 1];
    if (name === undefined || !book?.dde) return name;
    return ddeFormula(book.dde.application, book.dde.topic, name);
  }

  /** Decodes the defined names once every name and sheet is known (names refer to each other). */
  finishNames(): void {
    this.names = this.rawNames.map((raw) => {
      const decoded = decodeFormula(raw.rgce, this.env(0, 0), raw.rgcb);
      return {
        name: displayName(raw),
        isBuiltin: (raw.flags & 0x20) !== 0,
        isHidden: (raw.flags & 0x01) !== 0,
        isMacro: (raw.flags & 0x0a) !== 0,
        sheetIndex: raw.sheetIndex,
        formula: decoded.text,
        ...(decoded.error === undefined ? {} : { formulaError: decoded.error }),
      };
    });
  }
}

/** How Excel displays a DDE reference: `cmd|'/c calc'!A0` (topic quoted, quotes doubled). */
export function ddeFormula(application: string, topic: string, item: string): string {
  return `${application}|'${topic.replace(/'/g, "''")}'${item ? `!${item}` : ''}`;
}

/** A built-in name is stored as one character, its index in the built-in list (2.5.98.10). */
function displayName(raw: RawName): string {
  const isBuiltin = (raw.flags & 0x20) !== 0 && raw.name.length === 1;
  return (isBuiltin ? BUILTIN_NAMES[raw.name.charCodeAt(0)] : undefined) ?? raw.name;
}

/** FILEPASS (2.4.117): XOR obfuscation, RC4, or RC4 CryptoAPI (2.2.10, [MS-OFFCRYPTO] 2.3.6). */
function encryptionType(cur: Cursor, version: 5 | 8): BiffEncryption['type'] {
  if (version === 5 || cur.left === 4) return 'xor';
  const kind = cur.u16('wEncryptionType');
  if (kind === 0) return 'xor';
  if (kind !== 1) return 'unknown';
  const major = cur.u16('vMajor');
  return major === 1 ? 'rc4' : major >= 2 && major <= 4 ? 'rc4-cryptoapi' : 'unknown';
}
