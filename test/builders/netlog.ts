/**
 * Network logs built in code, in each writer's real shape: Zeek ASCII with its full header (`#separator
 * \x09`, `#set_separator`, `#empty_field (empty)`, `#unset_field -`, `#path`, `#open`, `#fields`, `#types`,
 * `#close`) and the field sets of Zeek 6 (plus the pre-5.0 files.log), Zeek JSON, Suricata EVE lines,
 * Squid's native access.log and a proxy CSV. Inert values only: TEST-NET addresses, example.* names.
 */

export type ZeekLog = 'conn' | 'http' | 'dns' | 'ssl' | 'files' | 'files-legacy' | 'smtp' | 'dhcp';

/** Field names and Zeek types of each log, as Zeek 6 writes them (files-legacy: Zeek 4). */
export const ZEEK_SCHEMAS: Record<ZeekLog, [string, string][]> = {
  // base/protocols/dhcp/main.zeek (Zeek 6): one record per DHCP exchange.
  dhcp: [
    ['ts', 'time'],
    ['uids', 'set[string]'],
    ['client_addr', 'addr'],
    ['server_addr', 'addr'],
    ['mac', 'string'],
    ['host_name', 'string'],
    ['client_fqdn', 'string'],
    ['domain', 'string'],
    ['requested_addr', 'addr'],
    ['assigned_addr', 'addr'],
    ['lease_time', 'interval'],
    ['msg_types', 'vector[string]'],
    ['duration', 'interval'],
  ],
  conn: [
    ['ts', 'time'],
    ['uid', 'string'],
    ['id.orig_h', 'addr'],
    ['id.orig_p', 'port'],
    ['id.resp_h', 'addr'],
    ['id.resp_p', 'port'],
    ['proto', 'enum'],
    ['service', 'string'],
    ['duration', 'interval'],
    ['orig_bytes', 'count'],
    ['resp_bytes', 'count'],
    ['conn_state', 'string'],
    ['local_orig', 'bool'],
    ['local_resp', 'bool'],
    ['missed_bytes', 'count'],
    ['history', 'string'],
    ['orig_pkts', 'count'],
    ['orig_ip_bytes', 'count'],
    ['resp_pkts', 'count'],
    ['resp_ip_bytes', 'count'],
    ['tunnel_parents', 'set[string]'],
  ],
  http: [
    ['ts', 'time'],
    ['uid', 'string'],
    ['id.orig_h', 'addr'],
    ['id.orig_p', 'port'],
    ['id.resp_h', 'addr'],
    ['id.resp_p', 'port'],
    ['trans_depth', 'count'],
    ['method', 'string'],
    ['host', 'string'],
    ['uri', 'string'],
    ['referrer', 'string'],
    ['version', 'string'],
    ['user_agent', 'string'],
    ['origin', 'string'],
    ['request_body_len', 'count'],
    ['response_body_len', 'count'],
    ['status_code', 'count'],
    ['status_msg', 'string'],
    ['info_code', 'count'],
    ['info_msg', 'string'],
    ['tags', 'set[enum]'],
    ['username', 'string'],
    ['password', 'string'],
    ['proxied', 'set[string]'],
    ['orig_fuids', 'vector[string]'],
    ['orig_filenames', 'vector[string]'],
    ['orig_mime_types', 'vector[string]'],
    ['resp_fuids', 'vector[string]'],
    ['resp_filenames', 'vector[string]'],
    ['resp_mime_types', 'vector[string]'],
  ],
  dns: [
    ['ts', 'time'],
    ['uid', 'string'],
    ['id.orig_h', 'addr'],
    ['id.orig_p', 'port'],
    ['id.resp_h', 'addr'],
    ['id.resp_p', 'port'],
    ['proto', 'enum'],
    ['trans_id', 'count'],
    ['rtt', 'interval'],
    ['query', 'string'],
    ['qclass', 'count'],
    ['qclass_name', 'string'],
    ['qtype', 'count'],
    ['qtype_name', 'string'],
    ['rcode', 'count'],
    ['rcode_name', 'string'],
    ['AA', 'bool'],
    ['TC', 'bool'],
    ['RD', 'bool'],
    ['RA', 'bool'],
    ['Z', 'count'],
    ['answers', 'vector[string]'],
    ['TTLs', 'vector[interval]'],
    ['rejected', 'bool'],
  ],
  ssl: [
    ['ts', 'time'],
    ['uid', 'string'],
    ['id.orig_h', 'addr'],
    ['id.orig_p', 'port'],
    ['id.resp_h', 'addr'],
    ['id.resp_p', 'port'],
    ['version', 'string'],
    ['cipher', 'string'],
    ['curve', 'string'],
    ['server_name', 'string'],
    ['resumed', 'bool'],
    ['last_alert', 'string'],
    ['next_protocol', 'string'],
    ['established', 'bool'],
    ['ssl_history', 'string'],
    ['cert_chain_fps', 'vector[string]'],
    ['client_cert_chain_fps', 'vector[string]'],
    ['sni_matches_cert', 'bool'],
    ['ja3', 'string'],
    ['ja3s', 'string'],
  ],
  files: [
    ['ts', 'time'],
    ['fuid', 'string'],
    ['uid', 'string'],
    ['id.orig_h', 'addr'],
    ['id.orig_p', 'port'],
    ['id.resp_h', 'addr'],
    ['id.resp_p', 'port'],
    ['source', 'string'],
    ['depth', 'count'],
    ['analyzers', 'set[string]'],
    ['mime_type', 'string'],
    ['filename', 'string'],
    ['duration', 'interval'],
    ['local_orig', 'bool'],
    ['is_orig', 'bool'],
    ['seen_bytes', 'count'],
    ['total_bytes', 'count'],
    ['missing_bytes', 'count'],
    ['overflow_bytes', 'count'],
    ['timedout', 'bool'],
    ['parent_fuid', 'string'],
    ['md5', 'string'],
    ['sha1', 'string'],
    ['sha256', 'string'],
    ['extracted', 'string'],
    ['extracted_cutoff', 'bool'],
    ['extracted_size', 'count'],
  ],
  'files-legacy': [
    ['ts', 'time'],
    ['fuid', 'string'],
    ['tx_hosts', 'set[addr]'],
    ['rx_hosts', 'set[addr]'],
    ['conn_uids', 'set[string]'],
    ['source', 'string'],
    ['depth', 'count'],
    ['analyzers', 'set[string]'],
    ['mime_type', 'string'],
    ['filename', 'string'],
    ['duration', 'interval'],
    ['local_orig', 'bool'],
    ['is_orig', 'bool'],
    ['seen_bytes', 'count'],
    ['total_bytes', 'count'],
    ['missing_bytes', 'count'],
    ['overflow_bytes', 'count'],
    ['timedout', 'bool'],
    ['parent_fuid', 'string'],
    ['md5', 'string'],
    ['sha1', 'string'],
    ['sha256', 'string'],
    ['extracted', 'string'],
    ['extracted_cutoff', 'bool'],
    ['extracted_size', 'count'],
  ],
  smtp: [
    ['ts', 'time'],
    ['uid', 'string'],
    ['id.orig_h', 'addr'],
    ['id.orig_p', 'port'],
    ['id.resp_h', 'addr'],
    ['id.resp_p', 'port'],
    ['trans_depth', 'count'],
    ['helo', 'string'],
    ['mailfrom', 'string'],
    ['rcptto', 'set[string]'],
    ['date', 'string'],
    ['from', 'string'],
    ['to', 'set[string]'],
    ['cc', 'set[string]'],
    ['reply_to', 'string'],
    ['msg_id', 'string'],
    ['in_reply_to', 'string'],
    ['subject', 'string'],
    ['x_originating_ip', 'addr'],
    ['first_received', 'string'],
    ['second_received', 'string'],
    ['last_reply', 'string'],
    ['path', 'vector[addr]'],
    ['user_agent', 'string'],
    ['tls', 'bool'],
    ['fuids', 'vector[string]'],
    ['is_webmail', 'bool'],
  ],
};

export type ZeekRow = Record<string, unknown>;

/** Zeek's ASCII escaping: the separator, control bytes and backslash as `\xHH`. */
function zeekEscape(text: string): string {
  return text.replace(
    /[\x00-\x1f\x7f\\]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function zeekValue(value: unknown, type: string): string {
  if (value === undefined || value === null) return '-';
  if (Array.isArray(value)) {
    if (value.length === 0) return '(empty)';
    return value
      .map((v) => zeekValue(v, type.replace(/^\w+\[(.*)\]$/, '$1')).replace(/,/g, '\\x2c'))
      .join(',');
  }
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'number')
    return type === 'time' || type === 'interval' ? value.toFixed(6) : String(value);
  const text = String(value);
  return text === '' ? '(empty)' : zeekEscape(text);
}

export interface ZeekTsvOptions {
  /** Write the header (default true): false builds the header-less TSV some exporters leave. */
  header?: boolean;
  /** Write `#close` at the end (default true; a log still being written has none). */
  close?: boolean;
  /** Override the field list (a subset or reordering of the schema). */
  fields?: string[];
}

/** One data line of a Zeek log (for benches that stream millions of lines). */
export function zeekTsvLine(log: ZeekLog, row: ZeekRow, fields?: readonly string[]): string {
  const schema = ZEEK_SCHEMAS[log];
  const names = fields ?? schema.map(([n]) => n);
  return names
    .map((n) => zeekValue(row[n], schema.find(([f]) => f === n)?.[1] ?? 'string'))
    .join('\t');
}

/** The header block of a Zeek log. */
export function zeekTsvHeader(log: ZeekLog, fields?: readonly string[]): string {
  const schema = ZEEK_SCHEMAS[log];
  const names = fields ?? schema.map(([n]) => n);
  const types = names.map((n) => schema.find(([f]) => f === n)?.[1] ?? 'string');
  const path = log === 'files-legacy' ? 'files' : log;
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${path}`,
    '#open\t2024-01-15-09-00-00',
    `#fields\t${names.join('\t')}`,
    `#types\t${types.join('\t')}`,
  ].join('\n');
}

export function buildZeekTsv(
  log: ZeekLog,
  rows: readonly ZeekRow[],
  options: ZeekTsvOptions = {},
): string {
  const lines: string[] = [];
  if (options.header !== false) lines.push(zeekTsvHeader(log, options.fields));
  for (const row of rows) lines.push(zeekTsvLine(log, row, options.fields));
  if (options.header !== false && options.close !== false)
    lines.push('#close\t2024-01-15-10-00-00');
  return `${lines.join('\n')}\n`;
}

/** Zeek JSON (`LogAscii::use_json=T`): one object per line, unset fields left out, `ts` epoch seconds. */
export function buildZeekJson(rows: readonly ZeekRow[]): string {
  return (
    rows
      .map((r) =>
        JSON.stringify(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))),
      )
      .join('\n') + '\n'
  );
}

/** Suricata EVE: one record per line (give `timestamp`, `event_type` and the tuple). */
export function buildEve(records: readonly Record<string, unknown>[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

export interface SquidRow {
  time: number;
  elapsedMs?: number;
  client: string;
  code?: string;
  status: number;
  bytes?: number;
  method: string;
  url: string;
  user?: string;
  hierarchy?: string;
  server?: string;
  contentType?: string;
}

/** Squid's native access.log line: `%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt`. */
export function squidLine(r: SquidRow): string {
  return [
    r.time.toFixed(3),
    String(r.elapsedMs ?? 120).padStart(6),
    r.client,
    `${r.code ?? 'TCP_MISS'}/${String(r.status).padStart(3, '0')}`,
    String(r.bytes ?? 1024),
    r.method,
    r.url,
    r.user ?? '-',
    `${r.hierarchy ?? 'HIER_DIRECT'}/${r.server ?? '-'}`,
    r.contentType ?? '-',
  ].join(' ');
}

export function buildSquid(rows: readonly SquidRow[]): string {
  return rows.map(squidLine).join('\n') + '\n';
}

/** A proxy CSV export with a header line; values quoted as RFC 4180 when needed. */
export function buildProxyCsv(
  header: readonly string[],
  rows: readonly (string | number)[][],
): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

export const T0 = 1705309200; // 2024-01-15T09:00:00Z

/** A plausible conn.log row between a workstation and a server; override what a test needs. */
export function connRow(over: Partial<ZeekRow> = {}): ZeekRow {
  return {
    ts: T0,
    uid: 'CHhAvVGS1DHFjwGM9',
    'id.orig_h': '10.0.0.5',
    'id.orig_p': 49712,
    'id.resp_h': '203.0.113.10',
    'id.resp_p': 443,
    proto: 'tcp',
    service: 'ssl',
    duration: 1.25,
    orig_bytes: 512,
    resp_bytes: 4096,
    conn_state: 'SF',
    local_orig: true,
    local_resp: false,
    missed_bytes: 0,
    history: 'ShADadFf',
    orig_pkts: 8,
    orig_ip_bytes: 932,
    resp_pkts: 9,
    resp_ip_bytes: 4568,
    tunnel_parents: [],
    ...over,
  };
}

/** A plausible http.log row (GET of a page); override what a test needs. */
export function httpRow(over: Partial<ZeekRow> = {}): ZeekRow {
  return {
    ts: T0,
    uid: 'CwjjYJ2WqgTbAqiHl6',
    'id.orig_h': '10.0.0.5',
    'id.orig_p': 49713,
    'id.resp_h': '203.0.113.20',
    'id.resp_p': 80,
    trans_depth: 1,
    method: 'GET',
    host: 'www.example.com',
    uri: '/index.html',
    version: '1.1',
    user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    request_body_len: 0,
    response_body_len: 5120,
    status_code: 200,
    status_msg: 'OK',
    tags: [],
    resp_fuids: ['FmD2Tz1Sx9ZvBvLrb'],
    resp_mime_types: ['text/html'],
    ...over,
  };
}
