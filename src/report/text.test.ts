import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defangDomain,
  defangEmail,
  defangIp,
  defangText,
  defangUrl,
  escapeHtml,
  escapeMarkdown,
  formatEvidence,
  formatTime,
  revealControls,
} from './text.js';

test('defang: URLs lose their live scheme and dotted host, path kept', () => {
  assert.equal(
    defangUrl('http://evil.example.com/a.b?x=1.2'),
    'hxxp://evil[.]example[.]com/a.b?x=1.2',
  );
  assert.equal(defangUrl('HTTPS://198.51.100.7:8080/x'), 'hxxps://198[.]51[.]100[.]7:8080/x');
  assert.equal(defangUrl('ftp://user@files.example.com/'), 'fxp://user[@]files[.]example[.]com/');
});

test('defang: domains, IPs and emails', () => {
  assert.equal(defangDomain('malicious.example.com'), 'malicious[.]example[.]com');
  assert.equal(defangIp('192.0.2.1'), '192[.]0[.]2[.]1');
  assert.equal(defangIp('2001:db8::1'), '2001[:]db8[:][:]1');
  assert.equal(defangEmail('a.b@mail.example.com'), 'a.b[@]mail[.]example[.]com');
});

test('defang: free text defangs URLs, www hosts and emails, not file names', () => {
  assert.equal(
    defangText('URLDownloadToFile 0, "http://evil.example.com/p.exe", "invoice.doc"'),
    'URLDownloadToFile 0, "hxxp://evil[.]example[.]com/p.exe", "invoice.doc"',
  );
  assert.equal(
    defangText('see www.example.com or x@example.org'),
    'see www[.]example[.]com or x[@]example[.]org',
  );
});

test('defang: defanging twice changes nothing', () => {
  for (const s of ['http://a.example.com/x', 'www.example.com', 'u@example.com']) {
    assert.equal(defangText(defangText(s)), defangText(s));
  }
  const url = defangUrl('http://u@a.example.com/');
  assert.equal(defangUrl(url), url);
  assert.equal(defangIp(defangIp('2001:db8::1')), defangIp('2001:db8::1'));
});

test('reveal: controls become control pictures, bidi overrides become visible code points', () => {
  assert.equal(revealControls('a\u0000b\u0007c\u007F'), 'a␀b␇c␡');
  assert.equal(revealControls('invoice\u202Efdp.exe'), 'invoice⟨U+202E⟩fdp.exe');
  assert.equal(revealControls('zero\u200Bwidth'), 'zero⟨U+200B⟩width');
  assert.equal(revealControls('line1\r\nline2\rline3\tx'), 'line1\nline2\nline3\tx');
});

test('escapeHtml: every markup character, text and attribute safe', () => {
  assert.equal(
    escapeHtml(`"><img src=x onerror='alert(1)'>&`),
    '&quot;&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&amp;',
  );
});

test('escapeMarkdown: pipes, backticks, brackets, HTML and newlines cannot break a table cell', () => {
  assert.equal(escapeMarkdown('a|b`c`'), 'a\\|b\\`c\\`');
  assert.equal(escapeMarkdown('[x](javascript:alert(1))'), '\\[x\\](javascript:alert(1))');
  assert.equal(escapeMarkdown('<script>'), '\\<script\\>');
  assert.equal(escapeMarkdown('one\ntwo'), 'one<br>two');
  assert.equal(escapeMarkdown('\\|'), '\\\\\\|');
});

test('formatEvidence: location, line, offset, text and note in one line; missing parts left out', () => {
  assert.equal(
    formatEvidence({ location: 'Module1', line: 3, offset: 16, text: 'Shell x', note: 'decoded' }),
    'Module1 L3 @0x10: Shell x — decoded',
  );
  assert.equal(formatEvidence({ text: 'only text' }), 'only text');
  assert.equal(formatEvidence({ location: 'hdr' }), 'hdr');
  assert.ok(formatEvidence({ text: 'x'.repeat(2000) }).length < 600);
});

test('formatTime: ISO to a readable UTC time', () => {
  assert.equal(formatTime('2024-01-02T03:04:05.678Z'), '2024-01-02 03:04:05 UTC');
});
