import { splitFields } from './parse.js';

/**
 * A SYLK copy with nothing Excel evaluates. Records are kept by an allowlist (the Multiplan SYLK notes
 * tell readers to ignore what they do not know, so an unknown record may be a feature of a later Excel):
 *
 * - `C` cells keep their position, value (`K`) and protection/hidden flags; the expression (`E`), the
 *   matrix expression (`M`) and the shared-expression fields (`S`, `D`, `G`, `R`, `C`) go. A cell is
 *   shown with its last computed value, which is what Excel stored in `K`.
 * - `O` options lose `E` (the Excel 4.0 macro-sheet flag); `ID`, `B`, `F`, `P`, `W` and `E` stay.
 * - `NN` names (Auto_Open → R1C1 starts an XLM macro), `NE`/`NU` external links and every other record
 *   type go.
 *
 * Records are written back with CRLF whatever the input used, so that a reader that splits lines on
 * a lone CR differently from this one cannot see a record this rewrite did not.
 */

/** What the rewrite took out, one entry per record changed or dropped. */
export interface SylkRemoval {
  /** `formula`: a cell lost its expression; `name`, `external-link`, `macro-sheet`, `record`. */
  what: 'formula' | 'name' | 'external-link' | 'macro-sheet' | 'record';
  /** 1-based line number in the input. */
  line: number;
  /** The removed text (the formula, `name = formula`, or the record). */
  text: string;
}

export interface SylkRewrite {
  bytes: Uint8Array;
  removed: SylkRemoval[];
  /** Records read (non-empty lines). */
  records: number;
}

export interface SylkRewriteOptions {
  /** Called every few thousand records (a deadline check may throw). */
  checkDeadline?: () => void;
}

/** Fields of a `C` record kept: position, value, protection and hidden flags. */
const CELL_FIELDS: ReadonlySet<string> = new Set(['X', 'Y', 'K', 'N', 'P', 'H']);
/** Records kept whole (`O` loses its macro-sheet flag). */
const KEPT_RECORDS: ReadonlySet<string> = new Set(['ID', 'B', 'F', 'P', 'W', 'E', 'O', 'C']);
const DEADLINE_EVERY = 4096;

/** Writes a field back, doubling semicolons as the format wants. */
const escapeField = (field: string) => field.replace(/;/g, ';;');

/**
 * Rewrites a SYLK file (bytes are read as Latin-1, one byte per character, so that everything kept is
 * written back byte for byte).
 *
 * @example
 * const out = rewriteSylk(bytes);
 * out.removed.filter((r) => r.what === 'formula').length // cells that lost their formula
 */
export function rewriteSylk(bytes: Uint8Array, options: SylkRewriteOptions = {}): SylkRewrite {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  const out: string[] = [];
  const removed: SylkRemoval[] = [];
  let records = 0;
  let line = 0;
  for (const raw of text.split(/\r\n|\n|\r/)) {
    line++;
    if (raw === '') continue;
    if (++records % DEADLINE_EVERY === 0) options.checkDeadline?.();
    const [type = '', ...fields] = splitFields(raw);
    if (!KEPT_RECORDS.has(type)) {
      removed.push({ what: dropped(type), line, text: describeDropped(type, fields, raw) });
      continue;
    }
    if (type === 'C') {
      const kept = fields.filter((f) => CELL_FIELDS.has(f.charAt(0)));
      if (kept.length !== fields.length) {
        const formula = fields.find((f) => f.startsWith('E') || f.startsWith('M'))?.slice(1);
        removed.push({ what: 'formula', line, text: formula ?? raw });
        out.push([type, ...kept].map(escapeField).join(';'));
        continue;
      }
    } else if (type === 'O' && fields.includes('E')) {
      removed.push({ what: 'macro-sheet', line, text: raw });
      out.push([type, ...fields.filter((f) => f !== 'E')].map(escapeField).join(';'));
      continue;
    }
    out.push(raw);
  }
  const joined = out.join('\r\n') + '\r\n';
  const written = new Uint8Array(joined.length);
  for (let i = 0; i < joined.length; i++) written[i] = joined.charCodeAt(i) & 0xff;
  return {
    bytes: written,
    removed,
    records,
  };
}

function dropped(type: string): SylkRemoval['what'] {
  if (type === 'NN') return 'name';
  if (type === 'NE' || type === 'NU') return 'external-link';
  return 'record';
}

function describeDropped(type: string, fields: readonly string[], raw: string): string {
  if (type !== 'NN') return raw;
  const field = (letter: string) => fields.find((f) => f.startsWith(letter))?.slice(1);
  return `${field('N') ?? '?'} = ${field('E') ?? field('G') ?? ''}`;
}
