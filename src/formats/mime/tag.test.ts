import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tagMessage } from './index.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const dec = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
const TAG = {
  header: 'X-Emoguard-Verdict',
  value: 'suspicious; mail.auth-fail',
  subjectPrefix: '[SUSPICIOUS] ',
};

test('tag: verdict header on top, subject prefixed, body bytes untouched', () => {
  const raw = 'From: a@example.com\r\nSubject: =?UTF-8?B?6KuL5rGC5pu4?=\r\n\r\nbody\xe9\r\n';
  assert.equal(
    dec(tagMessage(enc(raw), TAG)),
    'X-Emoguard-Verdict: suspicious; mail.auth-fail\r\nFrom: a@example.com\r\nSubject: [SUSPICIOUS] =?UTF-8?B?6KuL5rGC5pu4?=\r\n\r\nbody\xe9\r\n',
  );
});

test('tag: a forged verdict header (folded too) is removed before ours is added', () => {
  const raw = 'X-Emoguard-Verdict: clean\r\n  (forged)\r\nSubject: hi\r\n\r\nb';
  const out = dec(tagMessage(enc(raw), TAG));
  assert.equal(out.match(/X-Emoguard-Verdict/g)?.length, 1);
  assert.doesNotMatch(out, /forged/);
});

test('tag: a missing subject is added; LF-only messages keep LF', () => {
  assert.equal(
    dec(tagMessage(enc('From: a@example.com\n\nb'), TAG)),
    'X-Emoguard-Verdict: suspicious; mail.auth-fail\nFrom: a@example.com\nSubject: [SUSPICIOUS]\n\nb',
  );
});

test('tag: a header value cannot inject lines', () => {
  const out = dec(
    tagMessage(enc('Subject: s\r\n\r\nb'), {
      header: 'X-V',
      value: 'a\r\nBcc: victim@example.com',
    }),
  );
  assert.doesNotMatch(out, /\r\nBcc:/);
});
