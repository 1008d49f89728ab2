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

test('indicators: file names are those a plain scan of the whole text finds, near and far apart', () => {
  const reference =
    /(?:[A-Za-z]:\\|%\w{1,32}%\\|\\\\)?(?:[\w.$ -]{1,64}\\){0,16}[\w.$-]{1,128}\.(?:exe|dll|scr|pif|bat|cmd|vbs|vbe|jse?|wsf|wsh|hta|ps1|psm1|lnk|jar|msi|cpl|ocx|sys|com)(?![\w])/gi;
  const deepPath = `%${'T'.repeat(32)}%\\${Array.from({ length: 16 }, () => `${'d'.repeat(64)}\\`).join('')}${'n'.repeat(128)}.psm1`;
  const texts = [
    'cmd.exe /c start a.jse b.jsex c.js. d.JS e..exe .exe x.exe.y',
    `${'filler text '.repeat(400)}C:\\Users\\Public\\upd.exe${' pad'.repeat(500)}\\\\srv\\s\\b.dll`,
    `${deepPath} and ${'w'.repeat(130)}.exe and ${'a b\\'.repeat(40)}c.cmd`,
    'x.exe.exe.exe %TEMP%\\a.dll;%TEMP%\\b.dll C:\\a\\b c\\d.vbs',
    'say "C:\\Program Files\\x y\\run.bat" (D:\\a.cpl) <\\\\host\\share\\z.ocx> ünï.exe a\tb.exe',
    `${'$-_. '.repeat(300)}k.exe`,
  ];
  for (const text of texts) {
    const expected = [...new Set([...text.matchAll(reference)].map((m) => m[0].trim()))];
    assert.deepEqual(extractIndicators(text).files, expected, text.slice(0, 60));
  }
});
