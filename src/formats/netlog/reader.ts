/**
 * The streaming log reader: chunks in, network `LogEvent`s out, one line at a time with bounded memory.
 * The dialect is given or detected from the first non-blank line. Bad lines become anomalies with their
 * line number and are skipped; nothing in a log makes the reader throw.
 */
import type { ErrorCode, LogEvent } from '../../core/index.js';
import type { LineParser, Report } from './dialect.js';
import { LineSplitter } from './lines.js';
import { createProxyCsvParser } from './proxy-csv.js';
import { createSquidParser } from './squid.js';
import { createSuricataEveParser } from './suricata-eve.js';
import type { NetlogAnomaly, NetlogFormat, NetlogOptions } from './types.js';
import { createZeekJsonParser } from './zeek-json.js';
import { createZeekTsvParser } from './zeek-tsv.js';

export const MAX_NETLOG_ANOMALIES = 1000;

const SQUID_LINE = /^\d{9,11}\.\d{3}\s+-?\d+\s+\S+\s+[A-Z_]+\/\d{3}\s/;
const ZEEK_TSV_DATA = /^\d{9,11}(\.\d+)?\t/;

/** The dialect of a log from its first non-blank line; undefined when none fits. */
export function detectNetlogFormat(firstLine: string): NetlogFormat | undefined {
  const text = firstLine.replace(/^\uFEFF/, '').trim();
  if (/^#(separator|fields|path|set_separator)\b/.test(text) || ZEEK_TSV_DATA.test(text))
    return 'zeek-tsv';
  if (text.startsWith('{')) {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      if (typeof value.event_type === 'string') return 'suricata-eve';
      if (
        'ts' in value ||
        'uid' in value ||
        'id.orig_h' in value ||
        '_path' in value ||
        'fuid' in value
      ) {
        return 'zeek-json';
      }
    } catch {
      return undefined; // the reader reports the first line as unreadable
    }
    return undefined;
  }
  if (SQUID_LINE.test(text)) return 'squid';
  return undefined;
}

export interface NetlogSummary {
  format: NetlogFormat | undefined;
  lines: number;
  events: number;
  /** Records the `filter` option skipped unparsed. */
  filtered: number;
  /** Every anomaly, also those past `maxAnomalies`. */
  anomalyCount: number;
}

export class NetlogReader {
  readonly anomalies: NetlogAnomaly[] = [];
  anomalyCount = 0;
  events = 0;
  readonly #options: NetlogOptions;
  readonly #splitter: LineSplitter;
  readonly #maxAnomalies: number;
  #format: NetlogFormat | undefined;
  #parser: (LineParser & { filtered?: number }) | undefined;
  #isUnknown = false;
  #out: LogEvent[] = [];

  constructor(options: NetlogOptions) {
    this.#options = options;
    this.#maxAnomalies = options.maxAnomalies ?? MAX_NETLOG_ANOMALIES;
    if (options.format && options.format !== 'auto') this.#use(options.format);
    else if (options.proxyCsv) this.#use('proxy-csv');
    this.#splitter = new LineSplitter(
      {
        line: (text, n) => this.#line(text, n),
        overlong: (n, chars) =>
          this.#report(
            'E_NETLOG_LINE_TOO_LONG',
            `line of ${chars} characters is longer than the limit and was skipped`,
            n,
          ),
      },
      options.maxLineChars === undefined ? {} : { maxLineChars: options.maxLineChars },
    );
  }

  get format(): NetlogFormat | undefined {
    return this.#format;
  }

  /** Events completed by this chunk, in line order. */
  push(chunk: Uint8Array): LogEvent[] {
    this.#splitter.push(chunk);
    return this.#take();
  }

  end(): LogEvent[] {
    this.#splitter.end();
    return this.#take();
  }

  summary(): NetlogSummary {
    return {
      format: this.#format,
      lines: this.#splitter.lines,
      events: this.events,
      filtered: this.#parser?.filtered ?? 0,
      anomalyCount: this.anomalyCount,
    };
  }

  #take(): LogEvent[] {
    const out = this.#out;
    this.#out = [];
    this.events += out.length;
    return out;
  }

  readonly #report: Report = (code: ErrorCode, message: string, line: number) => {
    this.anomalyCount++;
    if (this.anomalies.length < this.#maxAnomalies) {
      const location = line > 0 ? `${this.#options.path}:${line}` : this.#options.path;
      const anomaly: NetlogAnomaly = { code, message, location };
      if (line > 0) anomaly.line = line;
      this.anomalies.push(anomaly);
    }
  };

  #use(format: NetlogFormat): void {
    this.#format = format;
    const path = this.#options.path;
    const report = this.#report;
    this.#parser =
      format === 'zeek-tsv'
        ? createZeekTsvParser(path, report, this.#options.filter)
        : format === 'zeek-json'
          ? createZeekJsonParser(path, report)
          : format === 'suricata-eve'
            ? createSuricataEveParser(path, report)
            : format === 'squid'
              ? createSquidParser(path, report)
              : createProxyCsvParser(path, report, this.#options.proxyCsv);
  }

  #line(text: string, n: number): void {
    if (!this.#parser) {
      if (this.#isUnknown || text.trim().length === 0) return;
      const format = detectNetlogFormat(text);
      if (!format) {
        this.#isUnknown = true;
        this.#report(
          'E_NETLOG_UNKNOWN_FORMAT',
          'not a Zeek (TSV or JSON), Suricata EVE or Squid log; give the format (or a proxy CSV mapping)',
          n,
        );
        return;
      }
      this.#use(format);
    }
    const event = this.#parser!.line(text, n);
    if (event !== undefined) this.#out.push(event);
  }
}

/**
 * Reads a log from chunks (a file stream, standard input) as events, in line order.
 *
 * @example
 * const reader = readNetlog(createReadStream('conn.log'), { path: 'conn.log' });
 * for await (const event of reader) …
 */
export async function* readNetlog(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: NetlogOptions,
  reader: NetlogReader = new NetlogReader(options),
): AsyncGenerator<LogEvent, NetlogSummary> {
  for await (const chunk of chunks) yield* reader.push(chunk);
  yield* reader.end();
  return reader.summary();
}
