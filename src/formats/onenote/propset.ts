import { u16, u32, utf16le } from './bin.js';
import type { Ref } from './nodes.js';

/** PropertyIDs of MS-ONE 2.1.12 that emoguard reads. */
export const PROP = {
  EmbeddedFileContainer: 0x20001d9b,
  EmbeddedFileName: 0x1c001d9c,
  SourceFilepath: 0x1c001d57,
  RichEditTextUnicode: 0x1c001c22,
  TextExtendedAscii: 0x1c003498,
} as const;

/** What one ObjectSpaceObjectPropSet says about an embedded file or a text run. */
export interface PropSetFacts {
  /** CompactID the EmbeddedFileContainer ObjectID property resolves to (its place in the OIDs stream). */
  containerOid?: number;
  embeddedFileName?: string;
  sourcePath?: string;
  texts: string[];
}

const MAX_DEPTH = 8;
const MAX_PROPERTIES = 4096;

interface Reader {
  b: Uint8Array;
  p: number;
  end: number;
  oids: number[];
  oidIndex: number;
  facts: PropSetFacts;
}

/**
 * ObjectSpaceObjectPropSet (MS-ONESTORE 2.6.1): the OIDs stream (and the optional OSIDs and ContextIDs
 * streams), then a PropertySet (2.6.7) whose ObjectID-typed properties take their values from the OIDs
 * stream in order. Nested property sets are followed to a small depth; any inconsistency stops the read.
 */
export function readPropSet(bytes: Uint8Array, ref: Ref): PropSetFacts {
  const facts: PropSetFacts = { texts: [] };
  const end = Math.min(bytes.length, ref.stp + ref.cb);
  const oids: number[] = [];
  let p = ref.stp;
  const oidHeader = u32(bytes, p);
  if (oidHeader === undefined) return facts;
  p = readStream(bytes, p, end, oidHeader, oids);
  if (p < 0) return facts;
  if (!(oidHeader & 0x80000000)) {
    // OSIDs stream present; it says whether a ContextIDs stream follows.
    const osidHeader = u32(bytes, p);
    if (osidHeader === undefined) return facts;
    p = readStream(bytes, p, end, osidHeader, []);
    if (p >= 0 && osidHeader & 0x40000000) p = readStream(bytes, p, end, u32(bytes, p) ?? 0, []);
    if (p < 0) return facts;
  }
  const r: Reader = { b: bytes, p, end, oids, oidIndex: 0, facts };
  readPropertySet(r, 0);
  return facts;
}

function readStream(
  b: Uint8Array,
  at: number,
  end: number,
  header: number,
  into: number[],
): number {
  const count = header & 0xffffff;
  const next = at + 4 + count * 4;
  if (next > end) return -1;
  for (let i = 0; i < count; i++) into.push(u32(b, at + 4 + i * 4)!);
  return next;
}

function readPropertySet(r: Reader, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const count = u16(r.b, r.p);
  if (count === undefined || count > MAX_PROPERTIES || r.p + 2 + count * 4 > r.end) return false;
  const prids: number[] = [];
  for (let i = 0; i < count; i++) prids.push(u32(r.b, r.p + 2 + i * 4)!);
  r.p += 2 + count * 4;
  for (const prid of prids) if (!readValue(r, prid, depth)) return false;
  return true;
}

function readValue(r: Reader, prid: number, depth: number): boolean {
  const type = (prid >>> 26) & 0x1f;
  const fixed = [0, 0, 0, 1, 2, 4, 8][type];
  if (fixed !== undefined) {
    r.p += fixed;
    return r.p <= r.end;
  }
  switch (type) {
    case 0x7: {
      const cb = u32(r.b, r.p);
      if (cb === undefined || r.p + 4 + cb > r.end) return false;
      record(r, prid, r.b.subarray(r.p + 4, r.p + 4 + cb));
      r.p += 4 + cb;
      return true;
    }
    case 0x8: {
      if (prid === PROP.EmbeddedFileContainer && r.oidIndex < r.oids.length)
        r.facts.containerOid = r.oids[r.oidIndex];
      r.oidIndex++;
      return true;
    }
    case 0x9:
    case 0xb:
    case 0xd: {
      const n = u32(r.b, r.p);
      if (n === undefined) return false;
      if (type === 0x9) r.oidIndex += n;
      r.p += 4;
      return true;
    }
    case 0xa:
    case 0xc:
      return true;
    case 0x10: {
      const n = u32(r.b, r.p);
      if (n === undefined) return false;
      r.p += 4;
      if (n === 0) return true;
      if (n > MAX_PROPERTIES) return false;
      r.p += 4; // prid of the element sets
      for (let i = 0; i < n; i++) if (!readPropertySet(r, depth + 1)) return false;
      return true;
    }
    case 0x11:
      return readPropertySet(r, depth + 1);
    default:
      return false;
  }
}

const MAX_TEXTS = 200;

function record(r: Reader, prid: number, data: Uint8Array): void {
  const text = () => utf16le(data).replace(/\0+$/, '');
  if (prid === PROP.EmbeddedFileName) r.facts.embeddedFileName = text();
  else if (prid === PROP.SourceFilepath) r.facts.sourcePath = text();
  else if (prid === PROP.RichEditTextUnicode && r.facts.texts.length < MAX_TEXTS)
    r.facts.texts.push(text());
  else if (prid === PROP.TextExtendedAscii && r.facts.texts.length < MAX_TEXTS) {
    r.facts.texts.push(new TextDecoder('windows-1252').decode(data).replace(/\0+$/, ''));
  }
}
