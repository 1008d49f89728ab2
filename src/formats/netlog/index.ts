/**
 * @module netlog — network logs as `LogEvent`s (kind `network`), streamed line by line with bounded
 * memory: Zeek TSV (by its `#separator`/`#fields`/`#types` header; https://docs.zeek.org/en/master/logs/)
 * and Zeek JSON (conn, http, dns, ssl, files, smtp …), Suricata EVE JSON (flow, http, dns v1–v3, tls with
 * JA3/JA3S, fileinfo, alert, smtp; https://docs.suricata.io/en/latest/output/eve/eve-json-format.html),
 * Squid's native access.log (https://wiki.squid-cache.org/Features/LogFormat) and proxy CSV through a
 * column mapping. `data` keeps each log's own field names; `viewOf` reads them into one shape.
 *
 * @example
 * for await (const event of readNetlog(chunks, { path: 'conn.log' })) viewOf(event).dstIp
 */
export { splitCsvLine } from './csv.js';
export { LineSplitter, MAX_LINE_CHARS, type LineHandlers } from './lines.js';
export { checkProxyCsvConfig } from './proxy-csv.js';
export {
  detectNetlogFormat,
  MAX_NETLOG_ANOMALIES,
  NetlogReader,
  readNetlog,
  type NetlogSummary,
} from './reader.js';
export { proxyUrlHost } from './squid.js';
export { eveClient } from './suricata-eve.js';
export {
  NETLOG_FORMATS,
  PROXY_FIELDS,
  type NetlogAnomaly,
  type NetlogFormat,
  type NetlogOptions,
  type ProxyCsvConfig,
  type ProxyField,
  type RawRecord,
  type RecordFilter,
} from './types.js';
export { DhcpLeaseReader, MAX_DHCP_CLIENTS, type DhcpLease } from './dhcp.js';
export { viewOf, type NetKind, type NetView } from './view.js';
export { epochToIso, isoOf } from './zeek-common.js';
export { zeekPathFromFile } from './zeek-tsv.js';
