/**
 * Suricata EVE JSON (`eve.json`): one object per line, `event_type` naming the record (flow, http, dns,
 * tls, fileinfo, alert, smtp, …), the 5-tuple at the top (`src_ip`, `src_port`, `dest_ip`, `dest_port`,
 * `proto`) and the protocol object under its own key. https://docs.suricata.io/en/latest/output/eve/
 */
import type { LogEvent } from '../../core/index.js';
import type { LineParser, Report } from './dialect.js';
import { parseJsonObject } from './json-line.js';
import { isoOf } from './zeek-common.js';

/**
 * The client side of the record. EVE writes the tuple in packet direction for DNS replies (v2 `answer`,
 * v3 `response`) and for alerts on server packets (`direction: to_client`), so the client is `dest_ip`
 * there and `src_ip` everywhere else.
 */
export function eveClient(data: Record<string, unknown>): string | undefined {
  const src = typeof data.src_ip === 'string' ? data.src_ip : undefined;
  const dest = typeof data.dest_ip === 'string' ? data.dest_ip : undefined;
  const dns = data.dns as Record<string, unknown> | undefined;
  const isReply =
    (data.event_type === 'dns' && (dns?.type === 'answer' || dns?.type === 'response')) ||
    data.direction === 'to_client';
  return isReply ? (dest ?? src) : (src ?? dest);
}

export function createSuricataEveParser(logPath: string, report: Report): LineParser {
  return {
    line(text: string, line: number): LogEvent | undefined {
      const data = parseJsonObject(text, line, report);
      if (data === undefined) return undefined;
      if (typeof data.event_type !== 'string') {
        report('E_NETLOG_EVE', 'an EVE record without event_type', line);
        return undefined;
      }
      const event: LogEvent = { kind: 'network', source: { path: logPath, line }, data };
      const host = eveClient(data);
      if (host !== undefined) event.host = host;
      const time = typeof data.timestamp === 'string' ? isoOf(data.timestamp) : undefined;
      if (time !== undefined) event.time = time;
      return event;
    },
  };
}
