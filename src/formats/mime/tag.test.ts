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

test('tag: the body is copied byte for byte, 8-bit and large bodies included', () => {
  const body = new Uint8Array(3 * 1024 * 1024);
  for (let i = 0; i < body.length; i++) body[i] = (i * 131) & 0xff;
  for (const eol of ['\r\n', '\n']) {
    const head = new TextEncoder().encode(`From: a@example.com${eol}Subject: hi${eol}${eol}`);
    const raw = new Uint8Array(head.length + body.length);
    raw.set(head);
    raw.set(body, head.length);
    const tagged = tagMessage(raw, { header: 'X-Emoguard-Verdict', value: 'suspicious' });
    const top = `X-Emoguard-Verdict: suspicious${eol}From: a@example.com${eol}Subject: hi${eol}${eol}`;
    assert.equal(new TextDecoder('latin1').decode(tagged.subarray(0, top.length)), top);
    assert.deepEqual(tagged.subarray(top.length), body, `body kept with ${JSON.stringify(eol)}`);
  }
});
