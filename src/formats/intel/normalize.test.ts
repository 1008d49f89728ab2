import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  classifyIndicator,
  normalizeCidr,
  normalizeDomain,
  normalizeIoc,
  normalizeIp,
  normalizeUrl,
  urlKey,
} from './index.js';

describe('intel: normal forms', () => {
  test('IPv4 is strict (no leading zeros, octets ≤ 255); IPv6 follows RFC 5952; mapped IPv4 becomes IPv4', () => {
    assert.equal(normalizeIp('198.51.100.7'), '198.51.100.7');
    for (const bad of ['198.51.100.256', '198.051.100.7', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '']) {
      assert.equal(normalizeIp(bad), undefined, bad);
    }
    assert.equal(normalizeIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(normalizeIp('2001:0db8:0000:0000:0001:0000:0000:0001'), '2001:db8::1:0:0:1');
    assert.equal(
      normalizeIp('2001:db8:0:1:1:1:1:1'),
      '2001:db8:0:1:1:1:1:1',
      'one zero group is not compressed',
    );
    assert.equal(normalizeIp('[::1]'), '::1');
    assert.equal(normalizeIp('::'), '::');
    assert.equal(normalizeIp('::ffff:198.51.100.7'), '198.51.100.7');
    assert.equal(normalizeIp('64:ff9b::198.51.100.7'), '64:ff9b::c633:6407');
    for (const bad of ['2001:db8::1::2', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '12345::', ':::']) {
      assert.equal(normalizeIp(bad), undefined, bad);
    }
  });

  test('CIDR: host bits cleared, /32 and /128 are plain IPs, edges /0 and too-long prefixes', () => {
    assert.deepEqual(normalizeCidr('198.51.100.77/24'), {
      value: '198.51.100.0/24',
      isHost: false,
    });
    assert.deepEqual(normalizeCidr('198.51.100.77/25'), {
      value: '198.51.100.0/25',
      isHost: false,
    });
    assert.deepEqual(normalizeCidr('198.51.100.200/25'), {
      value: '198.51.100.128/25',
      isHost: false,
    });
    assert.deepEqual(normalizeCidr('198.51.100.7/32'), { value: '198.51.100.7', isHost: true });
    assert.deepEqual(normalizeCidr('0.0.0.0/0'), { value: '0.0.0.0/0', isHost: false });
    assert.deepEqual(normalizeCidr('2001:db8:abcd::1/48'), {
      value: '2001:db8:abcd::/48',
      isHost: false,
    });
    assert.deepEqual(normalizeCidr('2001:db8::1/128'), { value: '2001:db8::1', isHost: true });
    assert.equal(normalizeCidr('198.51.100.0/33'), undefined);
    assert.equal(normalizeCidr('2001:db8::/129'), undefined);
  });

  test('domains: lower case, trailing dot dropped, IDNA to punycode; IPs and garbage are not domains', () => {
    assert.equal(normalizeDomain('C2.Example.COM.'), 'c2.example.com');
    assert.equal(normalizeDomain('Bücher.example'), 'xn--bcher-kva.example');
    assert.equal(normalizeDomain('_dmarc.example.com'), '_dmarc.example.com');
    for (const bad of [
      '198.51.100.7',
      'localhost',
      'a..b',
      '-a.example',
      'a b.example',
      'x.123',
      `${'a'.repeat(64)}.example`,
    ]) {
      assert.equal(normalizeDomain(bad), undefined, bad);
    }
  });

  test('URLs: scheme/host case, default port, dot segments, unreserved escapes, trailing slash, fragment', () => {
    const cases: [string, string | undefined][] = [
      ['HTTP://Evil.EXAMPLE:80/a/./b/../c/', 'http://evil.example/a/c'],
      ['https://evil.example:443/', 'https://evil.example/'],
      ['https://evil.example:8443/x', 'https://evil.example:8443/x'],
      [
        'http://evil.example/%7euser/%2fetc%2Fpasswd?q=%7e%2f#frag',
        'http://evil.example/~user/%2Fetc%2Fpasswd?q=~%2F',
      ],
      ['http://Bücher.example/Ä', 'http://xn--bcher-kva.example/%C3%84'],
      ['http://[2001:DB8::1]:8080/a', 'http://[2001:db8::1]:8080/a'],
      ['javascript:alert(1)', undefined],
      ['not a url', undefined],
    ];
    for (const [raw, want] of cases) assert.equal(normalizeUrl(raw), want, raw);
    assert.equal(
      urlKey('https://evil.example/a'),
      urlKey('http://evil.example/a'),
      'matching ignores the scheme',
    );
  });

  test('hashes, ip:port and JA3 by length and hex; wrong lengths refused with the reason', () => {
    assert.deepEqual(normalizeIoc('sha256', 'AB'.repeat(32)), { value: 'ab'.repeat(32) });
    assert.deepEqual(normalizeIoc('ip-port', '[2001:DB8::1]:443'), { value: '[2001:db8::1]:443' });
    assert.deepEqual(normalizeIoc('ip-port', '198.51.100.7:8080'), { value: '198.51.100.7:8080' });
    assert.ok('error' in normalizeIoc('ip-port', '198.51.100.7:0'));
    assert.ok('error' in normalizeIoc('md5', 'ab'.repeat(20)));
    assert.match((normalizeIoc('ja3', 'xyz') as { error: string }).error, /not a valid ja3/);
  });

  test('plain-list lines are classified: URL, host/path, CIDR, IP, ip:port, domain, hash by length', () => {
    const c = (s: string) => classifyIndicator(s);
    assert.deepEqual(c('http://evil.example/a'), { type: 'url', value: 'http://evil.example/a' });
    assert.deepEqual(c('evil.example/a.exe'), { type: 'url', value: 'http://evil.example/a.exe' });
    assert.deepEqual(c('198.51.100.0/24'), { type: 'cidr', value: '198.51.100.0/24' });
    assert.deepEqual(c('198.51.100.7/32'), { type: 'ip', value: '198.51.100.7' });
    assert.deepEqual(c('198.51.100.7:7080'), { type: 'ip-port', value: '198.51.100.7:7080' });
    assert.deepEqual(c('C2.Example'), { type: 'domain', value: 'c2.example' });
    assert.deepEqual(c('ab'.repeat(16)), { type: 'md5', value: 'ab'.repeat(16) });
    assert.deepEqual(classifyIndicator('ab'.repeat(16), 'ja3'), {
      type: 'ja3',
      value: 'ab'.repeat(16),
    });
    assert.deepEqual(c('ab'.repeat(20)), { type: 'sha1', value: 'ab'.repeat(20) });
    assert.deepEqual(c('ab'.repeat(32)), { type: 'sha256', value: 'ab'.repeat(32) });
    assert.equal(c('hello'), undefined);
    assert.equal(c('x'.repeat(9000)), undefined);
  });
});
