export interface Range {
  from: number;
  to: number;
}

/** Sorted, merged union of byte ranges (a cut inside a cut is one cut). */
export function unionRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.to > r.from).sort((a, b) => a.from - b.from || b.to - a.to);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** The complement of merged `removed` within `[0, length)`. */
export function keptRanges(removed: readonly Range[], length: number): Range[] {
  const out: Range[] = [];
  let at = 0;
  for (const r of removed) {
    if (r.from > at) out.push({ from: at, to: r.from });
    at = Math.max(at, r.to);
  }
  if (at < length) out.push({ from: at, to: length });
  return out;
}

// A control word at the end of a kept piece (`\pard`, `\fs24`): the next piece must not extend it.
const TRAILING_WORD = /\\[A-Za-z]{1,250}(?:-?\d{1,10})?$/;

/**
 * Concatenates the kept pieces. Where a piece ends in a control word, a space (its delimiter, which
 * Word consumes) is added, so `\pard` + `text` cannot become the control word `\pardtext`.
 */
export function stitch(bytes: Uint8Array, kept: readonly Range[]): Uint8Array {
  if (kept.length === 1 && kept[0]!.from === 0 && kept[0]!.to === bytes.length) return bytes;
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const [n, r] of kept.entries()) {
    const piece = bytes.subarray(r.from, r.to);
    parts.push(piece);
    size += piece.length;
    if (n < kept.length - 1 && endsWithControlWord(piece)) {
      parts.push(SPACE);
      size++;
    }
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const SPACE = Uint8Array.of(0x20);

function endsWithControlWord(piece: Uint8Array): boolean {
  const tail = piece.subarray(Math.max(0, piece.length - 264));
  let s = '';
  for (const c of tail) s += String.fromCharCode(c);
  return TRAILING_WORD.test(s);
}
