/**
 * Proxy logs exported as CSV by other products, read through a column mapping (`ProxyCsvConfig`): the
 * mapped columns get the canonical names Squid records use, so one set of detections covers both.
 */
import { ConfigError, type LogEvent } from '../../core/index.js';
import { splitCsvLine } from './csv.js';
import type { LineParser, Report } from './dialect.js';
import { proxyUrlHost } from './squid.js';
import { epochToIso, isoOf } from './zeek-common.js';
import { PROXY_FIELDS, type ProxyCsvConfig, type ProxyField } from './types.js';

const NUMERIC: ReadonlySet<ProxyField> = new Set(['elapsed_ms', 'status', 'bytes', 'server_port']);

/** Throws `E_CONFIG_PROXY_CSV` for a mapping that cannot work (operator error, not input error). */
export function checkProxyCsvConfig(config: ProxyCsvConfig | undefined): ProxyCsvConfig {
  const bad = (why: string) => new ConfigError('E_CONFIG_PROXY_CSV', `proxy CSV mapping: ${why}`);
  if (!config || typeof config !== 'object' || !config.columns) throw bad('columns are required');
  for (const [field, column] of Object.entries(config.columns)) {
    if (!(PROXY_FIELDS as readonly string[]).includes(field)) throw bad(`unknown field "${field}"`);
    if (
      typeof column === 'number'
        ? !Number.isSafeInteger(column) || column < 0
        : typeof column !== 'string'
    ) {
      throw bad(`column for ${field} must be a header name or a 0-based index`);
    }
  }
  if (!config.columns.url && !config.columns.host) throw bad('map at least url or host');
  if (config.delimiter !== undefined && config.delimiter.length !== 1)
    throw bad('delimiter must be one character');
  return config;
}

function timeOf(value: string): string | undefined {
  return /^\d+(\.\d+)?$/.test(value) ? epochToIso(Number(value)) : isoOf(value);
}

export function createProxyCsvParser(
  logPath: string,
  report: Report,
  rawConfig: ProxyCsvConfig | undefined,
): LineParser {
  const config = checkProxyCsvConfig(rawConfig);
  const delimiter = config.delimiter ?? ',';
  let names: string[] | undefined = config.hasHeader === false ? [] : undefined;
  let index: Map<number, ProxyField> | undefined;

  function resolve(header: string[]): void {
    index = new Map();
    for (const [field, column] of Object.entries(config.columns) as [
      ProxyField,
      string | number,
    ][]) {
      const at = typeof column === 'number' ? column : header.indexOf(column);
      if (at < 0)
        report('E_NETLOG_PROXY_COLUMN', `mapped column "${column}" is not in the header`, 0);
      else index.set(at, field);
    }
  }

  return {
    line(text: string, line: number): LogEvent | undefined {
      if (text.trim().length === 0 || text.startsWith('#')) return undefined;
      const values = splitCsvLine(text, delimiter);
      if (!values) {
        report('E_NETLOG_CSV', 'unterminated quote', line);
        return undefined;
      }
      if (names === undefined) {
        names = values.map((v) => v.trim());
        resolve(names);
        return undefined;
      }
      if (!index) resolve(names);
      const data: Record<string, unknown> = { _path: 'proxy' };
      values.forEach((value, i) => {
        const field = index!.get(i);
        const key = field ?? names![i] ?? `column_${i}`;
        if (value === '' || value === '-') return;
        data[key] = field && NUMERIC.has(field) && /^\d+$/.test(value) ? Number(value) : value;
      });
      if (typeof data.url === 'string' && data.host === undefined) {
        const { host, port } = proxyUrlHost(data.url);
        if (host) data.host = host;
        if (port !== undefined && data.server_port === undefined) data.server_port = port;
      }
      const event: LogEvent = { kind: 'network', source: { path: logPath, line }, data };
      if (typeof data.client_ip === 'string') event.host = data.client_ip;
      const time = typeof data.time === 'string' ? timeOf(data.time) : undefined;
      if (time !== undefined) event.time = time;
      return event;
    },
  };
}
