import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  emptyExtracted,
  findingForError,
  findingsForAnomalies,
  FormatError,
  LimitError,
  mergeExtracted,
  type Evidence,
  type Extracted,
  type Finding,
  type Limits,
} from '../../core/index.js';
import {
  CONFIG_CHUNK_OVERLAP,
  scanConfigChunk,
  type EmotetConfigOptions,
} from '../../engines/emotet-config/index.js';
import { rwxPeRegion } from '../../engines/memory/index.js';
import {
  RuleHits,
  variablesFor,
  type RangeAddress,
  type YaraScanner,
  type YaraVariables,
} from '../../engines/yara/index.js';
import {
  formatAddress,
  isWritableExecutable,
  MEM_PRIVATE,
  memoryTypeName,
  parseCapeProcessDump,
  parseMinidump,
  PE_PROBE_BYTES,
  peHeaderOffset,
  protectionName,
  type ByteSource,
  type MemoryRegion,
} from '../../formats/minidump/index.js';
import { boundFindings } from '../../pipeline/index.js';
import { LargeEmotetConfig } from './large-file-findings.js';

export type LargeFileType = 'minidump' | 'memory-image' | 'cape-memory';

/**
 * 32 MiB per scan call: a few hundred milliseconds between deadline checks; two such buffers are held.
 * 64 MiB was no faster (bench/memory-image.bench.ts) and held 64 MiB more.
 */
export const LARGE_CHUNK_SIZE = 32 * 1024 * 1024;
const MAX_STRINGS_PER_RULE = 64;

export interface LargeScanOptions {
  type: LargeFileType;
  path: string;
  limits: Readonly<Limits>;
  /** Epoch ms after which no further chunk is scanned (partial result + scan.limit-exceeded). */
  deadline: number;
  chunkSize?: number;
  /**
   * Bytes shared by consecutive chunks; default `limits.maxMatchBytes` (1 MiB). When the C2 scan runs,
   * at least CONFIG_CHUNK_OVERLAP, and a multiple of 8 (XOR blobs are looked for at 4-aligned offsets).
   */
  overlap?: number;
  scanner?: YaraScanner;
  /**
   * Options of the Emotet configuration scan run on every chunk (`scanConfigChunk`; default `{}`, tests
   * accept TEST-NET addresses); false: none.
   */
  emotet?: EmotetConfigOptions | false;
  onProgress?: (done: number, total: number) => void;
  /**
   * Which detections run: `yara` (rules only), `config` (Emotet C2 tables, injected PE headers and the
   * dump's own anomalies), or `all` (default). The scan runner runs `yara` and `config` in two threads
   * over the same file, so that on two cores the C2-table scan does not slow YARA down.
   */
  detectors?: 'all' | 'yara' | 'config';
}

export interface LargeScanOutput {
  size: number;
  findings: Finding[];
  extracted: Extracted;
  /** Bytes of ranges scanned (memory regions or the whole raw image). */
  scanned: number;
}

/** One range's share of a read: where it sits in the read buffer and which occurrences it owns. */
interface Part {
  place: PlannedRange;
  /** Offset of this part in its range. */
  base: number;
  length: number;
  /** Occurrences starting before this (part-relative) belong to this part; the rest to the next. */
  owned: number;
  /** Offset of this part in the read buffer. */
  at: number;
}

/** One read: a chunk of a large range, or many small ranges next to each other in the file. */
interface Job {
  fileOffset: number;
  length: number;
  parts: Part[];
}

interface PlannedRange extends RangeAddress {
  region?: MemoryRegion;
}

/**
 * Scans a file of any size in chunks: a raw memory image whole (file offsets), a minidump or a CAPE
 * process dump region by region (virtual addresses). Two chunk buffers are held at a time (the next is
 * read while the current is scanned), so memory stays at about 2 × chunkSize whatever the file size.
 */
export async function scanLargeFile(options: LargeScanOptions): Promise<LargeScanOutput> {
  const hasConfig = options.detectors !== 'yara' && options.emotet !== false;
  const requested = Math.max(1, options.overlap ?? options.limits.maxMatchBytes);
  const overlap = hasConfig ? roundUp8(Math.max(requested, CONFIG_CHUNK_OVERLAP)) : requested;
  // A chunk at least twice the overlap: each scan call moves on by at least half its bytes.
  const wanted = Math.max(2 * overlap, options.chunkSize ?? LARGE_CHUNK_SIZE);
  const chunkSize = hasConfig ? wanted - (wanted % 8) : wanted;
  const handle = await open(options.path, 'r');
  const size = (await handle.stat()).size;
  const findings: Finding[] = [];
  const extracted = emptyExtracted();
  const state = new ChunkState(options);
  let scanned = 0;
  try {
    let places: PlannedRange[] = [];
    try {
      const notes: Finding[] = [];
      places = planRanges(options.type, fileSource(handle.fd, size), size, notes);
      if (options.detectors !== 'yara') findings.push(...notes);
    } catch (error) {
      findings.push(findingForError(error, options.path));
    }
    const total = places.reduce((n, p) => n + p.size, 0);
    const jobs = chunkJobs(places, chunkSize, overlap);
    // A read covers one chunk of a range or a batch of small ranges: never more than the file.
    const largest = Math.min(chunkSize, size);
    const buffers = [new Uint8Array(largest), new Uint8Array(largest)];
    const start = (job: Job, buffer: Uint8Array) =>
      handle
        .read(buffer, 0, job.length, job.fileOffset)
        .then((r) => ({ job, bytes: buffer.subarray(0, r.bytesRead) }));
    let turn = 0;
    const first = jobs.next();
    let reading = first.done ? undefined : start(first.value, buffers[0]!);
    try {
      while (reading) {
        const { job, bytes } = await reading;
        if (bytes.length < job.length) throw shrunk(options.path, size, job, bytes.length);
        const next = jobs.next();
        turn ^= 1;
        reading = next.done ? undefined : start(next.value, buffers[turn]!);
        if (Date.now() > options.deadline)
          throw timeLimit(options, `after ${scanned} of ${total} bytes`);
        await state.scan(job, bytes);
        for (const part of job.parts) scanned += part.owned;
        options.onProgress?.(scanned, total);
      }
    } catch (error) {
      await reading?.catch(() => undefined);
      findings.push(findingForError(error, options.path));
    }
    const epochKeys = options.emotet ? options.emotet.epochKeys : undefined;
    const emotet = state.emotet.toOutput(placeFinder(places), epochKeys);
    if (emotet) {
      findings.push(emotet.finding);
      mergeExtracted(extracted, emotet.extracted);
    }
    findings.push(...state.results());
  } finally {
    await handle.close();
  }
  // SECURITY: as the pipeline does for every artifact: bounded findings and evidence.
  return { size, findings: boundFindings(findings, options.limits), extracted, scanned };
}

/** What to scan: the whole raw image, or each memory region of a dump with its address. */
function planRanges(
  type: LargeFileType,
  source: ByteSource,
  size: number,
  findings: Finding[],
): PlannedRange[] {
  if (type === 'memory-image') return size > 0 ? [{ fileOffset: 0, size }] : [];
  const parsed = type === 'minidump' ? parseMinidump(source) : parseCapeProcessDump(source);
  findings.push(...findingsForAnomalies(parsed.anomalies, type));
  const places: PlannedRange[] = parsed.regions
    .filter((r) => r.size > 0)
    .map((region) => ({
      fileOffset: region.fileOffset,
      size: region.size,
      va: region.va,
      region,
      ...(region.info
        ? {
            protection: `${protectionName(region.info.protect)} ${memoryTypeName(region.info.type)}`,
          }
        : {}),
    }));
  // Bytes after a CAPE dump's last good record are still scanned, by file offset.
  if ('end' in parsed && parsed.end < size)
    places.push({ fileOffset: parsed.end, size: size - parsed.end });
  return places.sort((a, b) => a.fileOffset - b.fileOffset);
}

/** Small ranges closer than this in the file are read together (one read, one C2-engine call). */
const MAX_BATCH_GAP = 64 * 1024;

/**
 * The reads: a range larger than one chunk step is cut into overlapping chunks; smaller ranges that
 * follow each other in the file (a full dump holds tens of thousands of pages-long regions) are batched
 * into reads of up to `chunkSize`, each still scanned by YARA alone so that no match spans two regions.
 */
function* chunkJobs(places: PlannedRange[], chunkSize: number, overlap: number): Generator<Job> {
  const step = chunkSize - overlap;
  let batch: Job | undefined;
  for (const place of places) {
    if (place.size <= step) {
      const end = place.fileOffset + place.size;
      const batchEnd = batch ? batch.fileOffset + batch.length : 0;
      if (
        batch &&
        (place.fileOffset < batchEnd ||
          place.fileOffset - batchEnd > MAX_BATCH_GAP ||
          end - batch.fileOffset > chunkSize)
      ) {
        yield batch;
        batch = undefined;
      }
      batch ??= { fileOffset: place.fileOffset, length: 0, parts: [] };
      const at = place.fileOffset - batch.fileOffset;
      batch.parts.push({ place, base: 0, length: place.size, owned: place.size, at });
      batch.length = end - batch.fileOffset;
      continue;
    }
    if (batch) yield batch;
    batch = undefined;
    for (let base = 0; base < place.size; base += step) {
      const length = Math.min(chunkSize, place.size - base);
      const isLast = base + length >= place.size;
      const part = { place, base, length, owned: isLast ? length : step, at: 0 };
      yield { fileOffset: place.fileOffset + base, length, parts: [part] };
      if (isLast) break;
    }
  }
  if (batch) yield batch;
}

/** Per-chunk detection state: YARA rules, C2 tables and keys, injected PE headers. */
class ChunkState {
  readonly emotet = new LargeEmotetConfig();
  private readonly rules = new Map<string, RuleHits>();
  private readonly injected: Evidence[] = [];
  private readonly variables: YaraVariables;

  private readonly options: LargeScanOptions & { emotet: EmotetConfigOptions | false };

  constructor(options: LargeScanOptions) {
    this.options = { ...options, emotet: options.emotet ?? {} };
    const name = options.path.split(/[\\/]/).pop() ?? options.path;
    this.variables = variablesFor({ name, path: options.path, type: options.type });
  }

  async scan(job: Job, bytes: Uint8Array): Promise<void> {
    const detectors = this.options.detectors ?? 'all';
    for (const part of job.parts) {
      const own = bytes.subarray(part.at, part.at + part.length);
      const at = part.place.fileOffset + part.base;
      if (this.options.scanner && detectors !== 'config') this.yara(part, own, at);
      if (detectors !== 'yara' && part.base === 0 && part.place.region)
        this.probePe(part.place, own);
    }
    if (detectors !== 'yara') this.c2(job, bytes);
  }

  results(): Finding[] {
    const out: Finding[] = [];
    if (this.injected.length > 0) out.push(rwxPeRegion(this.injected.slice(0, 32)));
    // Memory (a dump, a raw image) is the infected host: step 6 unless the rule says otherwise.
    for (const rule of this.rules.values()) out.push(rule.toFinding('minidump'));
    return out;
  }

  private yara(job: Part, bytes: Uint8Array, at: number): void {
    for (const match of this.options.scanner!.scan(bytes, this.variables)) {
      const owned = match.strings.filter((s) => s.offset < job.owned);
      if (match.strings.length > 0 && owned.length === 0) continue;
      const key = `${match.namespace}\0${match.rule}`;
      let hits = this.rules.get(key);
      if (!hits) {
        hits = new RuleHits(match, MAX_STRINGS_PER_RULE);
        this.rules.set(key, hits);
      }
      hits.inRange(job.place, owned.length);
      for (const s of owned) {
        const data = bytes.subarray(s.offset, s.offset + s.length);
        hits.show(s.identifier, s.length, data, at + s.offset, job.place);
      }
    }
  }

  /**
   * The Emotet configuration scan, range by range: a chunk of a large range tells the engine where
   * the next chunk starts (what the overlap holds is reported once), a small range of a batch is
   * scanned alone (no table is made of two memory regions).
   */
  private c2(job: Job, bytes: Uint8Array): void {
    const emotet = this.options.emotet;
    if (!emotet) return;
    const checkDeadline = () => {
      if (Date.now() > this.options.deadline)
        throw timeLimit(this.options, `at byte ${job.fileOffset}`);
    };
    for (const part of job.parts) {
      const own = bytes.subarray(part.at, part.at + part.length);
      const chunk = {
        base: part.place.fileOffset + part.base,
        hasPrevious: part.base > 0,
        ...(part.owned < part.length ? { next: part.owned } : {}),
      };
      this.emotet.add(scanConfigChunk(own, chunk, { ...emotet, checkDeadline }));
    }
  }

  private probePe(place: PlannedRange, bytes: Uint8Array): void {
    const info = place.region?.info;
    if (!info || info.type !== MEM_PRIVATE || !isWritableExecutable(info.protect)) return;
    const found = peHeaderOffset(bytes.subarray(0, PE_PROBE_BYTES));
    if (found === undefined) return;
    const va = place.va!;
    this.injected.push({
      location: `region ${formatAddress(va)}+0x${place.size.toString(16)}`,
      text: `MZ/PE header at ${formatAddress(va + BigInt(found))}`,
      offset: place.fileOffset + found,
      note: `${protectionName(info.protect)} ${memoryTypeName(info.type)}, allocation base ${formatAddress(info.allocationBase)}`,
    });
  }
}

function roundUp8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** File offset → the planned range holding it (ranges sorted by file offset, as planRanges returns). */
function placeFinder(
  places: readonly PlannedRange[],
): (fileOffset: number) => RangeAddress | undefined {
  return (offset) => {
    let lo = 0;
    let hi = places.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const place = places[mid]!;
      if (offset < place.fileOffset) hi = mid - 1;
      else if (offset >= place.fileOffset + place.size) lo = mid + 1;
      else return place;
    }
    return undefined;
  };
}

/** A synchronous ByteSource over the file for the dump parsers (tables only, never the regions). */
function fileSource(fd: number, size: number): ByteSource {
  return {
    length: size,
    read(offset, length) {
      const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < bytes.length) {
        const n = readSync(fd, bytes, done, bytes.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      return bytes.subarray(0, done);
    },
  };
}

function shrunk(path: string, size: number, job: Job, got: number): FormatError {
  const at = job.fileOffset + got;
  return new FormatError(
    'E_INPUT_SHRUNK',
    `${path} changed while it was read: ${size} bytes at the start, end of data at ${at}`,
    { offset: at },
  );
}

function timeLimit(options: LargeScanOptions, where: string): LimitError {
  return new LimitError(
    'E_LIMIT_TIME',
    `${options.path}: time limit reached ${where}; the rest was not scanned`,
    { limit: 'maxTimePerInputMs', max: options.limits.maxTimePerInputMs },
  );
}
