import type { Anomaly } from '../../core/index.js';
import { DESTINATION_WORDS } from './destinations.js';
import {
  MAX_RTF_REWRITE_DEPTH,
  type RtfCut,
  type RtfRewrite,
  type RtfRewriteOptions,
} from './rewrite-types.js';
import { lexRtf, readControlWord, skipFallback } from './control-word.js';
import { keptRanges, stitch, unionRanges, type Range } from './ranges.js';

interface Group {
  /** Offset of the `{`; -1 for the virtual top level. */
  start: number;
  parent: Group | undefined;
  /** The destination opened at this group's level (the last one: a later one replaces it, as in parse.ts). */
  dest?: string;
  /** Where the destination's content starts (after its control word). */
  destStart: number;
  /** Marker (`\*` or the control word) of each destination dropped from there to the group's end. */
  cuts: number[];
  objectFrom?: number;
  fieldFrom?: number;
  isFieldActive?: boolean;
  /** `\result` / `\fldrslt` child group content, kept when the object or field goes. */
  keep?: Range;
  fldinst?: { offset: number; marker: number; hasNestedField: boolean };
  /** Nearest enclosing `\fldinst` group and `\object` group, inherited when a group opens. */
  inFldinst: Group | undefined;
  inObject: Group | undefined;
}

/**
 * Removes destinations from an RTF document without re-serialising it: kept bytes are copied as they
 * were, so everything the disarmer did not choose to remove reads exactly as before. Groups are
 * tracked with the same lexing rules as `parseRtf` (destination words anywhere in a group, `\*`,
 * `\binN`, `\'hh` taking four bytes, unbalanced braces tolerated), so that what the scanner calls an
 * object or a field is what gets cut:
 * - `\object` groups become their `\result` content (the picture Word shows in place of the object);
 * - fields whose instruction `isActiveField` rejects become their `\fldrslt` content;
 * - every destination in `drop` (`objdata`, `datastore` …) is cut from its marker to its group's end.
 *
 * Cuts inside a removed region are not reported twice. Throws only `LimitError` from `checkDeadline`.
 *
 * @example
 * const { output, cuts } = rewriteRtf(bytes, { drop: new Set(['objdata']), isActiveField: () => true });
 */
export function rewriteRtf(bytes: Uint8Array, options: RtfRewriteOptions): RtfRewrite {
  return new Rewriter(bytes, options).run();
}

class Rewriter {
  private readonly ranges: Range[] = [];
  private readonly cuts: RtfCut[] = [];
  private readonly anomalies: Anomaly[] = [];
  private top: Group;
  private depth = 0;
  private isIgnorable = false;
  /** Offset of a `\*` just before the current token, or -1. */
  private star = -1;
  private readonly maxDepth: number;

  constructor(
    private readonly b: Uint8Array,
    private readonly options: RtfRewriteOptions,
  ) {
    this.maxDepth = options.maxGroupDepth ?? MAX_RTF_REWRITE_DEPTH;
    this.top = {
      start: -1,
      parent: undefined,
      destStart: 0,
      cuts: [],
      inFldinst: undefined,
      inObject: undefined,
    };
  }

  run(): RtfRewrite {
    const b = this.b;
    const n = b.length;
    const isComplete = lexRtf(
      b,
      {
        openGroup: (at) => {
          if (this.depth >= this.maxDepth) {
            this.anomalies.push({
              code: 'E_LIMIT_RTF_GROUP_DEPTH',
              message: `groups nested deeper than ${this.maxDepth}`,
              offset: at,
            });
            return false;
          }
          this.open(at);
          return true;
        },
        closeGroup: (at) => {
          this.isIgnorable = false;
          if (this.depth > 0) this.close(at);
        },
        controlWord: (at) => this.controlWord(at),
        controlSymbol: (at) => this.controlSymbol(at),
        text: () => {
          this.isIgnorable = false;
          this.star = -1;
        },
      },
      this.options.checkDeadline,
    );
    if (!isComplete) return { output: b, cuts: [], anomalies: this.anomalies, isComplete: false };
    while (this.depth > 0) this.close(n);
    this.closeLevel(this.top, n);
    const kept = keptRanges(unionRanges(this.ranges), n);
    return {
      output: stitch(b, kept),
      cuts: this.cuts,
      anomalies: this.anomalies,
      isComplete: true,
    };
  }

  private open(at: number): void {
    const parent = this.top;
    this.depth++;
    this.top = {
      start: at,
      parent,
      destStart: at + 1,
      cuts: [],
      inFldinst: parent.dest === 'fldinst' ? parent : parent.inFldinst,
      inObject: parent.objectFrom !== undefined ? parent : parent.inObject,
    };
  }

  private close(at: number): void {
    const g = this.top;
    this.closeLevel(g, at);
    const parent = g.parent!;
    if ((g.dest === 'result' || g.dest === 'fldrslt') && parent.keep === undefined) {
      parent.keep = { from: g.destStart, to: at };
    }
    if (g.fldinst && g.fieldFrom === undefined) this.closeFldinst(g, parent, at);
    this.top = parent;
    this.depth--;
  }

  /** What goes when a group (or the top level, at the end) closes at `end`. */
  private closeLevel(g: Group, end: number): void {
    for (const from of g.cuts) this.ranges.push({ from, to: end });
    if (g.fldinst && g.fieldFrom !== undefined && this.isActive(g.fldinst, g)) {
      g.isFieldActive = true;
    }
    const from = g.objectFrom ?? (g.isFieldActive ? g.fieldFrom : undefined);
    if (from === undefined) return;
    // The result is kept only when it follows the marker inside this group.
    if (g.keep && g.keep.from > from) {
      this.ranges.push({ from, to: g.keep.from }, { from: g.keep.to, to: end });
    } else this.ranges.push({ from, to: end });
  }

  /** A `\fldinst` group closed: its field (the parent group) goes when the instruction is active. */
  private closeFldinst(g: Group, parent: Group, at: number): void {
    const fldinst = g.fldinst!;
    if (!this.isActive(fldinst, g)) return;
    if (parent.fieldFrom !== undefined) parent.isFieldActive = true;
    else this.ranges.push({ from: fldinst.marker, to: at });
  }

  private isActive(fldinst: NonNullable<Group['fldinst']>, g: Group): boolean {
    const instruction = this.options.instructions?.get(fldinst.offset) ?? '';
    if (!this.options.isActiveField(instruction, fldinst.hasNestedField)) return false;
    if (!this.cuts.some((c) => c.offset === fldinst.offset)) {
      this.cuts.push({
        word: 'field',
        offset: fldinst.offset,
        instruction,
        hasNestedField: fldinst.hasNestedField,
      });
    }
    return true;
  }

  private controlWord(i: number): number {
    const b = this.b;
    const { word, param, end: k } = readControlWord(b, i);
    const marker = this.star === i - 2 ? this.star : i;
    this.star = -1;
    if (word === 'bin') return Math.min(b.length, k + Math.max(0, param ?? 0));
    if (word === 'u' && param !== undefined) {
      this.isIgnorable = false;
      return skipFallback(b, k);
    }
    const isIgnorable = this.isIgnorable;
    this.isIgnorable = false;
    if (DESTINATION_WORDS.has(word) || isIgnorable) this.destination(word, i, marker, k);
    return k;
  }

  private destination(word: string, offset: number, marker: number, start: number): void {
    const g = this.top;
    g.dest = word;
    g.destStart = start;
    if (this.options.drop.has(word)) {
      g.cuts.push(marker);
      if (!g.inObject && g.objectFrom === undefined) this.cuts.push({ word, offset });
    } else if (word === 'object') {
      g.objectFrom ??= marker;
      this.cuts.push({ word, offset });
    } else if (word === 'field') {
      g.fieldFrom ??= marker;
      const fldinst = g.inFldinst?.fldinst;
      if (fldinst) fldinst.hasNestedField = true;
    } else if (word === 'fldinst') {
      g.fldinst = { offset, marker, hasNestedField: false };
    }
  }

  private controlSymbol(i: number): number {
    const symbol = this.b[i + 1];
    if (symbol === undefined) return i + 1;
    if (symbol === 0x2a) {
      this.isIgnorable = true;
      this.star = i;
      return i + 2;
    }
    this.isIgnorable = false;
    this.star = -1;
    if (symbol === 0x27) return Math.min(this.b.length, i + 4);
    return i + 2;
  }
}
