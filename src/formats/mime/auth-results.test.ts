import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAuthenticationResults } from './auth-results.js';

const summary = (value: string) =>
  parseAuthenticationResults(value).map((r) => `${r.method}=${r.result}`);

test('auth-results: RFC 8601 example with comments and properties', () => {
  const results = parseAuthenticationResults(
    'mx.example.com 1; spf=softfail (sender IP is 192.0.2.1; not permitted) smtp.mailfrom=example.net;\r\n' +
      ' dkim=pass header.d=example.net; dmarc=fail (p=reject dis=none) header.from=example.net',
  );
  assert.deepEqual(
    results.map((r) => [r.method, r.result, r.authservId]),
    [
      ['spf', 'softfail', 'mx.example.com'],
      ['dkim', 'pass', 'mx.example.com'],
      ['dmarc', 'fail', 'mx.example.com'],
    ],
  );
  assert.equal(
    results[0]?.raw,
    'spf=softfail (sender IP is 192.0.2.1; not permitted) smtp.mailfrom=example.net',
  );
});

test('auth-results: "none" and garbage give no results', () => {
  assert.deepEqual(summary('mx.example.com; none'), []);
  assert.deepEqual(summary(''), []);
  assert.deepEqual(summary(';;;(((")))'), []);
});

test('auth-results: Microsoft-style results without spaces and with a version', () => {
  assert.deepEqual(
    summary(
      'spf=fail (sender IP is 198.51.100.7) smtp.mailfrom=example.com; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=example.com;compauth=fail reason=001',
    ),
    ['spf=fail', 'dkim=none', 'dmarc=fail', 'compauth=fail'],
  );
  assert.deepEqual(summary('mx.example.com; dkim/1=PASS header.i=@example.com'), ['dkim=pass']);
});

test('auth-results: results glued without ";" are still split', () => {
  assert.deepEqual(
    summary('mx.example.com; spf=pass smtp.mailfrom=a.example dkim=fail header.d=a.example'),
    ['spf=pass', 'dkim=fail'],
  );
});

test('auth-results: a quoted ";" or "=" does not split', () => {
  assert.deepEqual(summary('mx.example.com; auth=pass smtp.auth="a;dkim=fail"'), ['auth=pass']);
});

test('auth-results: results per header are capped', () => {
  const value = `mx.example.com; ${'spf=fail; '.repeat(500)}`;
  assert.equal(parseAuthenticationResults(value).length, 64);
});
