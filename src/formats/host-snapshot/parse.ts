import { AnomalySink, FieldReader } from './fields.js';
import { DEFAULT_SNAPSHOT_LIMITS, type SnapshotLimits, type SnapshotParse } from './types.js';
import { RowCollector, type RowKind } from './velociraptor.js';

export interface ParseSnapshotOptions {
  limits?: Partial<SnapshotLimits>;
  /** Called every few thousand rows; throws to stop a parse that ran out of time. */
  checkDeadline?: () => void;
}

/** Rows read from one input at most (JSON Lines of a fleet-wide hunt). */
export const MAX_ROWS = 2_000_000;
const DEADLINE_EVERY = 2048;

export function resolveSnapshotLimits(overrides: Partial<SnapshotLimits> = {}): SnapshotLimits {
  return { ...DEFAULT_SNAPSHOT_LIMITS, ...overrides };
}

/**
 * Parses a host snapshot document: one JSON object as the collector writes it, a JSON array of them, or
 * JSON Lines (one snapshot per line, or Velociraptor result rows). UTF-8, or UTF-16 with a BOM as
 * PowerShell 5.1's `Out-File` writes. Never throws on malformed input: what cannot be read is an anomaly.
 *
 * @example
 * const { snapshots, anomalies } = parseHostSnapshot(bytes);
 */
export function parseHostSnapshot(
  bytes: Uint8Array,
  options: ParseSnapshotOptions = {},
): SnapshotParse {
  const limits = resolveSnapshotLimits(options.limits);
  const sink = new AnomalySink(limits.maxAnomalies);
  const collector = new RowCollector(new FieldReader(sink, limits));
  readJsonRows(bytes, collector, sink, limits, options.checkDeadline);
  return { snapshots: collector.finish(), anomalies: sink.finish() };
}

/**
 * Feeds every JSON row of `bytes` to `collector`: the whole text as one document when it parses as one,
 * else line by line. Lines are cut from the bytes, so a 1 GiB JSONL export never becomes one string.
 */
export function readJsonRows(
  bytes: Uint8Array,
  collector: RowCollector,
  sink: AnomalySink,
  limits: Readonly<SnapshotLimits>,
  checkDeadline?: () => void,
  kind?: RowKind,
  where = 'input',
): void {
  const utf16 = utf16Encoding(bytes);
  if (utf16) {
    if (bytes.length > limits.maxSnapshotBytes * 2) {
      sink.add(
        'E_LIMIT_SNAPSHOT_SIZE',
        `UTF-16 input of ${bytes.length} bytes is past maxSnapshotBytes`,
        where,
      );
      return;
    }
    const text = new TextDecoder(utf16).decode(bytes.subarray(2));
    readText(text, collector, sink, limits, checkDeadline, kind, where);
    return;
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  if (body.length <= limits.maxSnapshotBytes) {
    const whole = tryParse(DECODER.decode(body));
    if (whole.ok) {
      addDocument(whole.value, collector, sink, kind, where);
      return;
    }
  }
  let line = 0;
  for (let at = 0; at < body.length && line < MAX_ROWS; line++) {
    let end = body.indexOf(0x0a, at);
    if (end < 0) end = body.length;
    const length = end - at;
    if (length > limits.maxSnapshotBytes) {
      sink.add(
        'E_LIMIT_SNAPSHOT_SIZE',
        `line of ${length} bytes is past maxSnapshotBytes`,
        `${where} line ${line + 1}`,
      );
    } else if (length > 0) {
      addLine(
        DECODER.decode(body.subarray(at, end)),
        collector,
        sink,
        kind,
        `${where} line ${line + 1}`,
      );
    }
    at = end + 1;
    if (checkDeadline && line % DEADLINE_EVERY === DEADLINE_EVERY - 1) checkDeadline();
  }
  if (line >= MAX_ROWS)
    sink.add('E_LIMIT_SNAPSHOT_ROWS', `only the first ${MAX_ROWS} lines were read`, where);
}

const DECODER = new TextDecoder('utf-8');

function readText(
  text: string,
  collector: RowCollector,
  sink: AnomalySink,
  limits: Readonly<SnapshotLimits>,
  checkDeadline: (() => void) | undefined,
  kind: RowKind | undefined,
  where: string,
): void {
  const whole = tryParse(text);
  if (whole.ok) {
    addDocument(whole.value, collector, sink, kind, where);
    return;
  }
  const lines = text.split('\n', MAX_ROWS);
  lines.forEach((line, i) => {
    if (line.trim() !== '') addLine(line, collector, sink, kind, `${where} line ${i + 1}`);
    if (checkDeadline && i % DEADLINE_EVERY === DEADLINE_EVERY - 1) checkDeadline();
  });
}

function addLine(
  line: string,
  collector: RowCollector,
  sink: AnomalySink,
  kind: RowKind | undefined,
  where: string,
): void {
  if (line.trim() === '') return;
  const parsed = tryParse(line);
  if (parsed.ok) collector.add(parsed.value, where, kind);
  else sink.add('E_SNAPSHOT_JSON', parsed.message, where);
}

function addDocument(
  value: unknown,
  collector: RowCollector,
  sink: AnomalySink,
  kind: RowKind | undefined,
  where: string,
): void {
  if (!Array.isArray(value)) {
    collector.add(value, where, kind);
    return;
  }
  const max = Math.min(value.length, MAX_ROWS);
  for (let i = 0; i < max; i++) collector.add(value[i], `${where}[${i}]`, kind);
  if (value.length > max)
    sink.add('E_LIMIT_SNAPSHOT_ROWS', `only the first ${MAX_ROWS} rows were read`, where);
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // V8's message quotes a little of the input; keep it short.
    return { ok: false, message: `not JSON: ${(error as Error).message.slice(0, 160)}` };
  }
}

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}
