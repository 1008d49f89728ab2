import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKnownTechnique, verdictOf, type EngineOutput } from '../../core/index.js';
import {
  buildForwardMail,
  buildJapaneseMail,
  buildMailContext,
  buildManyPartsMail,
  buildMime,
  buildNestedMultipartBomb,
  rawMail,
  type MimeSpec,
} from '../../../test/builders/mime.js';
import { mailEngine } from './index.js';

async function scanBytes(bytes: Uint8Array): Promise<EngineOutput> {
  return mailEngine.analyze(buildMailContext(bytes));
}
const scan = async (spec: MimeSpec) => scanBytes(await buildMime(spec));
const ids = (out: EngineOutput) => (out.findings ?? []).map((f) => f.id).sort();
const evidenceOf = (out: EngineOutput, id: string) =>
  out.findings?.find((f) => f.id === id)?.evidence ?? [];

const NEWSLETTER: MimeSpec = {
  from: 'Example News <news@example.com>',
  replyTo: 'editor@news.example.com',
  subject: 'Our spring newsletter',
  text: 'Read online: https://www.example.com/news/spring.html',
  html: '<p>Hello!</p><a href="https://www.example.com/news/spring.html?a=1&amp;b=2">Read</a> <a href="mailto:news@example.com">mail us</a>',
  headers: [
    {
      key: 'Authentication-Results',
      value:
        'mx.example.org; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com; dmarc=pass',
    },
  ],
};

test('mail engine: declares its findings with stable ids, step 1 and known ATT&CK ids', () => {
  assert.equal(mailEngine.name, 'mail');
  assert.deepEqual(mailEngine.types, ['eml', 'mbox', 'msg']);
  for (const { def } of mailEngine.findings) {
    assert.match(def.id, /^mail\.[a-z0-9-]+$/);
    assert.equal(def.step, '1');
    for (const id of def.attack) assert.ok(isKnownTechnique(id), `${def.id}: ${id}`);
  }
});

test('mail engine: a benign newsletter has no findings and stays clean', async () => {
  const out = await scan(NEWSLETTER);
  assert.deepEqual(ids(out), []);
  assert.equal(verdictOf(out.findings ?? []), 'clean');
  assert.deepEqual(out.children, []);
});

test('mail engine: IOCs come from text, html and hrefs; e-mails from headers and body', async () => {
  const out = await scan({
    ...NEWSLETTER,
    to: 'someone@example.org',
    text: 'Mirror: hxxp://198.51.100.7[.]nip/x and write to help@example.net',
  });
  const iocs = out.extracted?.iocs;
  assert.ok(iocs?.urls?.includes('https://www.example.com/news/spring.html?a=1&b=2'));
  assert.ok(iocs?.domains?.includes('www.example.com'));
  assert.ok(iocs?.emails?.includes('news@example.com'));
  assert.ok(iocs?.emails?.includes('someone@example.org'));
  assert.ok(iocs?.emails?.includes('help@example.net'));
  assert.ok(iocs?.ips?.includes('198.51.100.7'));
});

test('mail.display-name-spoof: a foreign address in the From name; same org or plain names pass', async () => {
  const out = await scan({ from: '"ceo@victim.example.co.jp" <random@example.net>' });
  assert.deepEqual(ids(out), ['mail.display-name-spoof']);
  const [evidence] = evidenceOf(out, 'mail.display-name-spoof');
  assert.equal(evidence?.location, 'From');
  assert.match(evidence?.text ?? '', /ceo@victim\.example\.co\.jp/);
  assert.deepEqual(
    ids(await scan({ from: '"billing@example.com" <noreply@mail.example.com>' })),
    [],
  );
  assert.deepEqual(ids(await scan({ from: 'Taro Yamada <taro@example.com>' })), []);
});

test('mail.reply-to-mismatch: another organisation gets the replies (low)', async () => {
  const out = await scan({ from: 'a@example.com', replyTo: 'collect@example.net' });
  assert.deepEqual(ids(out), ['mail.reply-to-mismatch']);
  assert.equal(out.findings?.[0]?.severity, 'low');
  assert.equal(evidenceOf(out, 'mail.reply-to-mismatch')[0]?.location, 'Reply-To');
  assert.deepEqual(
    ids(await scan({ from: 'a@example.co.jp', replyTo: 'b@mail.example.co.jp' })),
    [],
  );
});

test('mail.auth-fail: spf softfail, dkim fail and dmarc fail each give evidence; passes do not', async () => {
  const out = await scan({
    headers: [
      {
        key: 'Authentication-Results',
        value:
          'mx.example.org; spf=softfail smtp.mailfrom=example.net; dkim=fail header.d=example.net; dmarc=fail header.from=example.net; arc=fail',
      },
    ],
  });
  assert.deepEqual(ids(out), ['mail.auth-fail']);
  assert.deepEqual(
    evidenceOf(out, 'mail.auth-fail').map((e) => e.note),
    [
      'spf=softfail according to mx.example.org',
      'dkim=fail according to mx.example.org',
      'dmarc=fail according to mx.example.org',
    ],
  );
  assert.equal(evidenceOf(out, 'mail.auth-fail')[0]?.location, 'Authentication-Results');
  assert.deepEqual(ids(await scan(NEWSLETTER)), []);
});

test('mail.link-to-office-document: document, archive and script links, bare IPs, odd ports', async () => {
  const out = await scan({
    text: 'Invoice: http://files.example.com/invoice_2024.doc\r\nAlso http://203.0.113.5/x',
    html: '<a href="https://example.net/dl/scan%2Ezip">scan</a><a href="http://example.org:8080/">x</a>',
  });
  const evidence = evidenceOf(out, 'mail.link-to-office-document');
  assert.deepEqual(
    evidence.map((e) => [e.location, e.text, e.note]),
    [
      ['html', 'https://example.net/dl/scan%2Ezip', 'path ends in .zip'],
      ['html', 'http://example.org:8080/', 'non-standard port 8080'],
      ['text', 'http://files.example.com/invoice_2024.doc', 'path ends in .doc'],
      ['text', 'http://203.0.113.5/x', 'host is the bare IP address 203.0.113.5'],
    ],
  );
  assert.deepEqual(out.findings?.find((f) => f.id === 'mail.link-to-office-document')?.attack, [
    'T1566.002',
    'T1204.001',
  ]);
});

test('mail.link-to-office-document: defanged and ordinary links are not clickable payload links', async () => {
  const out = await scan({
    text: 'IOC (defanged): hxxp://203.0.113.5/x.doc — see https://www.example.com/report.pdf',
    html: '<a href="https://www.example.com/">home</a><a href="mailto:a@example.com">a</a>',
  });
  assert.deepEqual(ids(out), []);
});

test('mail.invoice-lure: Japanese and English lure words are info-level context', async () => {
  const jp = await scanBytes(buildJapaneseMail('ISO-2022-JP', new TextEncoder().encode('inert')));
  const lure = jp.findings?.find((f) => f.id === 'mail.invoice-lure');
  assert.equal(lure?.severity, 'info');
  assert.deepEqual(
    lure?.evidence.map((e) => [e.location, e.note]),
    [
      ['Subject', 'lure words: 御請求書, 送付'],
      ['body', 'lure words in the body'],
    ],
  );
  assert.equal(lure?.evidence[0]?.text, '御請求書送付のお知らせ');
  const en = await scan({ subject: 'Overdue invoice #4411', text: 'Please see the remittance.' });
  assert.deepEqual(ids(en), ['mail.invoice-lure']);
  assert.deepEqual(ids(await scan({ subject: 'Lunch on Friday?', text: 'See you there.' })), []);
});

test('mail engine: a forwarded message becomes an eml child with its exact bytes', async () => {
  const inner = new TextEncoder().encode('From: x@example.com\r\nSubject: inner\r\n\r\nbody');
  const out = await scanBytes(buildForwardMail(inner));
  assert.equal(out.children?.length, 1);
  assert.equal(out.children?.[0]?.name, 'part-1.eml');
  assert.equal(out.children?.[0]?.typeHint, 'eml');
  assert.deepEqual(out.children?.[0]?.bytes, inner);
});

test('mail engine: limit anomalies become scan.limit-exceeded, others scan.parse-error', async () => {
  const many = await scanBytes(buildManyPartsMail(10_000));
  const limit = many.findings?.find((f) => f.id === 'scan.limit-exceeded');
  assert.deepEqual(
    limit?.evidence.map((e) => e.note),
    ['E_MIME_TOO_MANY_PARTS', 'E_MIME_TOO_MANY_ATTACHMENTS'],
  );
  assert.equal(many.children?.length, 250);
  assert.equal(verdictOf(many.findings ?? []), 'suspicious');
  const nested = await scanBytes(buildNestedMultipartBomb(50_000));
  assert.ok(ids(nested).includes('scan.limit-exceeded'));
  const broken = await scanBytes(rawMail('From: a@example.com\r\nFrom: b@example.com\r\n\r\nx'));
  assert.deepEqual(ids(broken), ['scan.parse-error']);
  assert.equal(verdictOf(broken.findings ?? []), 'clean');
});

test('mail engine: memoizes the parse per artifact', async () => {
  const ctx = buildMailContext(await buildMime(NEWSLETTER));
  let calls = 0;
  const memo = ctx.memo.bind(ctx);
  const counting = {
    ...ctx,
    memo: <T>(key: string, compute: () => T) => memo(key, () => (calls++, compute())),
  };
  await mailEngine.analyze(counting);
  await mailEngine.analyze(counting);
  assert.equal(calls, 1);
});
