import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LogEvent } from '../../core/index.js';
import { viewOf } from './index.js';

const event = (data: Record<string, unknown>): LogEvent => ({
  kind: 'network',
  source: { path: 'x', line: 1 },
  data,
});

describe('netlog: one view over every log', () => {
  test('Zeek http.log: tuple, method, host, uri, agent, sniffed types, and the record field of each', () => {
    const v = viewOf(
      event({
        _path: 'http',
        'id.orig_h': '10.0.0.5',
        'id.orig_p': 49713,
        'id.resp_h': '203.0.113.20',
        'id.resp_p': 8080,
        method: 'GET',
        host: 'example.com',
        uri: '/a.dll',
        user_agent: 'Microsoft BITS/7.8',
        status_code: 200,
        resp_mime_types: ['application/x-dosexec'],
      }),
    );
    assert.equal(v.kind, 'http');
    assert.deepEqual(
      [v.srcIp, v.dstIp, v.dstPort, v.method, v.host, v.uri, v.userAgent, v.status],
      ['10.0.0.5', '203.0.113.20', 8080, 'GET', 'example.com', '/a.dll', 'Microsoft BITS/7.8', 200],
    );
    assert.deepEqual(v.sniffedTypes, ['application/x-dosexec']);
    assert.equal(v.fields.dstIp, 'id.resp_h');
    assert.equal(v.fields.host, 'host');
  });

  test('Zeek dns/ssl/files (and pre-5.0 files.log hosts) map to queries, SNI/JA3, hashes', () => {
    assert.deepEqual(viewOf(event({ _path: 'dns', query: 'c2.example' })).queries, ['c2.example']);
    const ssl = viewOf(
      event({ _path: 'ssl', server_name: 'c2.example', ja3: 'a'.repeat(32), ja3s: 'b'.repeat(32) }),
    );
    assert.deepEqual(
      [ssl.kind, ssl.sni, ssl.ja3, ssl.ja3s],
      ['tls', 'c2.example', 'a'.repeat(32), 'b'.repeat(32)],
    );
    const files = viewOf(
      event({
        _path: 'files',
        tx_hosts: ['203.0.113.20'],
        rx_hosts: ['10.0.0.5'],
        sha256: 'c'.repeat(64),
        mime_type: 'application/x-dosexec',
        filename: 'a.jpg',
      }),
    );
    assert.deepEqual(
      [files.kind, files.dstIp, files.srcIp, files.sha256, files.fields.dstIp],
      ['file', '203.0.113.20', '10.0.0.5', 'c'.repeat(64), 'tx_hosts'],
    );
    assert.deepEqual(files.filenames, ['a.jpg']);
  });

  test('Suricata: http, dns v2 and v3 (replies turned to the client), tls JA3/JA3S, fileinfo, alert metadata', () => {
    const http = viewOf(
      event({
        event_type: 'http',
        src_ip: '10.0.0.5',
        dest_ip: '203.0.113.20',
        dest_port: 80,
        proto: 'TCP',
        http: {
          hostname: 'example.com',
          url: '/x',
          http_method: 'POST',
          http_user_agent: 'ua',
          http_content_type: 'image/png',
          status: 200,
        },
      }),
    );
    assert.deepEqual(
      [http.kind, http.proto, http.host, http.uri, http.method, http.declaredType],
      ['http', 'tcp', 'example.com', '/x', 'POST', 'image/png'],
    );
    const v2 = viewOf(
      event({
        event_type: 'dns',
        src_ip: '10.0.0.5',
        dest_ip: '10.0.0.53',
        dns: { type: 'query', rrname: 'c2.example' },
      }),
    );
    assert.deepEqual(v2.queries, ['c2.example']);
    const v3 = viewOf(
      event({
        event_type: 'dns',
        src_ip: '10.0.0.53',
        dest_ip: '10.0.0.5',
        dns: {
          version: 3,
          type: 'response',
          queries: [{ rrname: 'c2.example' }, { rrname: 'b.example' }],
        },
      }),
    );
    assert.deepEqual(
      [v3.srcIp, v3.dstIp, v3.queries, v3.fields.queries],
      ['10.0.0.5', '10.0.0.53', ['c2.example', 'b.example'], 'dns.queries[].rrname'],
    );
    const tls = viewOf(
      event({
        event_type: 'tls',
        tls: {
          sni: 'c2.example',
          ja3: { hash: 'a'.repeat(32), string: '771,…' },
          ja3s: { hash: 'b'.repeat(32) },
        },
      }),
    );
    assert.deepEqual(
      [tls.sni, tls.ja3, tls.ja3s, tls.fields.ja3],
      ['c2.example', 'a'.repeat(32), 'b'.repeat(32), 'tls.ja3.hash'],
    );
    const file = viewOf(
      event({
        event_type: 'fileinfo',
        http: { hostname: 'example.com', url: '/a.png' },
        fileinfo: { filename: '/a.png', magic: 'PE32 executable (DLL)', sha256: 'c'.repeat(64) },
      }),
    );
    assert.deepEqual(
      [file.kind, file.sha256, file.sniffedTypes],
      ['file', 'c'.repeat(64), ['PE32 executable (DLL)']],
    );
    const alert = viewOf(
      event({
        event_type: 'alert',
        alert: {
          signature: 'ET MALWARE Win32/Emotet CnC Activity',
          signature_id: 2030000,
          metadata: { malware_family: ['Emotet'] },
        },
      }),
    );
    assert.deepEqual(
      [alert.kind, alert.signatureId, alert.malwareFamilies],
      ['alert', 2030000, ['Emotet']],
    );
  });

  test('proxy records: absolute URL split to host and path; CONNECT is TLS to host:port', () => {
    const get = viewOf(
      event({
        _path: 'squid',
        client_ip: '10.0.0.5',
        method: 'GET',
        url: 'http://example.com/a/b.exe?x=1',
        host: 'example.com',
        server_ip: '203.0.113.9',
        content_type: 'image/jpeg',
      }),
    );
    assert.deepEqual(
      [get.kind, get.uri, get.dstIp, get.declaredType],
      ['http', '/a/b.exe?x=1', '203.0.113.9', 'image/jpeg'],
    );
    const connect = viewOf(
      event({
        _path: 'squid',
        method: 'CONNECT',
        url: 'c2.example:443',
        host: 'c2.example',
        server_port: 443,
        server_ip: 'c2.example',
      }),
    );
    assert.deepEqual([connect.kind, connect.sni, connect.dstIp], ['tls', 'c2.example', undefined]);
  });
});
