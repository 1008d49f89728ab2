import type { Emulator, EvalCtx } from './emulator.js';
import type { Node } from './formula.js';
import { asNumber, asText, describe, EMPTY, UNKNOWN, type XlValue } from './values.js';

/**
 * What the emulated Excel answers about its environment. Droppers ask before they act (sandbox
 * evasion, T1497.001): a usable workspace narrower than 770 points, no mouse, no sound, single-step
 * mode or a hidden window mean "analysis machine, close quietly". The emulator answers as an
 * ordinary Windows 10 desktop with Excel 2016+ so that the payload path runs, and records each
 * question as a `sandbox` event. Codes are those of the Excel 4.0 macro functions reference.
 */

interface Answer {
  value: XlValue;
  meaning: string;
}

const WORKSPACE: Readonly<Record<number, Answer>> = {
  1: { value: 'Windows (64-bit) NT 10.00', meaning: 'environment and version' },
  2: { value: '16.0', meaning: 'Excel version' },
  13: { value: 1920, meaning: 'usable workspace width' },
  14: { value: 1080, meaning: 'usable workspace height' },
  16: { value: 'user', meaning: 'user name' },
  17: { value: true, meaning: 'keyboard or mouse input possible' },
  19: { value: true, meaning: 'mouse present' },
  26: { value: 'user', meaning: 'user name' },
  31: { value: false, meaning: 'macro runs in single step mode' },
  42: { value: true, meaning: 'computer can play sounds' },
};

const WINDOW: Readonly<Record<number, Answer>> = {
  7: { value: false, meaning: 'window hidden' },
  8: { value: true, meaning: 'formulas displayed' },
  20: { value: true, meaning: 'window maximized' },
  23: { value: 3, meaning: 'window size (3 = maximized)' },
};

const DOCUMENT: Readonly<Record<number, Answer>> = {
  1: { value: 'Sheet1', meaning: 'name of the document' },
  2: { value: 'C:\\Users\\user\\Documents', meaning: 'path of the document' },
  76: { value: '[Book1]Sheet1', meaning: 'name of the active sheet' },
  88: { value: 'Book1', meaning: 'name of the active workbook' },
};

const CELL: Readonly<Record<number, Answer>> = {
  17: { value: 15, meaning: 'row height' },
  19: { value: 11, meaning: 'font size' },
  20: { value: false, meaning: 'bold font' },
  24: { value: 1, meaning: 'font color' },
  38: { value: 0, meaning: 'shade foreground color' },
  50: { value: 1, meaning: 'vertical alignment' },
};

const INFO: Readonly<Record<string, Answer>> = {
  osversion: { value: 'Windows (64-bit) NT 10.00', meaning: 'operating system version' },
  system: { value: 'pcdos', meaning: 'operating environment' },
  directory: { value: 'C:\\Users\\user\\Documents\\', meaning: 'current directory' },
  release: { value: '16.0', meaning: 'Excel version' },
  numfile: { value: 1, meaning: 'open worksheets' },
};

function query(
  fn: string,
  table: Readonly<Record<number, Answer>>,
): (em: Emulator, args: Node[], ctx: EvalCtx) => XlValue {
  return (em, args, ctx) => {
    const raw = args[0] ? em.value(em.evaluate(args[0], ctx), ctx) : EMPTY;
    const code = asNumber(raw);
    const answer = code === undefined ? undefined : table[Math.trunc(code)];
    const shown = code === undefined ? describe(raw) : String(code);
    const result = answer ? `${describe(answer.value)} (${answer.meaning})` : 'unknown';
    em.event('sandbox', ctx, `${fn}(${shown}) → ${result}`, [shown]);
    return answer?.value ?? UNKNOWN;
  };
}

export const ENVIRONMENT_QUERIES = {
  'GET.WORKSPACE': query('GET.WORKSPACE', WORKSPACE),
  'GET.WINDOW': query('GET.WINDOW', WINDOW),
  'GET.DOCUMENT': query('GET.DOCUMENT', DOCUMENT),
  'GET.CELL': query('GET.CELL', CELL),
  INFO: (em: Emulator, args: Node[], ctx: EvalCtx): XlValue => {
    const raw = args[0] ? em.value(em.evaluate(args[0], ctx), ctx) : EMPTY;
    const key = (asText(raw) ?? '').toLowerCase();
    const answer = INFO[key];
    em.event(
      'sandbox',
      ctx,
      `INFO(${describe(raw)}) → ${answer ? describe(answer.value) : 'unknown'}`,
      [key],
    );
    return answer?.value ?? UNKNOWN;
  },
};
