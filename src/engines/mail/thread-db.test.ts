import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMailContext, buildMime, type MimeSpec } from '../../../test/builders/mime.js';
import {
  createMailEngine,
  MAX_REFERENCES_CHECKED,
  normalizeMessageId,
  type SentMessageIndex,
} from './index.js';

const SENT: SentMessageIndex = {
  orgDomains: new Set(['example.co.jp']),
  lookup: (id) => (id === 'quote-1@mx.victim.example.co.jp' ? ['example.jp'] : undefined),
};

const findingsOf = async (spec: MimeSpec, index = SENT) => {
  const engine = createMailEngine({ sentMessages: index });
  const out = await engine.analyze(buildMailContext(await buildMime(spec)));
  return (out.findings ?? []).filter((f) => f.id.includes('thread'));
};

const reply = (from: string, ref: string, extra: Partial<MimeSpec> = {}): MimeSpec => ({
  from,
  to: 'tanaka@victim.example.co.jp',
  subject: 'RE: 見積書',
  text: 'ご確認ください。',
  headers: [
    { key: 'In-Reply-To', value: ref },
    { key: 'References', value: ref },
  ],
  ...extra,
});

test('msgid db: a reply to a Message-ID of the organisation it never sent is flagged (forged thread)', async () => {
  const found = await findingsOf(
    reply('sato@partner.example.jp', '<forged-9@mx.victim.example.co.jp>'),
  );
  assert.deepEqual(
    found.map((f) => f.id),
    ['mail.unknown-thread-reference'],
  );
  assert.equal(found[0]!.evidence[0]!.text, '<forged-9@mx.victim.example.co.jp>');
  assert.equal(found[0]!.evidence[0]!.location, 'In-Reply-To');
});

test('msgid db: the real correspondent answering a sent message is clean', async () => {
  const found = await findingsOf(
    reply('sato@partner.example.jp', '<Quote-1@MX.victim.example.co.jp>'),
  );
  assert.deepEqual(found, []);
});

test('msgid db: a sender outside both sides of a real sent conversation is a confirmed hijack (high)', async () => {
  const found = await findingsOf(
    reply('someone@compromised.example.net', '<quote-1@mx.victim.example.co.jp>'),
  );
  assert.deepEqual(
    found.map((f) => [f.id, f.severity]),
    [['mail.thread-hijack-known-thread', 'high']],
  );
  assert.match(found[0]!.evidence[0]!.note!, /sent to example\.jp, from example\.net/);
});

test('msgid db: references to other organisations’ Message-IDs are not the organisation’s business', async () => {
  const found = await findingsOf(reply('a@other.example.org', '<x1@mail.other.example.org>'));
  assert.deepEqual(found, []);
});

test('msgid db: without the index the engine reports neither finding', async () => {
  const out = await createMailEngine().analyze(
    buildMailContext(
      await buildMime(reply('x@compromised.example.net', '<forged@mx.victim.example.co.jp>')),
    ),
  );
  assert.ok(
    !(out.findings ?? []).some((f) => f.id === 'mail.unknown-thread-reference'),
    'no db, no check',
  );
});

test(`msgid db: at most ${MAX_REFERENCES_CHECKED} references are looked up, the rest ignored`, async () => {
  const lookups: string[] = [];
  const counting: SentMessageIndex = {
    orgDomains: new Set(['example.co.jp']),
    lookup: (id) => (lookups.push(id), ['partner.example.jp']),
  };
  const refs = (n: number) =>
    Array.from({ length: n }, (_, i) => `<r${i}@mx.victim.example.co.jp>`).join(' ');
  await findingsOf(
    {
      ...reply('sato@partner.example.jp', '<r0@mx.victim.example.co.jp>'),
      headers: [{ key: 'References', value: refs(MAX_REFERENCES_CHECKED) }],
    },
    counting,
  );
  assert.equal(lookups.length, MAX_REFERENCES_CHECKED, 'at the limit: all looked up');
  lookups.length = 0;
  await findingsOf(
    {
      ...reply('sato@partner.example.jp', '<r0@mx.victim.example.co.jp>'),
      headers: [{ key: 'References', value: refs(MAX_REFERENCES_CHECKED + 50) }],
    },
    counting,
  );
  assert.equal(lookups.length, MAX_REFERENCES_CHECKED, 'over the limit: capped');
});

test('normalizeMessageId: brackets and case do not matter', () => {
  assert.equal(normalizeMessageId(' <AbC.1@Example.COM> '), 'abc.1@example.com');
});
