/**
 * One shape for what detections read from a network record, whichever log wrote it. Zeek, Suricata and
 * proxies name the same things differently (`id.resp_h` / `dest_ip` / `server_ip`); `fields` keeps the
 * record's own name of each value so that a detection can say which field matched.
 */
import type { LogEvent } from '../../core/index.js';

export type NetKind = 'conn' | 'http' | 'dns' | 'tls' | 'file' | 'smtp' | 'alert' | 'other';

export interface NetView {
  kind: NetKind;
  srcIp?: string;
  srcPort?: number;
  dstIp?: string;
  dstPort?: number;
  /** Transport (tcp/udp) and the application protocol a sensor recognised (http, ssl, tls, dns …). */
  proto?: string;
  service?: string;
  /** HTTP method, Host header (or proxy host), path+query, absolute URL when the log has one. */
  method?: string;
  host?: string;
  uri?: string;
  url?: string;
  userAgent?: string;
  status?: number;
  requestBodyLen?: number;
  /** Content-Type the server declared (Suricata, proxies); Zeek does not log it by default. */
  declaredType?: string;
  /** Types found by content (Zeek's libmagic MIME types, Suricata fileinfo magic). */
  sniffedTypes?: string[];
  filenames?: string[];
  /** DNS query names. */
  queries?: string[];
  sni?: string;
  ja3?: string;
  ja3s?: string;
  md5?: string;
  sha1?: string;
  sha256?: string;
  /** Alerts: signature text and id, category, metadata malware families. */
  signature?: string;
  signatureId?: number;
  category?: string;
  malwareFamilies?: string[];
  /** Record field name of each value above (`dstIp` → `id.resp_h`). */
  fields: Partial<Record<Exclude<keyof NetView, 'fields' | 'kind'>, string>>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
const strs = (v: unknown): string[] | undefined => {
  if (typeof v === 'string' && v !== '') return [v];
  if (!Array.isArray(v)) return undefined;
  const out = v.filter((x): x is string => typeof x === 'string' && x !== '');
  return out.length > 0 ? out : undefined;
};

type Setter = <K extends Exclude<keyof NetView, 'fields' | 'kind'>>(
  key: K,
  value: NetView[K] | undefined,
  field: string,
) => void;

function setterFor(view: NetView): Setter {
  return (key, value, field) => {
    if (value === undefined || view[key] !== undefined) return;
    view[key] = value;
    view.fields[key] = field;
  };
}

const ZEEK_KINDS: Record<string, NetKind> = {
  conn: 'conn',
  http: 'http',
  dns: 'dns',
  ssl: 'tls',
  files: 'file',
  smtp: 'smtp',
  notice: 'alert',
};

function zeekView(data: Record<string, unknown>, path: string): NetView {
  const view: NetView = { kind: ZEEK_KINDS[path] ?? 'other', fields: {} };
  const set = setterFor(view);
  let id: Record<string, unknown> | undefined;
  const flatOrig = data['id.orig_h'];
  if (flatOrig === undefined) id = obj(data.id);
  set('srcIp', str(flatOrig) ?? str(id?.orig_h), 'id.orig_h');
  set('srcPort', num(data['id.orig_p']) ?? num(id?.orig_p), 'id.orig_p');
  set('dstIp', str(data['id.resp_h']) ?? str(id?.resp_h), 'id.resp_h');
  set('dstPort', num(data['id.resp_p']) ?? num(id?.resp_p), 'id.resp_p');
  set('proto', str(data.proto), 'proto');
  // Only the fields of the log at hand: conn.log is most of the volume and needs none of the rest.
  const isAny = ZEEK_KINDS[path] === undefined;
  if (path === 'conn' || isAny) set('service', str(data.service), 'service');
  if (path === 'http' || isAny) {
    set('method', str(data.method), 'method');
    set('host', str(data.host), 'host');
    set('uri', str(data.uri), 'uri');
    set('userAgent', str(data.user_agent), 'user_agent');
    set('status', num(data.status_code), 'status_code');
    set('requestBodyLen', num(data.request_body_len), 'request_body_len');
    set('sniffedTypes', strs(data.resp_mime_types), 'resp_mime_types');
    set('filenames', strs(data.resp_filenames), 'resp_filenames');
  }
  if (path === 'dns' || isAny) set('queries', strs(data.query), 'query');
  if (path === 'ssl' || isAny) {
    set('sni', str(data.server_name), 'server_name');
    set('ja3', str(data.ja3), 'ja3');
    set('ja3s', str(data.ja3s), 'ja3s');
  }
  if (path === 'files' || isAny) {
    set('sniffedTypes', strs(data.mime_type), 'mime_type');
    set('filenames', strs(data.filename), 'filename');
    set('md5', str(data.md5), 'md5');
    set('sha1', str(data.sha1), 'sha1');
    set('sha256', str(data.sha256), 'sha256');
    // files.log before Zeek 5: the sender of a download is tx_hosts, the receiver rx_hosts.
    set('dstIp', strs(data.tx_hosts)?.[0], 'tx_hosts');
    set('srcIp', strs(data.rx_hosts)?.[0], 'rx_hosts');
  }
  if (path === 'notice' || isAny) {
    set('signature', str(data.msg), 'msg');
    set('category', str(data.note), 'note');
  }
  return view;
}

const EVE_KINDS: Record<string, NetKind> = {
  flow: 'conn',
  netflow: 'conn',
  http: 'http',
  dns: 'dns',
  tls: 'tls',
  fileinfo: 'file',
  smtp: 'smtp',
  alert: 'alert',
};

function eveView(data: Record<string, unknown>): NetView {
  const type = str(data.event_type) ?? '';
  const view: NetView = { kind: EVE_KINDS[type] ?? 'other', fields: {} };
  const set = setterFor(view);
  const dns = obj(data.dns);
  // DNS replies are written in packet direction: the client is dest there (see eveClient).
  const isReply = type === 'dns' && (dns?.type === 'answer' || dns?.type === 'response');
  const [src, dst] = isReply ? (['dest', 'src'] as const) : (['src', 'dest'] as const);
  set('srcIp', str(data[`${src}_ip`]), `${src}_ip`);
  set('srcPort', num(data[`${src}_port`]), `${src}_port`);
  set('dstIp', str(data[`${dst}_ip`]), `${dst}_ip`);
  set('dstPort', num(data[`${dst}_port`]), `${dst}_port`);
  set('proto', str(data.proto)?.toLowerCase(), 'proto');
  set('service', str(data.app_proto), 'app_proto');
  const http = obj(data.http);
  if (http) {
    set('method', str(http.http_method), 'http.http_method');
    set('host', str(http.hostname), 'http.hostname');
    set('uri', str(http.url), 'http.url');
    set('userAgent', str(http.http_user_agent), 'http.http_user_agent');
    set('status', num(http.status), 'http.status');
    set('declaredType', str(http.http_content_type), 'http.http_content_type');
    set('requestBodyLen', num(http.request_body_len), 'http.request_body_len');
  }
  if (dns) {
    set('queries', strs(dns.rrname), 'dns.rrname');
    const queries = Array.isArray(dns.queries)
      ? dns.queries.map((q) => str(obj(q)?.rrname)).filter((q): q is string => q !== undefined)
      : [];
    if (queries.length > 0) set('queries', queries, 'dns.queries[].rrname');
  }
  const tls = obj(data.tls);
  if (tls) {
    set('sni', str(tls.sni), 'tls.sni');
    set('ja3', str(obj(tls.ja3)?.hash), 'tls.ja3.hash');
    set('ja3s', str(obj(tls.ja3s)?.hash), 'tls.ja3s.hash');
  }
  const file = obj(data.fileinfo);
  if (file) {
    set('md5', str(file.md5), 'fileinfo.md5');
    set('sha1', str(file.sha1), 'fileinfo.sha1');
    set('sha256', str(file.sha256), 'fileinfo.sha256');
    set('filenames', strs(file.filename), 'fileinfo.filename');
    set('sniffedTypes', strs(file.magic), 'fileinfo.magic');
  }
  const alert = obj(data.alert);
  if (alert) {
    set('signature', str(alert.signature), 'alert.signature');
    set('signatureId', num(alert.signature_id), 'alert.signature_id');
    set('category', str(alert.category), 'alert.category');
    const meta = obj(alert.metadata);
    set('malwareFamilies', strs(meta?.malware_family), 'alert.metadata.malware_family');
  }
  return view;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function proxyView(data: Record<string, unknown>): NetView {
  const view: NetView = { kind: 'http', fields: {} };
  const set = setterFor(view);
  set('srcIp', str(data.client_ip), 'client_ip');
  const server = str(data.server_ip);
  if (server && (IPV4.test(server) || server.includes(':'))) set('dstIp', server, 'server_ip');
  set('dstPort', num(data.server_port), 'server_port');
  set('method', str(data.method), 'method');
  set('host', str(data.host), 'host');
  set('url', str(data.url), 'url');
  set('userAgent', str(data.user_agent), 'user_agent');
  set('status', num(data.status), 'status');
  set('declaredType', str(data.content_type), 'content_type');
  if (view.method === 'CONNECT') {
    view.service = 'tls';
    view.kind = 'tls';
    set('sni', view.host, 'host');
  } else if (view.url) {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(view.url);
    if (m) set('uri', m[1] || '/', 'url');
  }
  return view;
}

/** The view of a network event; `kind` 'other' for records no detection reads. */
export function viewOf(event: LogEvent): NetView {
  const data = event.data;
  if (typeof data.event_type === 'string') return eveView(data);
  const path = data._path;
  if (path === 'squid' || path === 'proxy') return proxyView(data);
  return zeekView(data, typeof path === 'string' ? path : '');
}
