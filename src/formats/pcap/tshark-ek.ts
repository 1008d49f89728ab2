/**
 * tshark's Elasticsearch output (`tshark -T ek -e FIELD …`, https://www.wireshark.org/docs/man-pages/tshark.html):
 * one `{"index":…}` line, then one `{"timestamp":…,"layers":{"ip_src":["…"],…}}` line per packet, field
 * names with `.` written as `_`, every value a list of strings. Packets become network `LogEvent`s shaped
 * like Suricata EVE records (`event_type` http/dns/tls/smtp, the 5-tuple at the top), so `viewOf` and the
 * IOC engine read them as they read eve.json. `data.pcap_frame` keeps the frame number.
 */
import type { LogEvent } from '../../core/index.js';
import { eveClient, type NetlogAnomaly } from '../netlog/index.js';
import { ja3Hash, ja3String } from './ja3.js';

/** Fields asked of tshark with `-e` (tls.handshake.ja3 separately: tshark < 3.6 refuses it). */
export const TSHARK_FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
  'tcp.stream',
  'http.request.method',
  'http.host',
  'http.request.uri',
  'http.user_agent',
  'http.response.code',
  'http.content_type',
  'http.content_length',
  'http.request_in',
  'dns.id',
  'dns.flags.response',
  'dns.flags.rcode',
  'dns.qry.name',
  'dns.qry.type',
  'dns.a',
  'dns.aaaa',
  'dns.cname',
  'tls.handshake.type',
  'tls.handshake.extensions_server_name',
  'tls.handshake.version',
  'tls.handshake.ciphersuite',
  'tls.handshake.extension.type',
  'tls.handshake.extensions_supported_group',
  'tls.handshake.extensions_ec_point_format',
  'smtp.req.command',
  'smtp.req.parameter',
] as const;
export const TSHARK_JA3_FIELD = 'tls.handshake.ja3';

/** Only the packets that become events: tshark drops the rest before writing them. */
export const TSHARK_DISPLAY_FILTER =
  'http.request or http.response or dns or tls.handshake.type == 1 or smtp.req';

/** HTTP requests waiting for their response, and SMTP sessions being read, at most. */
export const MAX_PENDING = 10_000;
const MAX_ANOMALIES = 100;
const MAX_RCPT = 200;

type Layers = Record<string, unknown>;

const first = (layers: Layers, field: string): string | undefined => {
  const v = layers[field.replaceAll('.', '_')];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s !== '' ? s : undefined;
};
const all = (layers: Layers, field: string): string[] => {
  const v = layers[field.replaceAll('.', '_')];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
};
const int = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
};

interface SmtpSession {
  tuple: Record<string, unknown>;
  time?: string;
  frame: number;
  helo?: string;
  mailFrom?: string;
  rcptTo: string[];
}

/**
 * Maps tshark EK lines to events: `line()` per output line, `end()` after the last for what was held
 * back (requests without a response, SMTP sessions without DATA). Memory is bounded by `MAX_PENDING`.
 */
export class TsharkEkMapper {
  readonly anomalies: NetlogAnomaly[] = [];
  anomalyCount = 0;
  packets = 0;
  readonly #path: string;
  readonly #maxPending: number;
  readonly #requests = new Map<number, LogEvent>();
  readonly #smtp = new Map<string, SmtpSession>();

  constructor(options: { path: string; maxPending?: number }) {
    this.#path = options.path;
    this.#maxPending = options.maxPending ?? MAX_PENDING;
  }

  line(text: string, line: number): LogEvent[] {
    if (text === '' || text.startsWith('{"index"')) return [];
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      this.#report('E_PCAP_TSHARK_JSON', 'tshark wrote a line that is not JSON', line);
      return [];
    }
    const layers = (doc as { layers?: unknown } | null)?.layers;
    if (layers === null || typeof layers !== 'object' || Array.isArray(layers)) {
      this.#report('E_PCAP_TSHARK_JSON', 'a tshark record without layers', line);
      return [];
    }
    this.packets++;
    return this.#packet(layers as Layers);
  }

  end(): LogEvent[] {
    const out = [...this.#requests.values()];
    this.#requests.clear();
    for (const session of this.#smtp.values()) {
      if (session.mailFrom !== undefined) out.push(this.#smtpEvent(session));
    }
    this.#smtp.clear();
    return out;
  }

  #report(code: `E_${string}`, message: string, line: number): void {
    this.anomalyCount++;
    if (this.anomalies.length < MAX_ANOMALIES) this.anomalies.push({ code, message, line });
  }

  #packet(layers: Layers): LogEvent[] {
    const frame = int(first(layers, 'frame.number')) ?? this.packets;
    const epoch = Number(first(layers, 'frame.time_epoch'));
    const time = Number.isFinite(epoch) ? new Date(epoch * 1000).toISOString() : undefined;
    const tuple = tupleOf(layers);
    const base = (type: string): Record<string, unknown> => ({
      event_type: type,
      ...(time !== undefined ? { timestamp: time } : {}),
      ...tuple,
      pcap_frame: frame,
    });
    const out: LogEvent[] = [];
    const method = first(layers, 'http.request.method');
    const status = int(first(layers, 'http.response.code'));
    if (method !== undefined) this.#request(layers, base('http'), frame, time, out);
    else if (status !== undefined) out.push(this.#response(layers, base('http'), status, time));
    if (first(layers, 'dns.qry.name') !== undefined)
      out.push(this.#event(dnsData(layers, base('dns')), frame, time));
    if (all(layers, 'tls.handshake.type').includes('1')) {
      out.push(this.#event(tlsData(layers, base('tls')), frame, time));
    }
    const command = first(layers, 'smtp.req.command');
    if (command !== undefined) this.#smtpCommand(layers, command, tuple, frame, time, out);
    return out;
  }

  #event(data: Record<string, unknown>, frame: number, time: string | undefined): LogEvent {
    const event: LogEvent = {
      kind: 'network',
      source: { path: this.#path, recordId: frame },
      data,
    };
    const host = eveClient(data);
    if (host !== undefined) event.host = host;
    if (time !== undefined) event.time = time;
    return event;
  }

  #request(
    layers: Layers,
    data: Record<string, unknown>,
    frame: number,
    time: string | undefined,
    out: LogEvent[],
  ): void {
    data.app_proto = 'http';
    data.http = compact({
      hostname: first(layers, 'http.host'),
      url: first(layers, 'http.request.uri'),
      http_method: first(layers, 'http.request.method'),
      http_user_agent: first(layers, 'http.user_agent'),
    });
    // Held until its response so that the transaction is one record, as EVE writes it: the heuristics
    // need the user agent and the served content type together.
    if (this.#requests.size >= this.#maxPending) {
      const oldest = this.#requests.keys().next().value as number;
      out.push(this.#requests.get(oldest)!);
      this.#requests.delete(oldest);
    }
    this.#requests.set(frame, this.#event(data, frame, time));
  }

  #response(
    layers: Layers,
    data: Record<string, unknown>,
    status: number,
    time: string | undefined,
  ): LogEvent {
    const requestFrame = int(first(layers, 'http.request_in'));
    const request = requestFrame === undefined ? undefined : this.#requests.get(requestFrame);
    const fields = compact({
      status,
      http_content_type: first(layers, 'http.content_type'),
      length: int(first(layers, 'http.content_length')),
    });
    if (request !== undefined) {
      this.#requests.delete(requestFrame!);
      Object.assign(request.data.http as object, fields);
      return request;
    }
    // A response without its request (capture started mid-connection): written client-side first.
    const swapped = swapTuple(data);
    swapped.app_proto = 'http';
    swapped.http = fields;
    return this.#event(swapped, int(first(layers, 'frame.number')) ?? this.packets, time);
  }

  #smtpCommand(
    layers: Layers,
    command: string,
    tuple: Record<string, unknown>,
    frame: number,
    time: string | undefined,
    out: LogEvent[],
  ): void {
    const key = first(layers, 'tcp.stream') ?? `${tuple.src_ip}:${tuple.src_port}`;
    let session = this.#smtp.get(key);
    if (session === undefined) {
      if (this.#smtp.size >= this.#maxPending)
        this.#smtp.delete(this.#smtp.keys().next().value as string);
      session = { tuple, frame, rcptTo: [] };
      if (time !== undefined) session.time = time;
      this.#smtp.set(key, session);
    }
    const param = first(layers, 'smtp.req.parameter') ?? '';
    const verb = command.toUpperCase();
    if (verb === 'HELO' || verb === 'EHLO') session.helo = param;
    else if (verb === 'MAIL') session.mailFrom = addressOf(param);
    else if (verb === 'RCPT' && session.rcptTo.length < MAX_RCPT)
      session.rcptTo.push(addressOf(param));
    else if (
      (verb === 'DATA' || verb === 'BDAT' || verb === 'QUIT' || verb === 'RSET') &&
      session.mailFrom !== undefined
    ) {
      out.push(this.#smtpEvent(session));
      this.#smtp.set(key, {
        tuple,
        frame,
        rcptTo: [],
        ...(session.helo ? { helo: session.helo } : {}),
      });
    }
  }

  #smtpEvent(session: SmtpSession): LogEvent {
    const data: Record<string, unknown> = {
      event_type: 'smtp',
      ...(session.time !== undefined ? { timestamp: session.time } : {}),
      ...session.tuple,
      pcap_frame: session.frame,
      app_proto: 'smtp',
      smtp: compact({ helo: session.helo, mail_from: session.mailFrom, rcpt_to: session.rcptTo }),
    };
    return this.#event(data, session.frame, session.time);
  }
}

/** `FROM:<a@example.com> SIZE=1` → `a@example.com`. */
function addressOf(param: string): string {
  const m = /<([^>]*)>/.exec(param);
  return (m ? m[1]! : param.replace(/^(from|to):\s*/i, '').split(/\s/)[0]!).slice(0, 320);
}

function tupleOf(layers: Layers): Record<string, unknown> {
  const isUdp = first(layers, 'udp.srcport') !== undefined;
  return compact({
    src_ip: first(layers, 'ip.src') ?? first(layers, 'ipv6.src'),
    src_port: int(first(layers, isUdp ? 'udp.srcport' : 'tcp.srcport')),
    dest_ip: first(layers, 'ip.dst') ?? first(layers, 'ipv6.dst'),
    dest_port: int(first(layers, isUdp ? 'udp.dstport' : 'tcp.dstport')),
    proto: isUdp ? 'UDP' : first(layers, 'tcp.srcport') !== undefined ? 'TCP' : undefined,
  });
}

function swapTuple(data: Record<string, unknown>): Record<string, unknown> {
  const { src_ip, src_port, dest_ip, dest_port, ...rest } = data;
  return compact({
    ...rest,
    src_ip: dest_ip,
    src_port: dest_port,
    dest_ip: src_ip,
    dest_port: src_port,
  });
}

/** DNS as EVE v2: `type` query/answer, answers in packet direction (the client is dest_ip). */
function dnsData(layers: Layers, data: Record<string, unknown>): Record<string, unknown> {
  data.app_proto = 'dns';
  const isAnswer = first(layers, 'dns.flags.response') === '1';
  const rrname = first(layers, 'dns.qry.name');
  const answers = [
    ...all(layers, 'dns.a').map((rdata) => ({ rrname, rrtype: 'A', rdata })),
    ...all(layers, 'dns.aaaa').map((rdata) => ({ rrname, rrtype: 'AAAA', rdata })),
    ...all(layers, 'dns.cname').map((rdata) => ({ rrname, rrtype: 'CNAME', rdata })),
  ];
  data.dns = compact({
    type: isAnswer ? 'answer' : 'query',
    id: int(first(layers, 'dns.id')),
    rrname,
    rrtype: int(first(layers, 'dns.qry.type')),
    rcode: isAnswer ? int(first(layers, 'dns.flags.rcode')) : undefined,
    answers: answers.length > 0 ? answers : undefined,
  });
  return data;
}

function tlsData(layers: Layers, data: Record<string, unknown>): Record<string, unknown> {
  data.app_proto = 'tls';
  const given = first(layers, TSHARK_JA3_FIELD);
  const text = ja3String({
    version: all(layers, 'tls.handshake.version'),
    ciphers: all(layers, 'tls.handshake.ciphersuite'),
    extensions: all(layers, 'tls.handshake.extension.type'),
    groups: all(layers, 'tls.handshake.extensions_supported_group'),
    pointFormats: all(layers, 'tls.handshake.extensions_ec_point_format'),
  });
  const hash = given ?? (text !== undefined ? ja3Hash(text) : undefined);
  data.tls = compact({
    sni: first(layers, 'tls.handshake.extensions_server_name'),
    ja3: hash !== undefined ? compact({ hash, string: text }) : undefined,
  });
  return data;
}

function compact<T extends Record<string, unknown>>(o: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
