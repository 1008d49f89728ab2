import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildMime, rawMail } from '../../../test/builders/mime.js';
import { cleanDocx, FAKE_DISARMERS, macroDocm } from '../../../test/support/disarm-fakes.js';
import { resolveLimits } from '../../core/index.js';
import { parseMail } from '../../formats/mime/index.js';
import { scanInput } from '../../pipeline/index.js';
import { planMailDisarm, type MailDisarmPlan } from './disarm-mail.js';
import { leaves, parseMimeTree } from './mime-parts.js';

const limits = resolveLimits({});
const options = { limits, disarmers: FAKE_DISARMERS };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

async function plan(raw: Uint8Array): Promise<MailDisarmPlan> {
  return planMailDisarm(raw, await scanInput({ path: 'mail.eml', bytes: raw }), options);
}

function built(p: MailDisarmPlan, id = '20240115093000-0123abcd'): Uint8Array {
  assert.equal(p.status, 'disarmed', JSON.stringify(p));
  return (p as Extract<MailDisarmPlan, { status: 'disarmed' }>).build(id);
}

describe('mail disarm: planning and rewriting', () => {
  test('multipart/mixed: the .docm part becomes .docx, the note is the first part, headers stay', async () => {
    const raw = await buildMime({
      subject: '請求書のご送付',
      text: 'ご確認ください',
      messageId: '<thread-1@example.com>',
      headers: [{ key: 'In-Reply-To', value: '<thread-0@example.com>' }],
      attachments: [
        { filename: '請求書.docm', content: macroDocm() },
        { filename: 'logo.png', content: PNG, contentType: 'image/png' },
      ],
    });
    const p = await plan(raw);
    assert.deepEqual(
      p.attachments.map((a) => [a.name, a.status, a.newName]),
      [
        ['請求書.docm', 'disarmed', '請求書.docx'],
        ['logo.png', 'kept', undefined],
      ],
    );
    const out = built(p);
    const mail = await parseMail(out);
    assert.equal(mail.subject, '請求書のご送付');
    assert.equal(mail.messageId, '<thread-1@example.com>');
    assert.equal(mail.inReplyTo, '<thread-0@example.com>');
    assert.match(mail.text!, /^【emoguard】このメールの添付ファイルを無害化しました/);
    assert.match(mail.text!, /請求書\.docm → 請求書\.docx: マクロ \(VBA プロジェクト\) を削除/);
    assert.match(mail.text!, /隔離 ID: 20240115093000-0123abcd/);
    assert.match(mail.text!, /macros \(VBA project\) removed/);
    assert.match(mail.text!, /ご確認ください/);
    const names = mail.attachments.map((a) => [a.filename, a.contentType]);
    assert.deepEqual(names, [
      ['請求書.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['logo.png', 'image/png'],
    ]);
    assert.deepEqual(mail.attachments[0]!.bytes, cleanDocx());
    assert.deepEqual(mail.attachments[1]!.bytes, PNG);
    assert.match(
      latin1(out),
      /^X-Emoguard-Disarmed: 1 item\(s\) removed from 1 attachment\(s\); original quarantined as 20240115093000-0123abcd\r\n/,
    );
    // The delivered mail scans clean.
    assert.equal((await scanInput({ path: 'out.eml', bytes: out })).verdict, 'clean');
  });

  test('a 400-character Japanese name: cut to 120 characters plus .docx, no header line over 998', async () => {
    const long = `${'請求書'.repeat(134)}.docm`;
    const raw = await buildMime({
      subject: 'x',
      text: 'x',
      attachments: [{ filename: long, content: macroDocm() }],
    });
    const out = built(await plan(raw));
    assert.ok(
      latin1(out)
        .split(/\r\n/)
        .every((line) => line.length <= 998),
    );
    const [attachment] = (await parseMail(out)).attachments;
    assert.equal(attachment!.filename, `${'請求書'.repeat(40)}.docx`);
  });

  test('a single-part mail that is the document itself is wrapped: note first, document second', async () => {
    const raw = rawMail(
      'From: a@example.com\r\nTo: b@example.com\r\nSubject: doc\r\nMessage-ID: <single@example.com>\r\n',
      'MIME-Version: 1.0\r\nContent-Type: application/vnd.ms-word.document.macroEnabled.12; name="a.docm"\r\n',
      'Content-Disposition: attachment; filename="a.docm"\r\nContent-Transfer-Encoding: base64\r\n\r\n',
      Buffer.from(macroDocm()).toString('base64').replace(/.{76}/g, '$&\r\n'),
      '\r\n',
    );
    const out = built(await plan(raw));
    const tree = parseMimeTree(latin1(out), { maxParts: 100 });
    assert.equal(tree.type, 'multipart/mixed');
    assert.deepEqual(
      tree.children.map((c) => c.type),
      ['text/plain', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    );
    const mail = await parseMail(out);
    assert.equal(mail.messageId, '<single@example.com>');
    assert.equal(mail.attachments[0]!.filename, 'a.docx');
    assert.deepEqual(mail.attachments[0]!.bytes, cleanDocx());
    assert.equal((latin1(out).match(/^Message-ID:/gim) ?? []).length, 1);
  });

  test('an attachment disarm cannot handle and that is not clean → the whole mail is refused', async () => {
    const raw = await buildMime({
      subject: 'x',
      text: 'x',
      attachments: [
        { filename: 'a.docm', content: macroDocm() },
        {
          filename: 'b.vba',
          content: 'Sub AutoOpen()\n Shell "powershell -enc SQBFAFgA"\nEnd Sub\n',
        },
      ],
    });
    const p = await plan(raw);
    assert.equal(p.status, 'refused');
    assert.match(
      (p as { reason: string }).reason,
      /^b\.vba: unsupported \(vba-source content cannot be disarmed/,
    );
  });

  test('a clean-content attachment whose name the mail scan flagged (run.js) is refused, not kept', async () => {
    const raw = await buildMime({
      subject: 'x',
      text: 'x',
      attachments: [
        { filename: 'a.docm', content: macroDocm() },
        { filename: 'run.js', content: 'hello', contentType: 'application/octet-stream' },
      ],
    });
    const p = await plan(raw);
    assert.equal(p.status, 'refused');
    assert.deepEqual(
      p.attachments.map((a) => [a.name, a.status]),
      [
        ['a.docm', 'disarmed'],
        ['run.js', 'refused'],
      ],
    );
    assert.match(p.attachments[1]!.reason!, /the mail scan flagged it/);
  });

  test('an encrypted document → refused encrypted (the policy decides)', async () => {
    const { buildOleWordDocument } = await import('../../formats/ovba/index.js');
    const raw = await buildMime({
      subject: 'x',
      attachments: [
        { filename: 'locked.doc', content: buildOleWordDocument({ text: 'x', modules: [] }) },
      ],
    });
    const p = await plan(raw);
    assert.equal(p.status, 'refused');
    assert.equal(p.attachments[0]!.refusal, 'encrypted');
  });

  test('only clean attachments → unchanged (nothing to replace)', async () => {
    const raw = await buildMime({
      subject: 'x',
      text: 'x',
      attachments: [{ filename: 'memo.docx', content: cleanDocx() }],
    });
    const p = await plan(raw);
    assert.equal(p.status, 'unchanged');
    assert.deepEqual(
      p.attachments.map((a) => a.status),
      ['unchanged'],
    );
  });

  test('a mail malicious by itself (not by an attachment) is refused', async () => {
    const raw = await buildMime({ subject: 'x', text: 'x' });
    const result = await scanInput({ path: 'm.eml', bytes: raw });
    result.findings.push({
      id: 'mail.test-critical',
      title: 't',
      severity: 'critical',
      step: '1',
      attack: [],
      evidence: [],
    });
    const p = await planMailDisarm(raw, result, options);
    assert.equal(p.status, 'refused');
    assert.match(
      (p as { reason: string }).reason,
      /the message itself is malicious \(mail\.test-critical\)/,
    );
  });

  test('MIME parts over the limit → refused, not walked', async () => {
    const parts = Array.from(
      { length: 1100 },
      () => '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n',
    ).join('');
    const raw = rawMail(
      'Subject: bomb\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n',
      parts,
      '--b--\r\n',
    );
    const p = await planMailDisarm(raw, await scanInput({ path: 'm.eml', bytes: raw }), options);
    assert.equal(p.status, 'refused');
    assert.match((p as { reason: string }).reason, /E_LIMIT_MIME_PARTS/);
  });
});

describe('mail disarm with the built-in format disarmers', () => {
  test('a mail with a macro .docm and a macro .doc: both disarmed, the delivered attachments scan clean', async () => {
    const { buildOleWordDocument } = await import('../../formats/ovba/index.js');
    const { demoMacroModules } = await import('../demo/index.js');
    const raw = await buildMime({
      subject: '請求書',
      text: 'ご確認ください',
      attachments: [
        { filename: '請求書.docm', content: macroDocm() },
        {
          filename: 'old.doc',
          content: buildOleWordDocument({ text: 'letter', modules: demoMacroModules() }),
        },
      ],
    });
    const p = await planMailDisarm(raw, await scanInput({ path: 'm.eml', bytes: raw }), { limits });
    assert.deepEqual(
      p.attachments.map((a) => [a.name, a.status, a.newName]),
      [
        ['請求書.docm', 'disarmed', '請求書.docx'],
        ['old.doc', 'disarmed', undefined],
      ],
    );
    const out = built(p);
    const result = await scanInput({ path: 'out.eml', bytes: out });
    // Every attachment re-scans clean; the mail keeps only the mail engine's note that a legacy .doc
    // is macro-capable by format (mail.office-attachment, medium), which no disarm can change.
    assert.deepEqual(
      result.children.map((c) => c.verdict),
      ['clean', 'clean'],
    );
    assert.deepEqual(
      result.findings.filter((f) => f.severity !== 'info').map((f) => f.id),
      ['mail.office-attachment'],
    );
    assert.deepEqual(
      (await parseMail(out)).attachments.map((a) => a.filename),
      ['請求書.docx', 'old.doc'],
    );
  });
});

describe('mime-parts', () => {
  test('delimiters need their own line; --bX is not --b; the last part runs to the close delimiter', () => {
    const text =
      'Content-Type: multipart/mixed; boundary="b"\r\n\r\npreamble\r\n--b\r\n\r\none\r\n--bX not a delimiter\r\n--b \r\nContent-Type: text/html\r\n\r\ntwo\r\n--b--\r\nepilogue\r\n';
    const root = parseMimeTree(text, { maxParts: 10 });
    const parts = [...leaves(root)].map((l) => [l.id, l.type, text.slice(l.bodyStart, l.end)]);
    assert.deepEqual(parts, [
      ['1', 'text/plain', 'one\r\n--bX not a delimiter'],
      ['2', 'text/html', 'two'],
    ]);
  });

  test('RFC 2231 continuations and RFC 2047 names are decoded', async () => {
    const { filenameOf } = await import('./mime-parts.js');
    const text =
      'Content-Type: application/octet-stream; name="=?UTF-8?B?6KuL5rGC5pu4LmRvY20=?="\r\nContent-Disposition: attachment; filename*0*=UTF-8\'\'%E8%AB%8B; filename*1*=%E6%B1%82.docm\r\n\r\nx';
    const root = parseMimeTree(text, { maxParts: 10 });
    assert.equal(filenameOf(root), '請求.docm');
  });
});
