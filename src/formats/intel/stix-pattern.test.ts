import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseStixPattern } from './index.js';

const ok = (p: string) => {
  const r = parseStixPattern(p);
  assert.ok('indicators' in r, `${p}: ${'error' in r ? r.error : ''}`);
  return r.indicators.map((i) => `${i.type} ${i.value}`);
};
const refused = (p: string) => {
  const r = parseStixPattern(p);
  assert.ok('error' in r, p);
  return r.error;
};

describe('intel: STIX patterning subset', () => {
  test('equality on addresses, domains, URLs and file hashes; IN lists; ISSUBSET and CIDR values', () => {
    assert.deepEqual(ok("[ipv4-addr:value = '198.51.100.7']"), ['ip 198.51.100.7']);
    assert.deepEqual(ok("[ipv6-addr:value = '2001:db8::1']"), ['ip 2001:db8::1']);
    assert.deepEqual(ok("[ipv4-addr:value = '198.51.100.0/24']"), ['cidr 198.51.100.0/24']);
    assert.deepEqual(ok("[ipv4-addr:value ISSUBSET '198.51.100.0/24']"), ['cidr 198.51.100.0/24']);
    assert.deepEqual(ok("[domain-name:value = 'c2.example']"), ['domain c2.example']);
    assert.deepEqual(ok("[url:value = 'http://evil.example/it\\'s']"), [
      "url http://evil.example/it's",
    ]);
    assert.deepEqual(ok("[file:hashes.'SHA-256' = 'aa']"), ['sha256 aa']);
    assert.deepEqual(ok("[file:hashes.MD5 = 'bb']"), ['md5 bb']);
    assert.deepEqual(ok("[file:hashes.'SHA-1' = 'cc']"), ['sha1 cc']);
    assert.deepEqual(ok("[domain-name:value IN ('a.example', 'b.example')]"), [
      'domain a.example',
      'domain b.example',
    ]);
  });

  test('OR inside and between observations, parentheses; AND only between hashes of one file', () => {
    assert.deepEqual(ok("[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.2']"), [
      'ip 198.51.100.1',
      'ip 198.51.100.2',
    ]);
    assert.deepEqual(
      ok(
        "([domain-name:value = 'a.example'] OR [url:value = 'http://b.example/']) OR [ipv4-addr:value = '198.51.100.3']",
      ),
      ['domain a.example', 'url http://b.example/', 'ip 198.51.100.3'],
    );
    assert.deepEqual(ok("[file:hashes.MD5 = 'aa' AND (file:hashes.'SHA-256' = 'bb')]"), [
      'md5 aa',
      'sha256 bb',
    ]);
  });

  test('everything needing correlation or other objects is refused, with the reason', () => {
    assert.match(
      refused("[ipv4-addr:value = '198.51.100.1' AND domain-name:value = 'a.example']"),
      /AND of ipv4-addr and domain-name/,
    );
    assert.match(
      refused("[ipv4-addr:value = '198.51.100.1'] AND [domain-name:value = 'a.example']"),
      /AND between observations/,
    );
    assert.match(
      refused("[ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [domain-name:value = 'a.example']"),
      /FOLLOWEDBY/,
    );
    assert.match(
      refused("[ipv4-addr:value = '198.51.100.1'] WITHIN 10 SECONDS"),
      /qualifier WITHIN/,
    );
    assert.match(refused("[domain-name:value != 'a.example']"), /operator != is not supported/);
    assert.match(refused("[url:value MATCHES '^http']"), /operator MATCHES/);
    assert.match(refused("[url:value LIKE 'http%']"), /operator LIKE/);
    assert.match(refused("[NOT domain-name:value = 'a.example']"), /NOT is not supported/);
    assert.match(refused('[network-traffic:dst_port = 8080]'), /only string values|not supported/);
    assert.match(refused("[process:name = 'x.exe']"), /process:name is not supported/);
    assert.match(refused("[file:hashes.'SHA-512' = 'aa']"), /SHA-512 is not supported/);
    assert.match(refused("[file:name = h'00']"), /typed literal/);
    assert.match(refused("[domain-name:value = 'unterminated]"), /unterminated/);
    assert.match(refused("[domain-name:value = 'a'"), /end of pattern|expected/);
    assert.match(refused("[x:y[0] = 'a']"), /list indexes/);
  });

  test('hostile patterns: deep nesting and huge sizes are refused, not recursed into', () => {
    assert.match(
      refused(`${'('.repeat(1000)}[domain-name:value = 'a.example']${')'.repeat(1000)}`),
      /nested too deep/,
    );
    assert.match(refused(`[domain-name:value = '${'a'.repeat(70_000)}']`), /longer than/);
    const many = Array.from(
      { length: 10_001 },
      (_, i) => `[ipv4-addr:value = '198.51.100.${i % 256}']`,
    ).join(' OR ');
    assert.match(refused(many), /longer than|more than 10000/);
  });
});
