import type { ErrorCode, LogEvent } from '../../core/index.js';
import { WinlogAnomalyLog } from './anomalies.js';
import { convertMapped, isObject } from './convert.js';
import { JsonObjectSplitter, type SplitPiece } from './split.js';
import type { WinlogItem, WinlogJsonOptions, WinlogSource } from './types.js';
import { eventXmlToJson } from './xml.js';

type Obj = Record<string, unknown>;

/** Characters of one JSON object or text line: Windows events are a few KiB, a 4104 script block ≤ 32 KiB × parts. */
export const MAX_WINLOG_VALUE_LENGTH = 1024 * 1024;
/** Nesting of one event: the evtx-rs layout is 4–8 deep; deeper JSON would blow recursive consumers. */
export const MAX_WINLOG_DEPTH = 32;

const XML_FIELDS = ['message', 'MESSAGE', 'msg', 'log', 'event.original'];

function isTooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node as Obj)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

function pick(value: unknown, ...keys: string[]): unknown {
  let node = value;
  for (const key of keys) node = isObject(node) ? node[key] : undefined;
  return node;
}

/** Complete lines of the head that decide whether a file starting with `{` is JSON Lines. */
const LAYOUT_LINES = 8;

/**
 * How a log is laid out, from its first text: `lines` (one event per line: JSON Lines, syslog with
 * event XML; each line stands alone, so a file can be split at any newline) or `json` (JSON that may
 * span lines: an array, pretty-printed or concatenated objects, `evtx_dump` output). A file whose
 * first lines each start with `{` and hold a whole JSON object is JSON Lines. Undefined: more text is
 * needed (`isEnd` says there is none).
 *
 * @example
 * detectWinlogLayout('{"Event":{}}\n{"Event":{}}\n', false) // 'lines'
 */
export function detectWinlogLayout(
  head: string,
  isEnd: boolean,
  maxLength = MAX_WINLOG_VALUE_LENGTH,
): 'json' | 'lines' | undefined {
  const trimmed = head.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.length === 0 || (trimmed.length < 16 && /^[[R]/.test(trimmed)))
    return isEnd ? 'lines' : undefined;
  // "[2024-05-01 …] sysmon: <Event>…" is a text log, not a JSON array.
  if (!/^(?:\{|\[\s*[{\]]|Record \d)/.test(trimmed)) return 'lines';
  if (!trimmed.startsWith('{')) return 'json';
  const lines = trimmed.split('\n', LAYOUT_LINES + 1);
  if (!isEnd) lines.pop(); // the last piece may be cut
  if (lines.length === 0) return isEnd || trimmed.length > maxLength ? 'json' : undefined;
  const full = lines.slice(0, LAYOUT_LINES).filter((l) => l.trim() !== '');
  const isLines =
    full.every((l) => l.trimStart().startsWith('{')) && full.some((l) => isJsonObjectText(l));
  return isLines ? 'lines' : 'json';
}

function isJsonObjectText(text: string): boolean {
  try {
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Which source wrote this object, by its shape. */
export function detectWinlogSource(object: Obj): WinlogSource | undefined {
  if (isObject(object['Event'])) return 'evtx-json';
  if (isObject(object['winlog']) || 'winlog.event_id' in object || 'winlog.channel' in object)
    return 'ecs';
  if (
    'EventID' in object &&
    ('SourceModuleType' in object || 'EventTime' in object || 'Channel' in object)
  )
    return 'nxlog';
  if (
    XML_FIELDS.some(
      (k) => typeof object[k] === 'string' && (object[k] as string).includes('<Event'),
    )
  )
    return 'sysmon-linux';
  return undefined;
}

/**
 * Reads Windows events from JSON or text pushed in pieces, so that a large file is read with bounded
 * memory: JSON Lines / arrays / concatenated objects in the evtx-rs layout, ECS (Winlogbeat), NXLog flat
 * JSON, and Windows event XML (Sysmon for Linux in syslog lines or inside a JSON field). Every event
 * comes out as a `LogEvent` in the evtx-rs layout. Never throws for malformed input.
 *
 * @example
 * const reader = new WinlogReader({ path, mappings });
 * for await (const text of stream) for (const item of reader.push(text)) …
 * for (const item of reader.finish()) …
 */
export class WinlogReader {
  private mode: 'json' | 'lines' | undefined;
  private head = '';
  private readonly splitter: JsonObjectSplitter;
  private partialLine = '';
  private isSkippingLine = false;
  private lineNumber = 0;
  private readonly log: WinlogAnomalyLog;
  /** Fragment mode: lines that were not Windows events, for the caller's WinlogAnomalyLog. */
  private unknown = 0;
  private firstUnknown = 0;
  private readonly missingMapping = new Set<string>();
  private readonly maxLength: number;
  private readonly maxDepth: number;

  constructor(private readonly options: WinlogJsonOptions) {
    this.maxLength = options.maxValueLength ?? MAX_WINLOG_VALUE_LENGTH;
    this.maxDepth = options.maxDepth ?? MAX_WINLOG_DEPTH;
    this.splitter = new JsonObjectSplitter(this.maxLength);
    this.log = new WinlogAnomalyLog(options.path);
    if (options.fragment) this.mode = 'lines';
  }

  push(text: string): WinlogItem[] {
    const out: WinlogItem[] = [];
    if (this.mode === undefined) {
      this.head += text;
      this.mode = detectWinlogLayout(this.head, false, this.maxLength);
      if (this.mode === undefined) return out;
      text = this.head.replace(/^\uFEFF/, '');
      this.head = '';
    } else if (this.options.fragment && this.lineNumber === 0 && this.partialLine === '') {
      text = text.replace(/^\uFEFF/, '');
    }
    if (this.mode === 'json') this.pushJson(text, out);
    else this.pushLines(text, out);
    return out;
  }

  finish(): WinlogItem[] {
    const out: WinlogItem[] = [];
    if (this.mode === undefined && this.head !== '') {
      this.mode = detectWinlogLayout(this.head, true, this.maxLength) ?? 'lines';
      const text = this.head.replace(/^\uFEFF/, '');
      this.head = '';
      if (this.mode === 'json') this.pushJson(text, out);
      else this.pushLines(text, out);
    }
    if (this.mode === 'lines' && this.partialLine !== '' && !this.isSkippingLine) {
      this.line(this.partialLine, ++this.lineNumber, out);
    }
    this.partialLine = '';
    const open = this.splitter.finish();
    if (open !== undefined)
      this.anomaly(out, 'E_WINLOG_TRUNCATED', 'the input ends inside a JSON object', open);
    if (!this.options.fragment) this.log.finish(out);
    return out;
  }

  /** Lines read so far; after `finish`, a last line without a newline counts too. */
  get lines(): number {
    return this.lineNumber;
  }

  /**
   * Fragment mode: the lines of the fragment that were not Windows events (count, first line), which
   * a whole-file reader reports once at the end; the caller adds them to the file's WinlogAnomalyLog.
   */
  unknownLines(): { count: number; first: number } {
    return { count: this.unknown, first: this.firstUnknown };
  }

  private anomaly(out: WinlogItem[], code: ErrorCode, message: string, line: number): void {
    if (this.options.fragment)
      out.push({
        type: 'anomaly',
        anomaly: { code, message, location: `${this.options.path}:${line}` },
        line,
      });
    else this.log.add(out, code, message, line);
  }

  private pushJson(text: string, out: WinlogItem[]): void {
    const pieces: SplitPiece[] = [];
    this.splitter.push(text, pieces);
    for (const piece of pieces) {
      if (piece.text === undefined) {
        this.anomaly(
          out,
          'E_WINLOG_TOO_LONG',
          `JSON object of ${piece.length} characters skipped (limit ${this.maxLength})`,
          piece.line,
        );
        continue;
      }
      this.json(piece.text, piece.line, out);
    }
  }

  private pushLines(text: string, out: WinlogItem[]): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = this.partialLine + text.slice(start, nl);
      this.partialLine = '';
      start = nl + 1;
      this.lineNumber++;
      if (this.isSkippingLine) this.isSkippingLine = false;
      else this.line(line, this.lineNumber, out);
    }
    if (this.isSkippingLine) return;
    this.partialLine += text.slice(start);
    if (this.partialLine.length > this.maxLength) {
      // SECURITY: a line without end must not grow memory without bound; it is skipped whole.
      this.anomaly(
        out,
        'E_WINLOG_TOO_LONG',
        `line longer than ${this.maxLength} characters skipped`,
        this.lineNumber + 1,
      );
      this.partialLine = '';
      this.isSkippingLine = true;
    }
  }

  private line(raw: string, number: number, out: WinlogItem[]): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    if (line.length > this.maxLength) {
      this.anomaly(
        out,
        'E_WINLOG_TOO_LONG',
        `line of ${line.length} characters skipped (limit ${this.maxLength})`,
        number,
      );
      return;
    }
    // A JSON line is read as JSON even when a value holds event XML (detectWinlogSource finds it).
    if (line.trimStart().startsWith('{')) return this.json(line, number, out);
    const xml = line.indexOf('<Event');
    if (xml >= 0) this.xml(line, xml, number, out);
    else this.skipUnknown(number);
  }

  private skipUnknown(line: number): void {
    if (this.options.fragment) {
      if (this.unknown++ === 0) this.firstUnknown = line;
    } else this.log.unknownLines(1, line);
  }

  private json(text: string, line: number, out: WinlogItem[]): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.anomaly(out, 'E_WINLOG_BAD_JSON', `not JSON: ${(error as Error).message}`, line);
      return;
    }
    if (!isObject(value)) return this.skipUnknown(line);
    // SECURITY: JSON.parse takes any depth; recursive consumers (rules, JSON.stringify) do not.
    if (isTooDeep(value, this.maxDepth)) {
      this.anomaly(out, 'E_WINLOG_TOO_DEEP', `object nests deeper than ${this.maxDepth}`, line);
      return;
    }
    this.object(value, line, out);
  }

  private object(object: Obj, line: number, out: WinlogItem[]): void {
    const source = detectWinlogSource(object);
    if (source === undefined) return this.skipUnknown(line);
    let data: Obj;
    if (source === 'evtx-json') data = { Event: object['Event'] };
    else if (source === 'sysmon-linux') {
      const field = XML_FIELDS.find(
        (k) => typeof object[k] === 'string' && (object[k] as string).includes('<Event'),
      );
      const text = object[field as string] as string;
      return this.xml(text, text.indexOf('<Event'), line, out);
    } else {
      const mapping = this.options.mappings?.[source];
      if (!mapping) {
        if (!this.missingMapping.has(source)) {
          this.missingMapping.add(source);
          this.anomaly(
            out,
            'E_WINLOG_NO_MAPPING',
            `${source} events need a mapping (rules/mappings/winlog-${source}.yml): skipped`,
            line,
          );
        }
        return;
      }
      data = convertMapped(object, mapping);
    }
    out.push({ type: 'event', event: this.logEvent(data, line) });
  }

  private xml(text: string, start: number, line: number, out: WinlogItem[]): void {
    try {
      out.push({
        type: 'event',
        event: this.logEvent(eventXmlToJson(text, start, this.maxDepth), line),
      });
    } catch (error) {
      this.anomaly(
        out,
        'E_WINLOG_BAD_XML',
        `event XML not readable: ${(error as Error).message}`,
        line,
      );
    }
  }

  private logEvent(data: Obj, line: number): LogEvent {
    const system = pick(data, 'Event', 'System');
    const host = pick(system, 'Computer');
    const time = pick(system, 'TimeCreated', '#attributes', 'SystemTime');
    return {
      kind: 'windows',
      source: { path: this.options.path, line },
      ...(typeof host === 'string' && host !== '' ? { host } : {}),
      ...(typeof time === 'string' && time !== '' ? { time } : {}),
      data,
    };
  }
}

/**
 * Every event of a JSON or text log held in memory (UTF-8, or UTF-16 with a byte-order mark as
 * PowerShell writes it), decoded and read piece by piece.
 *
 * @example
 * for (const item of readWinlogJson(bytes, { path: 'sysmon.jsonl', mappings })) {
 *   if (item.type === 'event') hunt(item.event);
 * }
 */
export function* readWinlogJson(
  bytes: Uint8Array,
  options: WinlogJsonOptions,
): Generator<WinlogItem> {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  const decoder = new TextDecoder(encoding);
  const reader = new WinlogReader(options);
  const step = 1024 * 1024;
  for (let at = 0; at < bytes.length; at += step) {
    const text = decoder.decode(bytes.subarray(at, Math.min(at + step, bytes.length)), {
      stream: true,
    });
    yield* reader.push(text);
  }
  yield* reader.push(decoder.decode());
  yield* reader.finish();
}
