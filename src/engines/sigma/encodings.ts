/**
 * Value transformations of the Sigma modifiers appendix 2.1: `windash`, `base64`, `base64offset`,
 * `utf16le`/`wide`, `utf16be`, `utf16`. They run on the rule's values at load time, never on events.
 */

/** The dash-like characters Windows command-line parsers accept for `-flag` (modifiers appendix). */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

/**
 * All permutations of each dash that starts a flag: pySigma's `\B[-/]\b` (a dash after a non-word
 * character or the start, before a word character). `5^n` values for n dashes; the caller caps n.
 */
export function windashVariants(text: string): string[] {
  const positions: number[] = [];
  const flag = /\B[-/]\b/g;
  for (let m = flag.exec(text); m !== null; m = flag.exec(text)) positions.push(m.index);
  let out = [''];
  let from = 0;
  for (const at of positions) {
    const head = text.slice(from, at);
    out = out.flatMap((prefix) => WINDASH_CHARS.map((dash) => prefix + head + dash));
    from = at + 1;
  }
  const tail = text.slice(from);
  return out.map((prefix) => prefix + tail);
}

/** How many values `windashVariants` returns, without building them. */
export function windashCount(text: string): number {
  return WINDASH_CHARS.length ** (text.match(/\B[-/]\b/g)?.length ?? 0);
}

export function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function utf16Bytes(text: string, order: 'le' | 'be', bom = false): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  let o = 0;
  const put = (unit: number) => {
    out[o++] = order === 'le' ? unit & 0xff : unit >> 8;
    out[o++] = order === 'le' ? unit >> 8 : unit & 0xff;
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < text.length; i++) put(text.charCodeAt(i));
  return out;
}

export function base64(bytes: Uint8Array): string {
  return btoa(latin1(bytes));
}

/** Bytes shown as text, one character per byte, for a byte value matched without base64. */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096)
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

const OFFSET_START = [0, 2, 3] as const;
const OFFSET_END = [undefined, -3, -2] as const;

/**
 * The three base64 forms of `bytes` inside a longer base64 string, at each byte shift (pySigma's
 * `base64offset`): characters that depend on the unknown neighbouring bytes are cut off.
 */
export function base64OffsetVariants(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.fill(0x20, 0, shift);
    padded.set(bytes, shift);
    const encoded = base64(padded);
    out.push(encoded.slice(OFFSET_START[shift], OFFSET_END[(bytes.length + shift) % 3]));
  }
  return out;
}
