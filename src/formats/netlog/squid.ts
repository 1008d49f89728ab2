/**
 * Squid's native access.log: `%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt`
 * (https://wiki.squid-cache.org/Features/LogFormat), e.g.
 * `1286536308.779    180 192.0.2.24 TCP_MISS/200 411 GET http://example.com/ - HIER_DIRECT/203.0.113.9 text/html`.
 * Fields are named as in `PROXY_FIELDS`, shared with mapped proxy CSV logs.
 */
import type { LogEvent } from '../../core/index.js';
import type { LineParser, Report } from './dialect.js';
import { epochToIso } from './zeek-common.js';

const NATIVE_FIELDS = 10;

/** host and port of a proxy URL: absolute (`http://h:p/…`) or CONNECT authority (`h:443`). */
export function proxyUrlHost(url: string): { host?: string; port?: number } {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d{1,5}))?/i.exec(
    url,
  );
  if (!m || !m[1]) return {};
  const host = m[1].replace(/^\[|\]$/g, '').toLowerCase();
  return m[2] === undefined ? { host } : { host, port: Number(m[2]) };
}

function setIf(data: Record<string, unknown>, key: string, value: string | undefined): void {
  if (value !== undefined && value !== '' && value !== '-') data[key] = value;
}

export function createSquidParser(logPath: string, report: Report): LineParser {
  return {
    line(text: string, line: number): LogEvent | undefined {
      const trimmed = text.trim();
      if (trimmed.length === 0 || trimmed.startsWith('#')) return undefined;
      const f = trimmed.split(/\s+/);
      if (f.length < NATIVE_FIELDS) {
        report(
          'E_NETLOG_SQUID',
          `${f.length} fields where Squid's native format has ${NATIVE_FIELDS}`,
          line,
        );
        return undefined;
      }
      const ts = Number(f[0]);
      const [code, status] = f[3]!.split('/');
      const slash = f[8]!.indexOf('/');
      const data: Record<string, unknown> = { _path: 'squid', time: ts };
      data.elapsed_ms = Number(f[1]);
      setIf(data, 'client_ip', f[2]);
      setIf(data, 'result_code', code);
      if (status !== undefined && /^\d+$/.test(status)) data.status = Number(status);
      if (/^\d+$/.test(f[4]!)) data.bytes = Number(f[4]);
      setIf(data, 'method', f[5]);
      setIf(data, 'url', f[6]);
      setIf(data, 'user', f[7]);
      setIf(data, 'hierarchy', slash < 0 ? f[8] : f[8]!.slice(0, slash));
      if (slash >= 0) setIf(data, 'server_ip', f[8]!.slice(slash + 1));
      setIf(data, 'content_type', f[9]);
      if (f.length > NATIVE_FIELDS) data.extra = f.slice(NATIVE_FIELDS).join(' ');
      const { host, port } = proxyUrlHost(f[6]!);
      if (host) data.host = host;
      if (port !== undefined) data.server_port = port;
      const event: LogEvent = { kind: 'network', source: { path: logPath, line }, data };
      if (typeof data.client_ip === 'string') event.host = data.client_ip;
      const time = epochToIso(ts);
      if (time !== undefined) event.time = time;
      return event;
    },
  };
}
