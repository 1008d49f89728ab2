import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractIndicators } from './index.js';

test('indicators: URLs with their hosts and IPs, trailing punctuation cut', () => {
  const iocs = extractIndicators(
    'Get "http://www.example.com/a/inv.doc", then http://192.0.2.10:8080/x).',
  );
  assert.deepEqual(iocs.urls, ['http://www.example.com/a/inv.doc', 'http://192.0.2.10:8080/x']);
  assert.deepEqual(iocs.domains, ['www.example.com']);
  assert.deepEqual(iocs.ips, ['192.0.2.10']);
});

test('indicators: defanged forms are refanged', () => {
  const iocs = extractIndicators('hxxps://evil[.]example[.]net/p and user[@]example.org');
  assert.deepEqual(iocs.urls, ['https://evil.example.net/p']);
  assert.deepEqual(iocs.emails, ['user@example.org']);
});

test('indicators: version strings are not IPs, valid quads are', () => {
  const iocs = extractIndicators('version 1.2.3.4.5 and 10.0.0.256 but 203.0.113.9');
  assert.deepEqual(iocs.ips, ['203.0.113.9']);
});

test('indicators: executable file names with their paths', () => {
  const iocs = extractIndicators(
    'saved to C:\\Users\\Public\\upd.exe and %TEMP%\\a.dll; WScript.Shell no',
  );
  assert.deepEqual(iocs.files, ['C:\\Users\\Public\\upd.exe', '%TEMP%\\a.dll']);
});

test('indicators: at most maxPerKind values per kind', () => {
  const text = Array.from({ length: 50 }, (_, i) => `http://h${i}.example.com/`).join(' ');
  assert.equal(extractIndicators(text, { maxPerKind: 10 }).urls.length, 10);
});

test('indicators: URL lists joined with * @ , separators (Emotet loaders) are split', () => {
  const iocs = extractIndicators(
    "'http://a.example.com/x/*http://b.example.com/y/@https://192.0.2.4/z/,http://c.example.org/'.Split('*')",
  );
  assert.deepEqual(iocs.urls, [
    'http://a.example.com/x/',
    'http://b.example.com/y/',
    'https://192.0.2.4/z/',
    'http://c.example.org/',
  ]);
});
