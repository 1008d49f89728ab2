/**
 * Packet captures built in code (libpcap format, https://www.tcpdump.org/manpages/pcap-savefile.5.html,
 * LINKTYPE_ETHERNET): Ethernet II / IPv4 / TCP sessions (handshake, data split into segments, FIN) and
 * UDP datagrams, enough for tshark to reassemble HTTP and SMTP and dissect DNS and TLS. Inert payloads,
 * TEST-NET addresses only.
 */
import { compressOvba } from '../../src/formats/ovba/index.js';
import { concatBytes as concatParts } from './bytes.js';
import { buildDir, buildModuleStream, buildVbaCfb, latin1 } from './ovba.js';

const concatBytes = (...parts: Uint8Array[]): Uint8Array => concatParts(parts);

const PCAP_MAGIC = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
const MSS = 1400;

export interface PcapPacket {
  /** Epoch seconds (fractions kept to the microsecond). */
  time: number;
  /** The link-layer frame. */
  data: Uint8Array;
}

export function buildPcap(packets: readonly PcapPacket[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(24));
  header.setUint32(0, PCAP_MAGIC, true);
  header.setUint16(4, 2, true);
  header.setUint16(6, 4, true);
  header.setUint32(16, 65535, true);
  header.setUint32(20, LINKTYPE_ETHERNET, true);
  const parts: Uint8Array[] = [new Uint8Array(header.buffer)];
  for (const p of packets) {
    const rec = new DataView(new ArrayBuffer(16));
    const sec = Math.floor(p.time);
    rec.setUint32(0, sec, true);
    rec.setUint32(4, Math.round((p.time - sec) * 1e6), true);
    rec.setUint32(8, p.data.length, true);
    rec.setUint32(12, p.data.length, true);
    parts.push(new Uint8Array(rec.buffer), p.data);
  }
  return concatParts(parts);
}

/** The packets of a pcap made by buildPcap (or any little-endian microsecond pcap), for round trips. */
export function readPcap(bytes: Uint8Array): PcapPacket[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== PCAP_MAGIC) throw new Error('not a little-endian pcap');
  const out: PcapPacket[] = [];
  for (let at = 24; at + 16 <= bytes.length;) {
    const len = view.getUint32(at + 8, true);
    const time = view.getUint32(at, true) + view.getUint32(at + 4, true) / 1e6;
    out.push({ time, data: bytes.slice(at + 16, at + 16 + len) });
    at += 16 + len;
  }
  return out;
}

function ipv4(text: string): number[] {
  return text.split('.').map(Number);
}

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipFrame(src: string, dst: string, protocol: number, payload: Uint8Array): Uint8Array {
  const ip = new Uint8Array(20);
  const v = new DataView(ip.buffer);
  ip[0] = 0x45;
  v.setUint16(2, 20 + payload.length);
  ip[8] = 64;
  ip[9] = protocol;
  ip.set(ipv4(src), 12);
  ip.set(ipv4(dst), 16);
  v.setUint16(10, checksum(ip));
  const eth = Uint8Array.of(2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00);
  return concatBytes(eth, ip, payload);
}

export interface Endpoint {
  ip: string;
  port: number;
}

export function udpPacket(
  time: number,
  from: Endpoint,
  to: Endpoint,
  payload: Uint8Array,
): PcapPacket {
  const udp = new Uint8Array(8);
  const v = new DataView(udp.buffer);
  v.setUint16(0, from.port);
  v.setUint16(2, to.port);
  v.setUint16(4, 8 + payload.length);
  return { time, data: ipFrame(from.ip, to.ip, 17, concatBytes(udp, payload)) };
}

function tcpSegment(
  from: Endpoint,
  to: Endpoint,
  seq: number,
  ack: number,
  flags: number,
  payload: Uint8Array,
) {
  const tcp = new Uint8Array(20);
  const v = new DataView(tcp.buffer);
  v.setUint16(0, from.port);
  v.setUint16(2, to.port);
  v.setUint32(4, seq >>> 0);
  v.setUint32(8, ack >>> 0);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  v.setUint16(14, 65535);
  return ipFrame(from.ip, to.ip, 6, concatBytes(tcp, payload));
}

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

/**
 * One TCP connection: handshake, then each message (client or server) in MSS-sized segments with
 * consistent sequence numbers, then FIN from both sides. Times advance by 1 ms a packet.
 */
export function tcpSession(
  start: number,
  client: Endpoint,
  server: Endpoint,
  messages: readonly { fromClient: boolean; data: Uint8Array }[],
): PcapPacket[] {
  let t = start;
  const tick = () => (t += 0.001);
  let cseq = 1000;
  let sseq = 5000;
  const out: PcapPacket[] = [];
  const push = (fromClient: boolean, flags: number, payload: Uint8Array = new Uint8Array(0)) => {
    const [f, to, seq, ack] = fromClient
      ? [client, server, cseq, sseq]
      : [server, client, sseq, cseq];
    out.push({ time: tick(), data: tcpSegment(f, to, seq, ack, flags, payload) });
    const used = payload.length + (flags & (SYN | FIN) ? 1 : 0);
    if (fromClient) cseq += used;
    else sseq += used;
  };
  push(true, SYN);
  push(false, SYN | ACK);
  push(true, ACK);
  for (const m of messages) {
    for (let at = 0; at < m.data.length; at += MSS) {
      push(m.fromClient, PSH | ACK, m.data.subarray(at, at + MSS));
    }
  }
  push(true, FIN | ACK);
  push(false, FIN | ACK);
  push(true, ACK);
  return out;
}

/** A DNS message (RFC 1035 4.1) with one question and, for answers, A records. */
export function dnsMessage(id: number, name: string, answers?: readonly string[]): Uint8Array {
  const qname = concatBytes(
    ...name.split('.').map((l) => Uint8Array.of(l.length, ...new TextEncoder().encode(l))),
    Uint8Array.of(0),
  );
  const header = new DataView(new ArrayBuffer(12));
  header.setUint16(0, id);
  header.setUint16(2, answers ? 0x8180 : 0x0100);
  header.setUint16(4, 1);
  header.setUint16(6, answers?.length ?? 0);
  const rrs = (answers ?? []).map((ip) =>
    Uint8Array.of(0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...ipv4(ip)),
  );
  return concatBytes(new Uint8Array(header.buffer), qname, Uint8Array.of(0, 1, 0, 1), ...rrs);
}

export interface ClientHelloSpec {
  sni: string;
  ciphers: readonly number[];
  groups: readonly number[];
  pointFormats: readonly number[];
}

/** A TLS 1.2 ClientHello record (RFC 5246 7.4.1.2) with SNI, supported groups and point formats. */
export function tlsClientHello(spec: ClientHelloSpec): Uint8Array {
  const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
  const ext = (type: number, body: Uint8Array) => concatBytes(u16(type), u16(body.length), body);
  const host = new TextEncoder().encode(spec.sni);
  const sni = concatBytes(u16(host.length + 3), Uint8Array.of(0), u16(host.length), host);
  const groups = concatBytes(u16(spec.groups.length * 2), ...spec.groups.map(u16));
  const points = Uint8Array.of(spec.pointFormats.length, ...spec.pointFormats);
  const exts = concatBytes(ext(0, sni), ext(10, groups), ext(11, points));
  const body = concatBytes(
    u16(0x0303),
    new Uint8Array(32).fill(7),
    Uint8Array.of(0),
    u16(spec.ciphers.length * 2),
    ...spec.ciphers.map(u16),
    Uint8Array.of(1, 0),
    u16(exts.length),
    exts,
  );
  const hs = concatBytes(Uint8Array.of(1, 0, body.length >> 8, body.length & 0xff), body);
  return concatBytes(Uint8Array.of(0x16, 3, 1), u16(hs.length), hs);
}

const enc = (s: string) => new TextEncoder().encode(s);

/**
 * A small capture of step ⑤ and around it: a DNS query and answer, an HTTP GET by PowerShell for a
 * document served as `application/msword`, a TLS ClientHello with SNI and an SMTP mail. Addresses are
 * TEST-NET, names example.com/example.net.
 */
export function buildDownloadCapture(document: Uint8Array, start = 1_700_000_000): Uint8Array {
  const client = { ip: '192.0.2.10', port: 49_700 };
  const resolver = { ip: '192.0.2.53', port: 53 };
  const web = { ip: '203.0.113.5', port: 80 };
  const tls = { ip: '198.51.100.7', port: 443 };
  const mx = { ip: '198.51.100.25', port: 25 };
  const request = enc(
    'GET /invoice/INV-2026.doc HTTP/1.1\r\nHost: dl.example.com\r\n' +
      'User-Agent: Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.1\r\n\r\n',
  );
  const response = concatBytes(
    enc(
      `HTTP/1.1 200 OK\r\nContent-Type: application/msword\r\nContent-Length: ${document.length}\r\n` +
        'Content-Disposition: attachment; filename="INV-2026.doc"\r\n\r\n',
    ),
    document,
  );
  const mail =
    'From: <sender@example.net>\r\nTo: <user@example.com>\r\nSubject: test\r\n' +
    'Message-ID: <1@example.net>\r\n\r\nInert body.\r\n.\r\n';
  const smtp = [
    { fromClient: false, data: enc('220 mx.example.com ESMTP\r\n') },
    { fromClient: true, data: enc('HELO pc.example.net\r\n') },
    { fromClient: false, data: enc('250 mx.example.com\r\n') },
    { fromClient: true, data: enc('MAIL FROM:<sender@example.net>\r\n') },
    { fromClient: false, data: enc('250 OK\r\n') },
    { fromClient: true, data: enc('RCPT TO:<user@example.com>\r\n') },
    { fromClient: false, data: enc('250 OK\r\n') },
    { fromClient: true, data: enc('DATA\r\n') },
    { fromClient: false, data: enc('354 go\r\n') },
    { fromClient: true, data: enc(mail) },
    { fromClient: false, data: enc('250 queued\r\n') },
    { fromClient: true, data: enc('QUIT\r\n') },
    { fromClient: false, data: enc('221 bye\r\n') },
  ];
  return buildPcap([
    udpPacket(
      start,
      { ip: client.ip, port: 53_000 },
      resolver,
      dnsMessage(0x1234, 'dl.example.com'),
    ),
    udpPacket(
      start + 0.01,
      resolver,
      { ip: client.ip, port: 53_000 },
      dnsMessage(0x1234, 'dl.example.com', [web.ip]),
    ),
    ...tcpSession(start + 1, client, web, [
      { fromClient: true, data: request },
      { fromClient: false, data: response },
    ]),
    ...tcpSession(start + 2, { ip: client.ip, port: 49_701 }, tls, [
      {
        fromClient: true,
        data: tlsClientHello({
          sni: 'c2.example.net',
          ciphers: [0x0a0a, 0xc02b, 0xc02f, 0x009c],
          groups: [0x001d, 0x0017],
          pointFormats: [0],
        }),
      },
    ]),
    ...tcpSession(start + 3, { ip: client.ip, port: 49_702 }, mx, smtp),
  ]);
}

/** An inert .doc whose macro would start PowerShell through WMI on open: text, never run. */
export function buildInertMacroDoc(): Uint8Array {
  const source =
    'Attribute VB_Name = "Module1"\r\nSub AutoOpen()\r\n' +
    '  Set p = GetObject("winmgmts:Win32_Process")\r\n' +
    '  p.Create "powershell -w hidden -c Write-Output inert", Null, Null, pid\r\nEnd Sub\r\n';
  const module = buildModuleStream(latin1(source), 0);
  return buildVbaCfb({
    root: 'Macros',
    dir: compressOvba(buildDir({ modules: [{ name: 'Module1', textOffset: 0 }] })),
    project: latin1('ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\n'),
    streams: [{ name: 'Module1', data: module.bytes }],
  });
}
