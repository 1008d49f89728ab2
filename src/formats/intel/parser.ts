/**
 * Feed bytes in, normalised indicators out, incrementally: CSV and text feeds line by line (a 10M-line
 * feed never sits in memory), JSON feeds (Feodo/ThreatFox JSON, MISP, STIX) whole up to `maxJsonBytes`.
 * Malformed records become anomalies with their line and are skipped; nothing in a feed throws.
 */
import type { ErrorCode } from '../../core/index.js';
import { LineSplitter } from '../netlog/index.js';
import {
  createAbusechCsvReader,
  readFeodoJson,
  readThreatFoxJson,
  type AbusechKind,
} from './abusech.js';
import type { IntelSink } from './build.js';
import { readMispEvent, readMispManifest } from './misp.js';
import { readStixBundle } from './stix.js';
import { createTextListReader } from './text.js';
import type { IntelAnomaly, IntelFormat, IntelParseOptions, Ioc } from './types.js';

/** Indicators kept from one feed; past it the feed is cut and `E_INTEL_TOO_MANY` reported. */
export const MAX_FEED_IOCS = 10_000_000;
/** JSON feeds are parsed whole: 256 MiB of JSON is ~2 GB of objects in V8. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;
export const MAX_INTEL_ANOMALIES = 1000;
const HEAD_BYTES = 64 * 1024;

export interface DetectedFeed {
  format: IntelFormat;
  /** The feed's name when its content says (`feodotracker`, `urlhaus`, `sslbl` …). */
  source?: string;
}

/** The format of a feed from its first bytes (decoded) and its file name; text when nothing else fits. */
export function detectIntelFormat(head: string, name: string): DetectedFeed {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('[')) {
    if (/"type"\s*:\s*"(bundle|indicator)"/.test(text)) return { format: 'stix' };
    if (
      /"Event"\s*:/.test(text) ||
      /"Orgc"\s*:/.test(text) ||
      /(^|\/)manifest\.json$/i.test(name)
    ) {
      return { format: 'misp' };
    }
    if (/"query_status"\s*:|"ioc_value"\s*:|"ioc_type"\s*:/.test(text))
      return { format: 'threatfox', source: 'threatfox' };
    if (/"ip_address"\s*:/.test(text)) return { format: 'feodo', source: 'feodotracker' };
    return { format: 'stix' }; // reported as "not a STIX bundle" by the reader, with the reason
  }
  const lines = text.split('\n', 60).map((l) => l.toLowerCase());
  const has = (re: RegExp) => lines.some((l) => re.test(l));
  if (has(/ioc_value/) && has(/ioc_type/)) return { format: 'threatfox', source: 'threatfox' };
  if (has(/urlhaus_link|dateadded.*url_status/)) return { format: 'urlhaus', source: 'urlhaus' };
  if (has(/ja3_md5/)) return { format: 'sslbl', source: 'sslbl' };
  if (has(/dst_?ip/))
    return { format: 'feodo', source: has(/sslbl|ssl ip blacklist/) ? 'sslbl' : 'feodotracker' };
  if (has(/^#.*feodo ?tracker/)) return { format: 'feodo', source: 'feodotracker' };
  if (has(/^#.*urlhaus/)) return { format: 'text', source: 'urlhaus' };
  return { format: 'text' };
}

const DEFAULT_SOURCES: Partial<Record<IntelFormat, string>> = {
  feodo: 'feodotracker',
  urlhaus: 'urlhaus',
  threatfox: 'threatfox',
  sslbl: 'sslbl',
};

export interface IntelSummary {
  format: IntelFormat | undefined;
  source: string | undefined;
  iocs: number;
  /** Records deliberately not imported (MISP `to_ids: false`, revoked STIX indicators). */
  skipped: number;
  anomalyCount: number;
  /** Event UUIDs when the file was a MISP `manifest.json` (it holds no indicators itself). */
  manifest?: string[];
}

export class IntelParser {
  readonly anomalies: IntelAnomaly[] = [];
  anomalyCount = 0;
  skipped = 0;
  iocCount = 0;
  manifest: string[] | undefined;
  readonly #options: IntelParseOptions;
  readonly #maxIocs: number;
  readonly #maxJson: number;
  #format: IntelFormat | undefined;
  #source: string | undefined;
  #mode: 'head' | 'lines' | 'json' | 'refused' = 'head';
  #head: Uint8Array[] = [];
  #headBytes = 0;
  #splitter: LineSplitter | undefined;
  #lineReader: ((line: string, n: number) => void) | undefined;
  #json: Uint8Array[] = [];
  #jsonBytes = 0;
  #out: Ioc[] = [];
  #isCut = false;

  constructor(options: IntelParseOptions) {
    this.#options = options;
    this.#maxIocs = options.maxIocs ?? MAX_FEED_IOCS;
    this.#maxJson = options.maxJsonBytes ?? MAX_JSON_BYTES;
  }

  get format(): IntelFormat | undefined {
    return this.#format;
  }

  push(chunk: Uint8Array): Ioc[] {
    if (this.#mode === 'head') {
      this.#head.push(chunk);
      this.#headBytes += chunk.length;
      if (this.#headBytes >= HEAD_BYTES) this.#start();
    } else {
      this.#feed(chunk);
    }
    return this.#take();
  }

  end(): Ioc[] {
    if (this.#mode === 'head') this.#start();
    if (this.#mode === 'lines') this.#splitter!.end();
    if (this.#mode === 'json') this.#parseJson();
    this.#mode = 'refused';
    return this.#take();
  }

  summary(): IntelSummary {
    const out: IntelSummary = {
      format: this.#format,
      source: this.#source,
      iocs: this.iocCount,
      skipped: this.skipped,
      anomalyCount: this.anomalyCount,
    };
    if (this.manifest) out.manifest = this.manifest;
    return out;
  }

  #take(): Ioc[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #report(code: ErrorCode, message: string, line?: number): void {
    this.anomalyCount++;
    if (this.anomalies.length >= (this.#options.maxAnomalies ?? MAX_INTEL_ANOMALIES)) return;
    const anomaly: IntelAnomaly = {
      code,
      message,
      location: line === undefined ? this.#options.name : `${this.#options.name}:${line}`,
    };
    if (line !== undefined) anomaly.line = line;
    this.anomalies.push(anomaly);
  }

  readonly #sink: IntelSink = {
    ioc: (ioc) => {
      if (this.iocCount >= this.#maxIocs) {
        if (!this.#isCut) {
          this.#isCut = true;
          this.#report(
            'E_INTEL_TOO_MANY',
            `more than ${this.#maxIocs} indicators: the rest of the feed is not imported`,
            ioc.line,
          );
        }
        return;
      }
      this.iocCount++;
      this.#out.push(ioc);
    },
    reject: (message, line, code = 'E_INTEL_RECORD') => this.#report(code, message, line),
    skip: () => {
      this.skipped++;
    },
  };

  #start(): void {
    const head = concat(this.#head);
    this.#head = [];
    const detected = detectIntelFormat(
      new TextDecoder().decode(head.subarray(0, HEAD_BYTES)),
      this.#options.name,
    );
    const format =
      this.#options.format && this.#options.format !== 'auto'
        ? this.#options.format
        : detected.format;
    this.#format = format;
    this.#source =
      this.#options.source ??
      (detected.format === format ? detected.source : undefined) ??
      DEFAULT_SOURCES[format];
    const first = new TextDecoder()
      .decode(head.subarray(0, 16))
      .replace(/^\uFEFF/, '')
      .trimStart()[0];
    const isJson = format === 'misp' || format === 'stix' || first === '{' || first === '[';
    if (isJson) {
      this.#mode = 'json';
    } else {
      this.#mode = 'lines';
      const source = this.#source ?? `text:${baseName(this.#options.name)}`;
      this.#source = source;
      this.#lineReader =
        format === 'text'
          ? createTextListReader({ source, tags: [] }, this.#sink)
          : createAbusechCsvReader(format as AbusechKind, source, this.#sink);
      this.#splitter = new LineSplitter(
        {
          line: (text, n) => this.#lineReader!(text, n),
          overlong: (n, chars) =>
            this.#report(
              'E_INTEL_LINE_TOO_LONG',
              `line of ${chars} characters is longer than the limit and was skipped`,
              n,
            ),
        },
        this.#options.maxLineChars === undefined
          ? {}
          : { maxLineChars: this.#options.maxLineChars },
      );
    }
    this.#feed(head);
  }

  #feed(chunk: Uint8Array): void {
    if (this.#mode === 'lines') {
      this.#splitter!.push(chunk);
    } else if (this.#mode === 'json') {
      this.#jsonBytes += chunk.length;
      // SECURITY: a JSON feed past maxJsonBytes is refused before it is held, not after.
      if (this.#jsonBytes > this.#maxJson) {
        this.#json = [];
        this.#mode = 'refused';
        this.#report(
          'E_INTEL_TOO_LARGE',
          `JSON feed larger than ${this.#maxJson} bytes: not imported`,
        );
        return;
      }
      this.#json.push(chunk);
    }
  }

  #parseJson(): void {
    const bytes = concat(this.#json);
    this.#json = [];
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      this.#report('E_INTEL_JSON', `broken JSON: ${(error as Error).message.slice(0, 200)}`);
      return;
    }
    switch (this.#format) {
      case 'feodo':
        return readFeodoJson(value, this.#source ?? 'feodotracker', this.#sink);
      case 'threatfox':
        return readThreatFoxJson(value, this.#source ?? 'threatfox', this.#sink);
      case 'misp': {
        const manifest = readMispManifest(value);
        if (manifest && !(value as Record<string, unknown>).Event) {
          this.manifest = manifest;
          return;
        }
        return readMispEvent(value, this.#options.source, this.#sink);
      }
      case 'stix':
        return readStixBundle(value, this.#options.source, this.#sink);
      default:
        this.#report('E_INTEL_JSON', `${this.#format} feeds are not JSON`);
    }
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/**
 * Parses a whole feed held in memory (tests, small feeds); large feeds go through `IntelParser.push`.
 *
 * @example
 * const { iocs, anomalies } = parseIntel(bytes, { name: 'ipblocklist.csv' });
 */
export function parseIntel(
  bytes: Uint8Array,
  options: IntelParseOptions,
): { iocs: Ioc[]; anomalies: IntelAnomaly[]; summary: IntelSummary } {
  const parser = new IntelParser(options);
  const iocs = [...parser.push(bytes), ...parser.end()];
  return { iocs, anomalies: parser.anomalies, summary: parser.summary() };
}
