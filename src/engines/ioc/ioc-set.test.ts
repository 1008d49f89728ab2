import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildIocSet,
  CidrTree,
  IocSet,
  Ipv4Index,
  Ipv4PrefixTable,
  loadIocSet,
  type IocInput,
} from './index.js';

const set = (iocs: Omit<IocInput, 'source'>[], source = 'feed') =>
  buildIocSet(iocs.map((i) => ({ source, ...i })));
const ip = (s: IocSet, a: string, port?: number) =>
  s.matchIp(a, port).map((h) => `${h.type} ${h.value}`);

describe('ioc: matchers', () => {
  test('addresses: ip:port before ip before the longest CIDR; only the listed port matches ip:port', () => {
    const s = set([
      { type: 'ip', value: '198.51.100.7' },
      { type: 'ip-port', value: '198.51.100.7:8080' },
      { type: 'cidr', value: '198.51.0.0/16' },
      { type: 'cidr', value: '198.51.100.0/24' },
    ]);
    assert.deepEqual(ip(s, '198.51.100.7', 8080), [
      'ip-port 198.51.100.7:8080',
      'ip 198.51.100.7',
      'cidr 198.51.100.0/24',
    ]);
    assert.deepEqual(ip(s, '198.51.100.7', 443), ['ip 198.51.100.7', 'cidr 198.51.100.0/24']);
    assert.deepEqual(ip(s, '198.51.7.7'), ['cidr 198.51.0.0/16']);
    assert.deepEqual(ip(s, '198.52.0.1'), []);
  });

  test('CIDR edges: first and last address inside, neighbours outside; /0 matches all; IPv6 prefixes', () => {
    const s = set([
      { type: 'cidr', value: '198.51.100.128/25' },
      { type: 'cidr', value: '2001:db8:abcd::/48' },
    ]);
    assert.deepEqual(ip(s, '198.51.100.128'), ['cidr 198.51.100.128/25']);
    assert.deepEqual(ip(s, '198.51.100.255'), ['cidr 198.51.100.128/25']);
    assert.deepEqual(ip(s, '198.51.100.127'), []);
    assert.deepEqual(ip(s, '198.51.101.0'), []);
    assert.deepEqual(ip(s, '2001:db8:abcd:ffff::1'), ['cidr 2001:db8:abcd::/48']);
    assert.deepEqual(
      ip(s, '2001:0db8:abcd:0000:0000:0000:0000:0001'),
      ['cidr 2001:db8:abcd::/48'],
      'uncompressed IPv6 as Suricata may print it',
    );
    assert.deepEqual(ip(s, '2001:db8:abce::1'), []);
    assert.deepEqual(ip(set([{ type: 'cidr', value: '0.0.0.0/0' }]), '203.0.113.9'), [
      'cidr 0.0.0.0/0',
    ]);
    const tree = new CidrTree();
    tree.insert(new Uint8Array([10, 0, 0, 0]), 8, 1);
    tree.insert(new Uint8Array([10, 1, 0, 0]), 16, 2);
    assert.deepEqual(
      [tree.lookup32(0x0a010203), tree.lookup32(0x0a020203), tree.lookup32(0x0b000000), tree.size],
      [2, 1, -1, 2],
    );
  });

  test('IPv6 addresses match whatever text form the log used; mapped IPv4 matches the IPv4 indicator', () => {
    const s = set([
      { type: 'ip', value: '2001:db8::1' },
      { type: 'ip', value: '198.51.100.9' },
    ]);
    assert.deepEqual(ip(s, '2001:DB8:0:0:0:0:0:1'), ['ip 2001:db8::1']);
    assert.deepEqual(ip(s, '::ffff:198.51.100.9'), ['ip 198.51.100.9']);
  });

  test('domains match themselves and subdomains, never parents or look-alikes; case, trailing dot and IDN', () => {
    const s = set([
      { type: 'domain', value: 'evil.example' },
      { type: 'domain', value: 'Bücher.example' },
    ]);
    const d = (name: string) => s.matchDomain(name)?.value;
    assert.equal(d('evil.example'), 'evil.example');
    assert.equal(d('a.b.EVIL.example.'), 'evil.example');
    assert.equal(d('example'), undefined);
    assert.equal(d('notevil.example'), undefined);
    assert.equal(d('evil.example.com'), undefined);
    assert.equal(d('www.bücher.example'), 'xn--bcher-kva.example');
    assert.equal(d('www.xn--bcher-kva.example'), 'xn--bcher-kva.example');
  });

  test('URLs match on the normal form, scheme-insensitively; a different path or port does not', () => {
    const s = set([{ type: 'url', value: 'https://Evil.example/Path/a.doc?x=%7e' }]);
    const u = (url: string) => s.matchUrl(url)?.type;
    assert.equal(u('http://evil.example/Path/a.doc?x=~'), 'url');
    assert.equal(u('HTTPS://EVIL.EXAMPLE:443/Path/./a.doc/?x=%7E#f'), 'url');
    assert.equal(u('http://evil.example/path/a.doc?x=~'), undefined, 'paths are case-sensitive');
    assert.equal(u('http://evil.example:8080/Path/a.doc?x=~'), undefined);
    assert.equal(u('http://evil.example/Path/a.doc'), undefined);
  });

  test('hashes are case-insensitive; JA3 and MD5 are separate sets; a value from two feeds names both', () => {
    const s = buildIocSet([
      { type: 'sha256', value: 'AB'.repeat(32), source: 'misp:CIRCL', malware: 'Emotet' },
      { type: 'sha256', value: 'ab'.repeat(32), source: 'threatfox' },
      { type: 'ja3', value: 'cd'.repeat(16), source: 'sslbl' },
    ]);
    const hit = s.matchHash('sha256', 'Ab'.repeat(32))!;
    assert.deepEqual(
      hit.metas.map((m) => m.source),
      ['misp:CIRCL', 'threatfox'],
    );
    assert.equal(s.matchHash('md5', 'cd'.repeat(16)), undefined);
    assert.equal(s.matchHash('ja3', 'cd'.repeat(16))?.type, 'ja3');
    assert.equal(s.size, 2);
    assert.deepEqual(
      Object.entries(s.counts()).filter(([, n]) => n > 0),
      [
        ['sha256', 1],
        ['ja3', 1],
      ],
    );
  });

  test('invalid values are counted and left out; metadata objects are shared between indicators', () => {
    const s = new IocSet();
    assert.equal(s.add({ type: 'ip', value: '999.1.1.1', source: 'x' }), false);
    assert.equal(s.rejected, 1);
    for (let i = 0; i < 1000; i++)
      s.add({
        type: 'ip',
        value: `198.51.${i >> 8}.${i & 255}`,
        source: 'feodotracker',
        malware: 'Emotet',
        tags: ['c2'],
      });
    const a = s.matchIp('198.51.0.1')[0]!.metas[0];
    const b = s.matchIp('198.51.3.200')[0]!.metas[0];
    assert.equal(a, b);
    assert.equal(s.size, 1000);
  });
});

describe('ioc: bounds and typed-array indexes', () => {
  test('a set holds at most maxIocs: the next new value is dropped and counted, a known one still gains its feed', async () => {
    const s = buildIocSet(
      [
        { type: 'ip', value: '198.51.100.1', source: 'a' },
        { type: 'domain', value: 'c2.example', source: 'a' },
        { type: 'ip', value: '198.51.100.2', source: 'a' },
        { type: 'domain', value: 'c2.example', source: 'b' },
      ],
      { maxIocs: 2 },
    );
    assert.equal(s.size, 2);
    assert.equal(s.dropped, 1);
    assert.deepEqual(
      s.matchDomain('c2.example')!.metas.map((m) => m.source),
      ['a', 'b'],
    );
    const loaded = await loadIocSet(
      (async function* () {
        yield {
          type: 'ip' as const,
          value: '198.51.100.9',
          source: 'store',
          malware: null,
          confidence: null,
        };
      })(),
    );
    assert.equal(loaded.matchIp('198.51.100.9')[0]!.metas[0]!.source, 'store');
  });

  test('Ipv4Index grows past its first table and keeps every key, 0.0.0.0 included', () => {
    const index = new Ipv4Index();
    for (let i = 1; i <= 5000; i++) index.set((i * 2654435761) >>> 0, i);
    index.set(0, 99);
    assert.equal(index.size, 5001);
    for (let i = 1; i <= 5000; i++) assert.equal(index.get((i * 2654435761) >>> 0), i);
    assert.equal(index.get(0), 99);
    assert.equal(index.get(1), -1);
  });

  test('Ipv4PrefixTable: longest prefix first, /0 and /32, boundaries', () => {
    const t = new Ipv4PrefixTable();
    t.insert(0x0a000000, 8, 1);
    t.insert(0x0a010000, 16, 2);
    t.insert(0x0a010203, 32, 3);
    t.insert(0, 0, 4);
    assert.deepEqual(
      [t.lookup(0x0a010203), t.lookup(0x0a010204), t.lookup(0x0a020000), t.lookup(0x0b000000)],
      [3, 2, 1, 4],
    );
    assert.equal(t.size, 4);
  });
});
