/**
 * Aho-Corasick multi-pattern search (Aho & Corasick 1975, "Efficient string matching"), compiled to a
 * DFA over a compressed alphabet: one typed-array read per input character, whatever the number of
 * patterns. The Sigma prefilter runs it once per event over the event's lower-cased values to learn
 * which rule literals occur. No npm package is used: none is installed, and this one is small.
 *
 * Case: the automaton folds case itself, one UTF-16 unit at a time (`A` and `a` share a class), so
 * events are scanned as they are, without lower-casing copies. Patterns must be lower-case and free of
 * the characters whose lower case depends on context or spans several units (see `isFoldable`).
 *
 * Memory: a DFA over 12,600 SigmaHQ literals of median length 35 would need 300,000 states × 71
 * classes (83 MiB). So the automaton indexes one `window`-character slice ("key") of each long
 * pattern, the slice whose n-gram is rarest among all patterns (a rare n-gram in rules is a rare one
 * in events too: `c:\windows` is common in both), and a key hit is verified with `startsWith`.
 */

/** UTF-16 unit → its lower case when that is one unit (İ → i, the first unit of i̇), else itself. */
export const LOWER: Uint16Array = (() => {
  const table = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    table[c] = c >= 0xd800 && c <= 0xdfff ? c : String.fromCharCode(c).toLowerCase().charCodeAt(0);
  }
  return table;
})();

/**
 * Whether per-unit case folding finds `pattern` (lower-cased by toLowerCase) in every string whose
 * toLowerCase contains it: not for surrogates (astral letters fold as pairs), σ/ς (final sigma depends
 * on context) or U+0307 (the dot that toLowerCase adds after İ).
 */
export function isFoldable(pattern: string): boolean {
  return !/[\ud800-\udfff\u03c2\u03c3\u03a3\u0307]/.test(pattern);
}

/**
 * The automaton's tables: plain typed arrays and strings, so that an automaton built once can be sent
 * to worker threads (structured clone) instead of being rebuilt in each (hunt-runner).
 */
export interface AhoCorasickTables {
  patterns: readonly string[];
  stateCount: number;
  classOf: Uint16Array;
  width: number;
  delta: Int32Array;
  outStart: Int32Array;
  outCount: Int32Array;
  outList: Int32Array;
  dictLink: Int32Array;
  keyLength: Int32Array;
  keyPatterns: Int32Array[];
  keyOffsets: Int32Array[];
}

export class AhoCorasick {
  readonly patternCount: number;
  readonly stateCount: number;
  private readonly patterns: readonly string[];
  /** UTF-16 code unit → alphabet class; 0 for characters that occur in no key. */
  private readonly classOf: Uint16Array;
  private readonly width: number;
  private readonly delta: Int32Array;
  /** Per state: first index into `outList`, and count, of the keys ending exactly here. */
  private readonly outStart: Int32Array;
  private readonly outCount: Int32Array;
  private readonly outList: Int32Array;
  /** Per state: the nearest state on the failure chain that has outputs, or -1. */
  private readonly dictLink: Int32Array;
  /** Per key: its length, and the (pattern, offset of the key in the pattern) pairs it stands for. */
  private readonly keyLength: Int32Array;
  private readonly keyPatterns: Int32Array[];
  private readonly keyOffsets: Int32Array[];
  private readonly seen: Uint32Array;
  private generation = 0;
  /** The patterns found by the last scan, in the order found. */
  private hits = new Int32Array(64);
  private hitCount = 0;

  /** From patterns, or from the tables of an automaton built elsewhere (`tables()`). */
  constructor(source: readonly string[] | AhoCorasickTables, window = 6) {
    const t = Array.isArray(source)
      ? buildTables(source as readonly string[], window)
      : (source as AhoCorasickTables);
    this.patterns = t.patterns;
    this.patternCount = t.patterns.length;
    this.stateCount = t.stateCount;
    this.classOf = t.classOf;
    this.width = t.width;
    this.delta = t.delta;
    this.outStart = t.outStart;
    this.outCount = t.outCount;
    this.outList = t.outList;
    this.dictLink = t.dictLink;
    this.keyLength = t.keyLength;
    this.keyPatterns = t.keyPatterns;
    this.keyOffsets = t.keyOffsets;
    this.seen = new Uint32Array(t.patterns.length);
  }

  /** The read-only tables (shared, not copied): what another thread needs to scan the same way. */
  tables(): AhoCorasickTables {
    const { patterns, stateCount, classOf, width, delta, outStart, outCount, outList } = this;
    const { dictLink, keyLength, keyPatterns, keyOffsets } = this;
    return {
      patterns,
      stateCount,
      classOf,
      width,
      delta,
      outStart,
      outCount,
      outList,
      dictLink,
      keyLength,
      keyPatterns,
      keyOffsets,
    };
  }

  /**
   * Scans every text (matches never span two texts), case-insensitively, and returns the generation
   * stamp: afterwards `has(id, stamp)` tells whether pattern `id` occurred.
   */
  scan(texts: readonly string[]): number {
    this.hitCount = 0;
    if (++this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.generation = 1;
    }
    for (let t = 0; t < texts.length; t++) this.scanText(texts[t]!);
    return this.generation;
  }

  /** The hot loop: one table read per character; reporting is out of line. */
  private scanText(text: string): void {
    const { classOf, delta } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = delta[s + classOf[text.charCodeAt(i)]!]!;
      if (s < 0) {
        s = -s;
        this.report(s, text, i);
      }
    }
  }

  /** Marks the patterns whose keys end at `i` (state row `row`), verified against the text. */
  private report(row: number, text: string, i: number): void {
    const {
      outCount,
      outStart,
      outList,
      dictLink,
      seen,
      keyLength,
      keyPatterns,
      keyOffsets,
      patterns,
    } = this;
    const gen = this.generation;
    for (let o = this.delta[row + this.width - 1]!; o > 0; o = dictLink[o]!) {
      const start = outStart[o]!;
      for (let k = 0; k < outCount[o]!; k++) {
        const key = outList[start + k]!;
        const keyStart = i + 1 - keyLength[key]!;
        const ids = keyPatterns[key]!;
        const offsets = keyOffsets[key]!;
        for (let p = 0; p < ids.length; p++) {
          const id = ids[p]!;
          if (seen[id] === gen) continue;
          const pattern = patterns[id]!;
          if (pattern.length === keyLength[key] || foldedAt(text, pattern, keyStart - offsets[p]!))
            this.found(id);
        }
      }
    }
  }

  private found(id: number): void {
    this.seen[id] = this.generation;
    if (this.hitCount === this.hits.length) {
      const grown = new Int32Array(this.hits.length * 2);
      grown.set(this.hits);
      this.hits = grown;
    }
    this.hits[this.hitCount++] = id;
  }

  /** The ids of the patterns the last scan found (a view, valid until the next scan). */
  hitIds(): Int32Array {
    return this.hits.subarray(0, this.hitCount);
  }

  has(id: number, stamp: number): boolean {
    return this.seen[id] === stamp;
  }

  /** Bytes held by the automaton's tables. */
  get byteSize(): number {
    return (
      this.delta.byteLength +
      this.classOf.byteLength +
      this.outList.byteLength +
      4 * 4 * this.stateCount
    );
  }
}

/** Whether lower-case `pattern` occurs at `at` in `text`, folding the text's case unit by unit. */
function foldedAt(text: string, pattern: string, at: number): boolean {
  if (at < 0 || at + pattern.length > text.length) return false;
  for (let i = 0; i < pattern.length; i++)
    if (LOWER[text.charCodeAt(at + i)] !== pattern.charCodeAt(i)) return false;
  return true;
}

/** key → [pattern id, offset of the key in the pattern][]: short patterns are their own key. */
function chooseKeys(patterns: readonly string[], window: number): Map<string, [number, number][]> {
  const df = new Map<string, number>();
  for (const p of patterns) {
    if (p.length <= window) continue;
    const grams = new Set<string>();
    for (let o = 0; o + window <= p.length; o++) grams.add(p.slice(o, o + window));
    for (const g of grams) df.set(g, (df.get(g) ?? 0) + 1);
  }
  const keyed = new Map<string, [number, number][]>();
  patterns.forEach((p, id) => {
    let offset = 0;
    if (p.length > window) {
      let best = Infinity;
      for (let o = 0; o + window <= p.length; o++) {
        const f = df.get(p.slice(o, o + window))!;
        if (f <= best) [best, offset] = [f, o]; // ties: the later slice (file names end paths)
      }
    }
    const key = p.slice(offset, offset + Math.min(window, p.length));
    const list = keyed.get(key);
    if (list) list.push([id, offset]);
    else keyed.set(key, [[id, offset]]);
  });
  return keyed;
}

/** Builds the DFA of the keys of `patterns` (see the module comment). */
function buildTables(patterns: readonly string[], window: number): AhoCorasickTables {
  const keyed = chooseKeys(patterns, window);
  const keys = [...keyed.keys()];
  const keyLength = Int32Array.from(keys, (k) => k.length);
  const keyPatterns = keys.map((k) => Int32Array.from(keyed.get(k)!, ([id]) => id));
  const keyOffsets = keys.map((k) => Int32Array.from(keyed.get(k)!, ([, offset]) => offset));
  const classOf = new Uint16Array(65536);
  let classes = 1;
  for (const p of keys) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (classOf[c] === 0) classOf[c] = classes++;
    }
  }
  // fold case: a unit whose lower case is in the alphabet takes that class
  for (let c = 0; c < 65536; c++) if (classOf[c] === 0) classOf[c] = classOf[LOWER[c]!]!;
  // (1) the trie of the keys, with sparse children while building
  const children: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  keys.forEach((p, id) => {
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const c = classOf[p.charCodeAt(i)]!;
      let next = children[s]!.get(c);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        own.push([]);
        children[s]!.set(c, next);
      }
      s = next;
    }
    own[s]!.push(id);
  });
  const n = children.length;
  // (2) breadth-first: failure links, full DFA transitions, dictionary links
  const fail = new Int32Array(n);
  const dictLink = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  // Rows of `width` = classes + 1 ints: the transitions, as row offsets of the next state (no
  // multiply in the scan loop), then the first state with outputs to report from here.
  const width = classes + 1;
  const delta = new Int32Array(n * width);
  let head = 0;
  let tail = 0;
  for (const [c, next] of children[0]!) {
    delta[c] = next * width;
    queue[tail++] = next;
  }
  while (head < tail) {
    const s = queue[head++]!;
    const f = fail[s]!;
    dictLink[s] = own[f]!.length > 0 ? f : dictLink[f]!;
    const row = s * width;
    const frow = f * width;
    for (let c = 1; c < classes; c++) {
      const next = children[s]!.get(c);
      if (next === undefined) delta[row + c] = delta[frow + c]!;
      else {
        delta[row + c] = next * width;
        fail[next] = delta[frow + c]! / width;
        queue[tail++] = next;
      }
    }
  }
  for (let s = 0; s < n; s++) delta[s * width + classes] = own[s]!.length > 0 ? s : dictLink[s]!;
  // A transition into a state with something to report is stored negated: one read and a sign test
  // per input character. (The root, offset 0, never reports.)
  for (let i = 0; i < delta.length; i++) {
    if (i % width === classes) continue;
    const next = delta[i]! / width;
    if (delta[next * width + classes]! > 0) delta[i] = -delta[i]!;
  }
  const outStart = new Int32Array(n);
  const outCount = new Int32Array(n);
  const flat: number[] = [];
  for (let s = 0; s < n; s++) {
    outStart[s] = flat.length;
    outCount[s] = own[s]!.length;
    for (const k of own[s]!) flat.push(k);
  }
  return {
    patterns,
    stateCount: n,
    classOf,
    width,
    delta,
    outStart,
    outCount,
    outList: Int32Array.from(flat),
    dictLink,
    keyLength,
    keyPatterns,
    keyOffsets,
  };
}
