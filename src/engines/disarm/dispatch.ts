import { describeError, LimitError, type FileType } from '../../core/index.js';
import { sniffType } from '../../formats/sniff/index.js';
import { disarmOle } from './ole.js';
import { disarmOoxml } from './ooxml.js';
import { disarmRtf } from './rtf.js';
import { disarmSylk } from './sylk.js';
import type { Disarmer, DisarmOptions, DisarmOutcome } from './types.js';

/**
 * The format disarmers, by sniffed type. A type missing here is refused as `unsupported`: a document is
 * never passed through "disarmed" by a layer that did not understand it.
 */
export const DISARMERS: Readonly<Partial<Record<FileType, Disarmer>>> = Object.freeze({
  ole: disarmOle,
  ooxml: disarmOoxml,
  rtf: disarmRtf,
  sylk: disarmSylk,
});

/** Types with a disarmer today (for help texts, the gateway and the docs). */
export function disarmableTypes(
  disarmers: Readonly<Partial<Record<FileType, Disarmer>>> = DISARMERS,
): FileType[] {
  return Object.keys(disarmers) as FileType[];
}

export interface DispatchedOutcome extends DisarmOutcome {
  /** The input's type, sniffed from its content (never from its name). */
  inputType: FileType;
}

export interface DispatchOptions extends DisarmOptions {
  /** Replaces the built-in disarmers (tests, benchmarks). */
  disarmers?: Readonly<Partial<Record<FileType, Disarmer>>>;
}

/**
 * Disarms one document: sniffs its type, hands it to that format's disarmer, and checks what comes back.
 * Never throws for hostile input: limits become `refusal: 'limit'`, anything else thrown `malformed`.
 *
 * @example
 * const out = disarmDocument(bytes, { limits: DEFAULT_LIMITS });
 * if (out.status !== 'refused') save(out.output, out.outputExtension);
 */
export function disarmDocument(bytes: Uint8Array, options: DispatchOptions): DispatchedOutcome {
  const inputType = sniffType(bytes);
  const refuse = (refusal: DisarmOutcome['refusal'], reason: string): DispatchedOutcome => ({
    status: 'refused',
    inputType,
    removed: [],
    refusal,
    reason,
  });
  if (bytes.length > options.limits.maxFileSize) {
    return refuse(
      'limit',
      `${bytes.length} bytes is over maxFileSize (${options.limits.maxFileSize})`,
    );
  }
  const disarmer = (options.disarmers ?? DISARMERS)[inputType];
  if (!disarmer && inputType === 'biff') return refuse('unsupported', legacyExcelReason(bytes));
  if (!disarmer) return refuse('unsupported', unsupportedReason(inputType));
  let outcome: DisarmOutcome;
  try {
    outcome = disarmer(bytes, {
      limits: options.limits,
      ...(options.checkDeadline ? { checkDeadline: options.checkDeadline } : {}),
    });
  } catch (error) {
    // SECURITY: a disarmer that stops half-way must not leave a half-written copy behind.
    return refuse(error instanceof LimitError ? 'limit' : 'malformed', describeError(error));
  }
  if (outcome.status === 'refused') {
    const { output: _dropped, ...rest } = outcome;
    return { ...rest, inputType, refusal: rest.refusal ?? 'malformed' };
  }
  if (!(outcome.output instanceof Uint8Array)) {
    return refuse('malformed', `the ${inputType} disarmer returned no output`);
  }
  return { ...outcome, inputType };
}

const OFFICE_TYPES: ReadonlySet<FileType> = new Set(['ole', 'ooxml', 'rtf', 'sylk']);

function unsupportedReason(type: FileType): string {
  if (type === 'pdf') {
    return 'PDF disarm is out of scope for now: PDF JavaScript, launch actions and embedded files are not removed';
  }
  if (OFFICE_TYPES.has(type)) return `the ${type} disarmer is not available in this build`;
  return `${type} content cannot be disarmed (disarm handles Office documents: OLE, OOXML, RTF and SYLK)`;
}

/** BOF.dt of a BIFF2–4 file (OpenOffice.org "Microsoft Excel File Format" 5.8), the sniffer's test. */
const BOF_MACRO_SHEET = 0x0040;
const BOF_WORKSPACE = 0x0100;

/**
 * Why an Excel 2.x–4.0 file gets no disarmed copy. A macro sheet (.xlm) is nothing but XLM macros:
 * removing them leaves nothing to deliver, and keeping any cell keeps a formula Excel runs. A
 * BIFF4W workbook bundles such sheets; worksheets of that age have no rewriter here. Each is refused
 * by name, so an operator reads what the file is, not "unsupported type".
 */
function legacyExcelReason(bytes: Uint8Array): string {
  const version = bytes[1] === 0x04 ? 4 : bytes[1] === 0x02 ? 3 : 2;
  const dt = (bytes[6] ?? 0) | ((bytes[7] ?? 0) << 8);
  if (dt === BOF_MACRO_SHEET) {
    return `an Excel 4.0 macro sheet (BIFF${version} .xlm) is nothing but macros: there is no macro-free copy to deliver`;
  }
  if (dt === BOF_WORKSPACE) {
    return 'an Excel 4.0 workbook (BIFF4W) is not rewritten: its bundled sheets may be macro sheets, and no macro-free copy is made';
  }
  return `Excel 2.x–4.0 files (BIFF${version}) are not rewritten: no macro-free copy is made of this legacy format`;
}
