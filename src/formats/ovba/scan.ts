import type { Anomaly } from '../../core/index.js';
import { decompressOvba } from './decompress.js';

/** Containers recovered from one stream; a module stream holds one, so more is already odd. */
const MAX_CONTAINERS = 16;
/** Candidate positions tried per stream, whatever they turn out to be. */
const MAX_ATTEMPTS = 1024;

/** `Attribut` in ASCII: the first 8 literal tokens of every module's source (`Attribute VB_Name = …`). */
const ATTRIBUT = [0x41, 0x74, 0x74, 0x72, 0x69, 0x62, 0x75, 0x74];

export interface FoundSource {
  /** Offset of the container in the stream. */
  offset: number;
  data: Uint8Array;
  anomalies: Anomaly[];
}

/**
 * Recovers module source without the dir stream, as olevba does: module source starts with
 * `Attribute VB_Name`, so its compressed container starts 0x01, a chunk header with signature 0b011,
 * a flag byte 0x00 and the literals `Attribut`. Each hit is decompressed and kept when the text really
 * starts with `Attribute`. `maxOut` bounds the output of all containers together.
 */
export function findSourceContainers(
  bytes: Uint8Array,
  maxOut: number,
  location: string,
): FoundSource[] {
  const found: FoundSource[] = [];
  let budget = maxOut;
  let from = 3;
  for (let attempts = 0; attempts < MAX_ATTEMPTS && found.length < MAX_CONTAINERS; attempts++) {
    const hit = indexOfAttribut(bytes, from);
    if (hit < 0 || budget <= 0) break;
    const start = hit - 3;
    from = hit + 1;
    const header = bytes[start + 1]! | (bytes[start + 2]! << 8);
    if (bytes[start] !== 0x01 || (header & 0xf000) !== 0xb000) continue;
    // SECURITY: probe with a tiny output cap first; a stream full of fake hits must not cost a full
    // decompression (up to maxOut) each.
    if (!startsWithAttribute(decompressOvba(bytes.subarray(start, start + 64), 16).data)) continue;
    const result = decompressOvba(bytes.subarray(start), budget, location);
    for (const anomaly of result.anomalies) {
      if (anomaly.offset !== undefined) anomaly.offset += start;
    }
    found.push({ offset: start, data: result.data, anomalies: result.anomalies });
    budget -= result.data.length;
    from = Math.max(from, start + result.end);
  }
  return found;
}

function indexOfAttribut(bytes: Uint8Array, from: number): number {
  for (let i = from; i + ATTRIBUT.length < bytes.length; i++) {
    if (bytes[i] !== 0x00) continue;
    let j = 0;
    while (j < ATTRIBUT.length && bytes[i + 1 + j] === ATTRIBUT[j]) j++;
    if (j === ATTRIBUT.length) return i;
  }
  return -1;
}

function startsWithAttribute(data: Uint8Array): boolean {
  const prefix = 'Attribute';
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix.charCodeAt(i)) return false;
  return true;
}
