/**
 * Zeek ASCII (TSV) logs, read by their own header: `#separator`, `#set_separator`, `#empty_field`,
 * `#unset_field`, `#path`, `#fields`, `#types`, `#open`/`#close` (Zeek `base/frameworks/logging/writers/
 * ascii.zeek`). Values become what Zeek's JSON writer would print: numbers for time/interval/count/port,
 * booleans, arrays for set/vector; `\xHH` escapes are decoded. Unset fields (`-`) are undefined.
 */
import type { LogEvent } from '../../core/index.js';
import type { LineParser, Report } from './dialect.js';
import type { RawRecord, RecordFilter } from './types.js';
import { createEpochFormatter, zeekHost, zeekTime } from './zeek-common.js';

type Convert = (value: string) => unknown;

interface Header {
  separator: string;
  setSeparator: string;
  empty: string;
  unset: string;
  path: string | undefined;
  fields: string[] | undefined;
  types: string[] | undefined;
  converters: Convert[] | undefined;
  /** Every field (undefined), cloned per line: fast properties, no per-key transitions. */
  template: Record<string, unknown> | undefined;
  index: Map<string, number> | undefined;
}

const HEX_ESCAPE = /\\x([0-9a-fA-F]{2})/g;

function unescape(value: string): string {
  return value.includes('\\x')
    ? value.replace(HEX_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : value;
}

/** `text` cut at `separator` (indexOf + slice: about twice as fast as String#split on log lines). */
function splitOn(text: string, separator: string): string[] {
  const out: string[] = [];
  const step = separator.length;
  let start = 0;
  for (;;) {
    const at = text.indexOf(separator, start);
    if (at < 0) {
      out.push(text.slice(start));
      return out;
    }
    out.push(text.slice(start, at));
    start = at + step;
  }
}

function scalar(type: string): Convert {
  switch (type) {
    case 'time':
    case 'interval':
    case 'double':
    case 'count':
    case 'int':
    case 'port':
      return (v) => {
        const n = Number(v);
        return Number.isNaN(n) ? unescape(v) : n;
      };
    case 'bool':
      return (v) => (v === 'T' ? true : v === 'F' ? false : unescape(v));
    default:
      return unescape;
  }
}

function converterFor(type: string, header: Header): Convert {
  const container = /^(?:set|vector|table)\[(.+)\]$/.exec(type);
  if (container) {
    const element = scalar(container[1]!);
    return (v) => (v === header.empty ? [] : splitOn(v, header.setSeparator).map(element));
  }
  const one = scalar(type);
  return (v) => (v === header.empty ? '' : one(v));
}

/** `conn.log`, `conn.2024-01-02-10-00-00.log.gz` → `conn`. */
export function zeekPathFromFile(path: string): string | undefined {
  const base = path.split(/[\\/]/).pop() ?? '';
  const name = base.split('.')[0];
  return name ? name : undefined;
}

/**
 * Raw field access on one unparsed line: separator positions are found once per line, as far as the
 * furthest column asked for, and nothing is copied but the values returned.
 */
class RawLine implements RawRecord {
  #text = '';
  /** starts[i] = offset of column i; valid for i < #known. */
  readonly #starts = new Int32Array(512);
  #known = 0;
  constructor(
    private readonly header: Header,
    readonly path: string | undefined,
  ) {}

  reset(text: string): void {
    this.#text = text;
    this.#known = 1; // column 0 starts at 0
  }

  get(field: string): string | undefined {
    const column = this.header.index?.get(field);
    if (column === undefined || column >= this.#starts.length - 1) return undefined;
    const text = this.#text;
    const sep = this.header.separator;
    while (this.#known <= column + 1) {
      const prev = this.#starts[this.#known - 1]!;
      if (prev < 0) return undefined;
      const at = text.indexOf(sep, prev);
      this.#starts[this.#known++] = at < 0 ? -1 : at + sep.length;
      if (at < 0) break;
    }
    const start = this.#starts[column]!;
    if (start < 0 || column >= this.#known) return undefined;
    const next = this.#starts[column + 1];
    const end =
      next === undefined || next < 0 || column + 1 >= this.#known ? text.length : next - sep.length;
    const value = text.slice(start, end);
    return value === this.header.unset ? undefined : value;
  }
}

export function createZeekTsvParser(
  logPath: string,
  report: Report,
  filter?: RecordFilter,
): LineParser & { filtered: number } {
  const header: Header = {
    separator: '\t',
    setSeparator: ',',
    empty: '(empty)',
    unset: '-',
    path: undefined,
    fields: undefined,
    types: undefined,
    converters: undefined,
    template: undefined,
    index: undefined,
  };
  let isReportedHeaderless = false;
  const fallbackPath = zeekPathFromFile(logPath);
  const time = createEpochFormatter();
  let raw = new RawLine(header, fallbackPath);

  function reset(): void {
    header.converters = undefined;
    header.template = undefined;
    header.index = undefined;
  }

  function directive(text: string, line: number): void {
    if (text.startsWith('#separator')) {
      const value = text.slice('#separator'.length).trim();
      header.separator = unescape(value) || '\t';
      return;
    }
    const cut = text.indexOf(header.separator);
    const key = cut < 0 ? text : text.slice(0, cut);
    const values =
      cut < 0 ? [] : splitOn(text.slice(cut + header.separator.length), header.separator);
    switch (key) {
      case '#set_separator':
        header.setSeparator = unescape(values[0] ?? ',') || ',';
        break;
      case '#empty_field':
        header.empty = values[0] ?? '(empty)';
        break;
      case '#unset_field':
        header.unset = values[0] ?? '-';
        break;
      case '#path':
        header.path = values[0];
        raw = new RawLine(header, header.path ?? fallbackPath);
        reset();
        break;
      case '#fields':
        // SECURITY: a hostile header must not name a field `__proto__` (assigning it would set the
        // record's prototype); such a column is renamed, not dropped, so the column count still holds.
        header.fields = values.map((f) => (f === '__proto__' ? '_proto_' : f));
        reset();
        isReportedHeaderless = false;
        break;
      case '#types':
        header.types = values;
        reset();
        if (header.fields && values.length !== header.fields.length) {
          report(
            'E_NETLOG_ZEEK_HEADER',
            `#types has ${values.length} columns, #fields ${header.fields.length}`,
            line,
          );
        }
        break;
      default:
        break; // #open, #close and comments carry nothing a detection needs
    }
  }

  function prepare(fields: string[]): { convert: Convert[]; template: Record<string, unknown> } {
    if (!header.converters || !header.template) {
      header.converters = fields.map((_, i) => converterFor(header.types?.[i] ?? 'string', header));
      header.template = Object.fromEntries([
        ['_path', header.path ?? fallbackPath],
        ...fields.map((f) => [f, undefined] as const),
      ]);
      header.index = new Map(fields.map((f, i) => [f, i]));
    }
    return { convert: header.converters, template: header.template };
  }

  const parser = {
    filtered: 0,
    line(text: string, line: number): LogEvent | undefined {
      if (text.length === 0) return undefined;
      if (text.charCodeAt(0) === 35 /* # */) {
        directive(text, line);
        return undefined;
      }
      const fields = header.fields;
      if (!fields) {
        if (!isReportedHeaderless) {
          isReportedHeaderless = true;
          report(
            'E_NETLOG_ZEEK_NO_HEADER',
            'Zeek TSV data before any #fields header: lines are skipped until a header names the columns',
            line,
          );
        }
        return undefined;
      }
      const { convert, template } = prepare(fields);
      if (filter) {
        raw.reset(text);
        if (!filter(raw)) {
          parser.filtered++;
          return undefined;
        }
      }
      const values = splitOn(text, header.separator);
      if (values.length !== fields.length) {
        report(
          'E_NETLOG_ZEEK_COLUMNS',
          `${values.length} columns where #fields names ${fields.length}`,
          line,
        );
        return undefined;
      }
      const data: Record<string, unknown> = { ...template };
      const unset = header.unset;
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!;
        if (value !== unset) data[fields[i]!] = convert[i]!(value);
      }
      const event: LogEvent = { kind: 'network', source: { path: logPath, line }, data };
      const host = zeekHost(data);
      if (host !== undefined) event.host = host;
      const ts = data.ts;
      const iso = typeof ts === 'number' ? time(ts) : zeekTime(ts);
      if (iso !== undefined) event.time = iso;
      return event;
    },
  };
  return parser;
}
