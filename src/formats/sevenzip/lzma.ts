import { FormatError, LimitError } from '../../core/index.js';

/**
 * LZMA and LZMA2 decoding (Igor Pavlov's LZMA specification, lzma-specification.7z: LzmaSpec.cpp; LZMA2
 * chunk format from Lzma2Dec.c), output into one growing buffer that is also the dictionary. Every read
 * is bounds-checked; output stops at `maxOutput` with a LimitError, so a bomb costs no more than the cap.
 */
const PROB_INIT = 1024;
const NUM_STATES = 12;
const POS_STATES_MAX = 16;

class RangeDecoder {
  private range = 0xffffffff;
  private code = 0;
  pos: number;

  constructor(
    private readonly input: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
    if (this.byte() !== 0)
      throw new FormatError('E_LZMA_BAD_STREAM', 'range coder must start with 0', {
        offset: start,
      });
    for (let i = 0; i < 4; i++) this.code = ((this.code << 8) | this.byte()) >>> 0;
    if (this.code === this.range)
      throw new FormatError('E_LZMA_BAD_STREAM', 'corrupted range coder', { offset: start });
  }

  private byte(): number {
    if (this.pos >= this.end)
      throw new FormatError('E_LZMA_TRUNCATED', 'compressed data ends early', { offset: this.pos });
    return this.input[this.pos++]!;
  }

  private normalize(): void {
    if (this.range < 0x1000000) {
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.byte()) >>> 0;
    }
  }

  bit(probs: Uint16Array, i: number): number {
    const p = probs[i]!;
    let range = this.range;
    let code = this.code;
    const bound = (range >>> 11) * p;
    let bit = 0;
    if (code < bound) {
      range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
    } else {
      range -= bound;
      code -= bound;
      probs[i] = p - (p >>> 5);
      bit = 1;
    }
    // normalize(), inlined: this is the decoder's hottest path.
    if (range < 0x1000000) {
      if (this.pos >= this.end) this.byte();
      range = (range << 8) >>> 0;
      code = ((code << 8) | this.input[this.pos++]!) >>> 0;
    }
    this.range = range;
    this.code = code;
    return bit;
  }

  direct(count: number): number {
    let res = 0;
    for (let i = 0; i < count; i++) {
      this.range >>>= 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        bit = 1;
      }
      res = ((res << 1) | bit) >>> 0;
      this.normalize();
    }
    return res;
  }

  tree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(probs, base + m);
    return m - (1 << bits);
  }

  reverse(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < bits; i++) {
      const b = this.bit(probs, base + m);
      m = (m << 1) | b;
      sym |= b << i;
    }
    return sym;
  }
}

class LenDecoder {
  readonly probs = new Uint16Array(2 + POS_STATES_MAX * 16 + 256);

  reset(): void {
    this.probs.fill(PROB_INIT);
  }

  decode(rc: RangeDecoder, posState: number): number {
    if (rc.bit(this.probs, 0) === 0) return rc.tree(this.probs, 2 + posState * 8, 3);
    if (rc.bit(this.probs, 1) === 0)
      return 8 + rc.tree(this.probs, 2 + POS_STATES_MAX * 8 + posState * 8, 3);
    return 16 + rc.tree(this.probs, 2 + POS_STATES_MAX * 16, 8);
  }
}

/** Growing output that doubles as the LZMA dictionary. */
export class OutWindow {
  buf: Uint8Array;
  size = 0;

  constructor(
    expected: number,
    private readonly max: number,
  ) {
    this.buf = new Uint8Array(Math.max(16, Math.min(expected, max, 64 * 1024 * 1024)));
  }

  private grow(need: number): void {
    if (need > this.max) {
      throw new LimitError(
        'E_LIMIT_DECOMPRESSED_SIZE',
        `decompressed data past ${this.max} bytes`,
        { limit: 'maxFileSize', max: this.max },
      );
    }
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.min(this.max, Math.max(need, this.buf.length * 2)));
    next.set(this.buf.subarray(0, this.size));
    this.buf = next;
  }

  put(b: number): void {
    if (this.size >= this.buf.length) this.grow(this.size + 1);
    this.buf[this.size++] = b;
  }

  append(bytes: Uint8Array): void {
    this.grow(this.size + bytes.length);
    this.buf.set(bytes, this.size);
    this.size += bytes.length;
  }

  back(dist: number): number {
    return this.buf[this.size - dist]!;
  }

  copy(dist: number, len: number): void {
    this.grow(this.size + len);
    for (let i = 0; i < len; i++, this.size++) this.buf[this.size] = this.buf[this.size - dist]!;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }
}

/** The LZMA decoder state (probabilities, state, reps), kept across LZMA2 chunks when they say so. */
export class LzmaDecoder {
  private lc = 0;
  private lp = 0;
  private pb = 0;
  private literal = new Uint16Array(0x300);
  private readonly isMatch = new Uint16Array(NUM_STATES << 4);
  private readonly isRep = new Uint16Array(NUM_STATES);
  private readonly isRepG0 = new Uint16Array(NUM_STATES);
  private readonly isRepG1 = new Uint16Array(NUM_STATES);
  private readonly isRepG2 = new Uint16Array(NUM_STATES);
  private readonly isRep0Long = new Uint16Array(NUM_STATES << 4);
  private readonly posSlot = new Uint16Array(4 << 6);
  private readonly posDecoders = new Uint16Array(1 + 114);
  private readonly align = new Uint16Array(1 << 4);
  private readonly len = new LenDecoder();
  private readonly repLen = new LenDecoder();
  private state = 0;
  private reps = [0, 0, 0, 0];
  /** Bytes of the window that belong to the current dictionary (distances may not reach further). */
  dictStart = 0;

  constructor(
    readonly out: OutWindow,
    readonly dictSize: number,
  ) {}

  setProperties(propByte: number): void {
    if (propByte >= 9 * 5 * 5)
      throw new FormatError('E_LZMA_BAD_PROPERTIES', `lc/lp/pb byte ${propByte}`);
    this.lc = propByte % 9;
    this.lp = Math.floor(propByte / 9) % 5;
    this.pb = Math.floor(propByte / 45);
    if (this.literal.length !== 0x300 << (this.lc + this.lp))
      this.literal = new Uint16Array(0x300 << (this.lc + this.lp));
  }

  resetState(): void {
    for (const p of [
      this.literal,
      this.isMatch,
      this.isRep,
      this.isRepG0,
      this.isRepG1,
      this.isRepG2,
      this.isRep0Long,
      this.posSlot,
      this.posDecoders,
      this.align,
    ])
      p.fill(PROB_INIT);
    this.len.reset();
    this.repLen.reset();
    this.state = 0;
    this.reps = [0, 0, 0, 0];
  }

  /**
   * Decodes `input[start, end)` until `outSize` more bytes are out (or the end marker when allowed).
   * `checkDeadline` is called every 64 KiB of output.
   */
  decode(
    input: Uint8Array,
    start: number,
    end: number,
    outSize: number,
    allowEndMarker: boolean,
    checkDeadline?: () => void,
  ): number {
    const rc = new RangeDecoder(input, start, end);
    const out = this.out;
    const target = out.size + outSize;
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    let [rep0, rep1, rep2, rep3] = this.reps as [number, number, number, number];
    let state = this.state;
    let nextCheck = out.size + 65536;
    while (out.size < target) {
      if (out.size >= nextCheck) {
        checkDeadline?.();
        nextCheck = out.size + 65536;
      }
      // Positions count from the last dictionary reset (LZMA2 processedPos).
      const pos = out.size - this.dictStart;
      const posState = pos & pbMask;
      if (rc.bit(this.isMatch, (state << 4) + posState) === 0) {
        const prev = out.size > this.dictStart ? out.back(1) : 0;
        const base = 0x300 * (((pos & lpMask) << this.lc) + (prev >>> (8 - this.lc)));
        let symbol = 1;
        if (state >= 7 && out.size - this.dictStart > rep0) {
          let matchByte = out.back(rep0 + 1);
          do {
            const matchBit = (matchByte >>> 7) & 1;
            matchByte <<= 1;
            const bit = rc.bit(this.literal, base + ((1 + matchBit) << 8) + symbol);
            symbol = (symbol << 1) | bit;
            if (matchBit !== bit) break;
          } while (symbol < 0x100);
        }
        while (symbol < 0x100) symbol = (symbol << 1) | rc.bit(this.literal, base + symbol);
        out.put(symbol & 0xff);
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let len: number;
      if (rc.bit(this.isRep, state) !== 0) {
        if (out.size === this.dictStart)
          throw new FormatError('E_LZMA_BAD_STREAM', 'repeat match before any data', {
            offset: rc.pos,
          });
        if (rc.bit(this.isRepG0, state) === 0) {
          if (rc.bit(this.isRep0Long, (state << 4) + posState) === 0) {
            state = state < 7 ? 9 : 11;
            out.put(out.back(rep0 + 1));
            continue;
          }
        } else {
          let dist: number;
          if (rc.bit(this.isRepG1, state) === 0) dist = rep1;
          else {
            if (rc.bit(this.isRepG2, state) === 0) dist = rep2;
            else {
              dist = rep3;
              rep3 = rep2;
            }
            rep2 = rep1;
          }
          rep1 = rep0;
          rep0 = dist;
        }
        len = this.repLen.decode(rc, posState);
        state = state < 7 ? 8 : 11;
      } else {
        rep3 = rep2;
        rep2 = rep1;
        rep1 = rep0;
        len = this.len.decode(rc, posState);
        state = state < 7 ? 7 : 10;
        rep0 = this.distance(rc, len);
        if (rep0 === 0xffffffff) {
          if (allowEndMarker) break;
          throw new FormatError('E_LZMA_BAD_STREAM', 'unexpected end marker', { offset: rc.pos });
        }
        if (rep0 >= this.dictSize || rep0 >= out.size - this.dictStart) {
          throw new FormatError(
            'E_LZMA_BAD_STREAM',
            `match distance ${rep0} outside the dictionary`,
            { offset: rc.pos },
          );
        }
      }
      len += 2;
      out.copy(rep0 + 1, Math.min(len, target - out.size));
    }
    this.reps = [rep0, rep1, rep2, rep3];
    this.state = state;
    return rc.pos;
  }

  private distance(rc: RangeDecoder, len: number): number {
    const lenState = Math.min(len, 3);
    const slot = rc.tree(this.posSlot, lenState << 6, 6);
    if (slot < 4) return slot;
    const bits = (slot >>> 1) - 1;
    let dist = ((2 | (slot & 1)) << bits) >>> 0;
    if (slot < 14) return (dist + rc.reverse(this.posDecoders, dist - slot, bits)) >>> 0;
    dist = (dist + ((rc.direct(bits - 4) << 4) >>> 0)) >>> 0;
    return (dist + rc.reverse(this.align, 0, 4)) >>> 0;
  }
}

/** 7z LZMA coder: 5 property bytes (lc/lp/pb, dictionary size), raw stream, known output size. */
export function decodeLzma(
  props: Uint8Array,
  input: Uint8Array,
  outSize: number,
  maxOutput: number,
  checkDeadline?: () => void,
): Uint8Array {
  if (props.length < 5)
    throw new FormatError('E_LZMA_BAD_PROPERTIES', 'LZMA needs 5 property bytes');
  const dictSize = Math.max(
    4096,
    (props[1]! | (props[2]! << 8) | (props[3]! << 16) | (props[4]! << 24)) >>> 0,
  );
  const out = new OutWindow(outSize, maxOutput);
  const d = new LzmaDecoder(out, dictSize);
  d.setProperties(props[0]!);
  d.resetState();
  d.decode(input, 0, input.length, Math.min(outSize, maxOutput + 1), true, checkDeadline);
  return out.result();
}

/** 7z LZMA2 coder: one dictionary-size property byte, then chunks (Lzma2Dec.c). */
export function decodeLzma2(
  props: Uint8Array,
  input: Uint8Array,
  outSize: number,
  maxOutput: number,
  checkDeadline?: () => void,
): Uint8Array {
  const p = props[0] ?? 0;
  if (p > 40) throw new FormatError('E_LZMA_BAD_PROPERTIES', `LZMA2 dictionary byte ${p}`);
  const dictSize = p === 40 ? 0xffffffff : ((2 | (p & 1)) << (Math.floor(p / 2) + 11)) >>> 0;
  const out = new OutWindow(outSize, maxOutput);
  const d = new LzmaDecoder(out, dictSize);
  let at = 0;
  let needProps = true;
  while (at < input.length) {
    const control = input[at++]!;
    if (control === 0) return out.result();
    if (at + 2 > input.length) break;
    if (control === 1 || control === 2) {
      const size = ((input[at]! << 8) | input[at + 1]!) + 1;
      at += 2;
      if (control === 1) d.dictStart = out.size;
      if (at + size > input.length) break;
      out.append(input.subarray(at, at + size));
      at += size;
      continue;
    }
    if (control < 0x80)
      throw new FormatError('E_LZMA_BAD_STREAM', `LZMA2 control byte 0x${control.toString(16)}`, {
        offset: at - 1,
      });
    if (at + 4 > input.length) break;
    const unpacked = ((control & 0x1f) << 16) + ((input[at]! << 8) | input[at + 1]!) + 1;
    const packed = ((input[at + 2]! << 8) | input[at + 3]!) + 1;
    at += 4;
    const mode = (control >>> 5) & 3;
    if (mode === 3) d.dictStart = out.size;
    if (mode >= 2) {
      d.setProperties(input[at++] ?? 0xff);
      needProps = false;
    }
    if (needProps)
      throw new FormatError('E_LZMA_BAD_STREAM', 'LZMA2 chunk without properties', { offset: at });
    if (mode >= 1) d.resetState();
    if (at + packed > input.length) break;
    d.decode(input, at, at + packed, unpacked, false, checkDeadline);
    at += packed;
  }
  throw new FormatError('E_LZMA_TRUNCATED', 'LZMA2 stream ends early', { offset: at });
}
