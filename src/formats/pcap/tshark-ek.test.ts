import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LogEvent } from '../../core/index.js';
import { viewOf } from '../netlog/index.js';
import { isCaptureHead, ja3Hash, ja3String, TsharkEkMapper } from './index.js';

const ek = (layers: Record<string, string[]>) => JSON.stringify({ timestamp: '0', layers });
const tcp = (src: string, sport: string, dst: string, dport: string) => ({
  ip_src: [src],
  ip_dst: [dst],
  tcp_srcport: [sport],
  tcp_dstport: [dport],
});

function mapAll(
  lines: string[],
  maxPending?: number,
): { events: LogEvent[]; mapper: TsharkEkMapper } {
  const mapper = new TsharkEkMapper({ path: 'x.pcap', ...(maxPending ? { maxPending } : {}) });
  const events = lines.flatMap((l, i) => mapper.line(l, i + 1));
  return { events: [...events, ...mapper.end()], mapper };
}

const request = (frame: number) =>
  ek({
    frame_number: [String(frame)],
    frame_time_epoch: ['1700000001.004000000'],
    ...tcp('192.0.2.10', '49700', '203.0.113.5', '80'),
    http_request_method: ['GET'],
    http_host: ['dl.example.com'],
    http_request_uri: ['/a.doc'],
    http_user_agent: ['WindowsPowerShell/5.1'],
  });

describe('pcap: tshark EK lines → network events', () => {
  test('an HTTP request and its response become one EVE-shaped transaction', () => {
    const { events } = mapAll([
      '{"index":{"_index":"packets-2023-11-14","_type":"doc"}}',
      request(6),
      ek({
        frame_number: ['9'],
        ...tcp('203.0.113.5', '80', '192.0.2.10', '49700'),
        http_response_code: ['200'],
        http_content_type: ['application/msword'],
        http_request_in: ['6'],
      }),
    ]);
    assert.equal(events.length, 1, 'one transaction');
    const e = events[0]!;
    assert.equal(e.host, '192.0.2.10');
    assert.equal(e.time, '2023-11-14T22:13:21.004Z');
    assert.deepEqual(e.source, { path: 'x.pcap', recordId: 6 });
    const v = viewOf(e);
    assert.equal(v.kind, 'http');
    assert.deepEqual(
      [v.srcIp, v.dstIp, v.dstPort, v.method, v.host, v.uri, v.userAgent, v.status, v.declaredType],
      [
        '192.0.2.10',
        '203.0.113.5',
        80,
        'GET',
        'dl.example.com',
        '/a.doc',
        'WindowsPowerShell/5.1',
        200,
        'application/msword',
      ],
    );
  });

  test('a response without its request is written client first', () => {
    const { events } = mapAll([
      ek({ ...tcp('203.0.113.5', '80', '192.0.2.10', '49700'), http_response_code: ['404'] }),
    ]);
    const v = viewOf(events[0]!);
    assert.deepEqual([v.srcIp, v.dstIp, v.status], ['192.0.2.10', '203.0.113.5', 404]);
    assert.equal(events[0]!.host, '192.0.2.10');
  });

  test('pending requests: at the bound none is flushed early, past it the oldest is', () => {
    const at = mapAll([request(1), request(2)], 2);
    assert.deepEqual(
      at.events.map((e) => e.source.recordId),
      [1, 2],
    );
    const mapper = new TsharkEkMapper({ path: 'x.pcap', maxPending: 2 });
    assert.equal(mapper.line(request(1), 1).length, 0);
    assert.equal(mapper.line(request(2), 2).length, 0);
    assert.deepEqual(
      mapper.line(request(3), 3).map((e) => e.source.recordId),
      [1],
    );
  });

  test('DNS query and answer: the client is the host of both', () => {
    const udp = (src: string, dst: string, sport: string, dport: string) => ({
      ip_src: [src],
      ip_dst: [dst],
      udp_srcport: [sport],
      udp_dstport: [dport],
    });
    const { events } = mapAll([
      ek({
        ...udp('192.0.2.10', '192.0.2.53', '53000', '53'),
        dns_flags_response: ['0'],
        dns_qry_name: ['dl.example.com'],
      }),
      ek({
        ...udp('192.0.2.53', '192.0.2.10', '53', '53000'),
        dns_flags_response: ['1'],
        dns_qry_name: ['dl.example.com'],
        dns_a: ['203.0.113.5'],
      }),
    ]);
    assert.deepEqual(
      events.map((e) => e.host),
      ['192.0.2.10', '192.0.2.10'],
    );
    assert.deepEqual(
      events.map((e) => viewOf(e).queries),
      [['dl.example.com'], ['dl.example.com']],
    );
    assert.deepEqual((events[1]!.data.dns as { answers: unknown[] }).answers, [
      { rrname: 'dl.example.com', rrtype: 'A', rdata: '203.0.113.5' },
    ]);
  });

  const hello = {
    ...tcp('192.0.2.10', '49701', '198.51.100.7', '443'),
    tls_handshake_type: ['1'],
    tls_handshake_extensions_server_name: ['c2.example.net'],
    tls_handshake_version: ['0x0303'],
    tls_handshake_ciphersuite: ['0x0a0a', '0xc02b', '0xc02f', '0x009c'],
    tls_handshake_extension_type: ['0', '10', '11'],
    tls_handshake_extensions_supported_group: ['0x001d', '0x0017'],
    tls_handshake_extensions_ec_point_format: ['0'],
  };

  test("TLS ClientHello: SNI and tshark's JA3 when it gives one", () => {
    const { events } = mapAll([
      ek({ ...hello, tls_handshake_ja3: ['0123456789abcdef0123456789abcdef'] }),
    ]);
    const v = viewOf(events[0]!);
    assert.deepEqual(
      [v.kind, v.sni, v.ja3],
      ['tls', 'c2.example.net', '0123456789abcdef0123456789abcdef'],
    );
  });

  test('TLS ClientHello without a JA3 field: computed, GREASE left out (matches tshark 4.0)', () => {
    const { events } = mapAll([ek(hello)]);
    const tls = events[0]!.data.tls as { ja3: { hash: string; string: string } };
    assert.equal(tls.ja3.string, '771,49195-49199-156,0-10-11,29-23,0');
    // tshark 4.0.17's tls.handshake.ja3 for the same hello.
    assert.equal(tls.ja3.hash, 'd83ae3a9c3698053a4d27433ffa6cfff');
    assert.equal(viewOf(events[0]!).ja3, tls.ja3.hash);
  });

  test('SMTP: MAIL FROM and RCPT TO of a session become one envelope at DATA', () => {
    const cmd = (command: string, parameter?: string) =>
      ek({
        ...tcp('192.0.2.10', '49702', '198.51.100.25', '25'),
        tcp_stream: ['2'],
        smtp_req_command: [command],
        ...(parameter ? { smtp_req_parameter: [parameter] } : {}),
      });
    const { events } = mapAll([
      cmd('EHLO', 'pc.example.net'),
      cmd('MAIL', 'FROM:<a@example.net> SIZE=10'),
      cmd('RCPT', 'TO:<b@example.com>'),
      cmd('RCPT', 'TO:<c@example.com>'),
      cmd('DATA'),
      cmd('QUIT'),
    ]);
    assert.equal(events.length, 1, 'one envelope');
    assert.deepEqual(events[0]!.data.smtp, {
      helo: 'pc.example.net',
      mail_from: 'a@example.net',
      rcpt_to: ['b@example.com', 'c@example.com'],
    });
    assert.equal(viewOf(events[0]!).kind, 'smtp');
  });

  test('a line that is not JSON is an anomaly with its line number, the rest is read', () => {
    const { events, mapper } = mapAll(['{"layers":', request(1), '[1,2]']);
    assert.equal(events.length, 1);
    assert.deepEqual(
      mapper.anomalies.map((a) => [a.code, a.line]),
      [
        ['E_PCAP_TSHARK_JSON', 1],
        ['E_PCAP_TSHARK_JSON', 3],
      ],
    );
  });

  test('ja3String without a version is undefined; hashes are MD5', () => {
    assert.equal(
      ja3String({ version: [], ciphers: [], extensions: [], groups: [], pointFormats: [] }),
      undefined,
    );
    assert.equal(ja3Hash(''), 'd41d8cd98f00b204e9800998ecf8427e');
  });

  test('capture magic: pcap (µs, ns, both byte orders) and pcapng; not text', () => {
    for (const m of [
      [0xd4, 0xc3, 0xb2, 0xa1],
      [0xa1, 0xb2, 0xc3, 0xd4],
      [0x4d, 0x3c, 0xb2, 0xa1],
      [0x0a, 0x0d, 0x0d, 0x0a],
    ]) {
      assert.equal(isCaptureHead(Uint8Array.from(m)), true, m.join(','));
    }
    assert.equal(isCaptureHead(new TextEncoder().encode('#separator')), false);
    assert.equal(isCaptureHead(new Uint8Array(2)), false);
  });
});
