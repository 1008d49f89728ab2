import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoMacroModules } from '../../src/apps/demo/index.js';
import { walkResults } from '../../src/core/index.js';
import { buildOleWordDocument } from '../../src/formats/ovba/index.js';
import { scanInput } from '../../src/pipeline/index.js';
import { buildMime } from '../builders/mime.js';
import { buildEncryptedZip } from '../builders/zip.js';

// Emotet 2020: an encrypted ZIP with the macro document; the password is in the mail body.
async function passwordZipMail(body: string, encryption: 'zipcrypto' | 'aes'): Promise<Uint8Array> {
  const doc = buildOleWordDocument({ text: 'invoice', modules: demoMacroModules() });
  const zip = await buildEncryptedZip([{ name: 'invoice.doc', data: doc }], {
    password: 'Xk29aQ',
    encryption,
  });
  return buildMime({
    subject: '請求書送付の件',
    text: body,
    attachments: [{ filename: 'invoice.zip', content: zip, contentType: 'application/zip' }],
  });
}

for (const encryption of ['zipcrypto', 'aes'] as const) {
  test(`mail → ${encryption} ZIP opened with the password from the body → malicious macro document`, async () => {
    const mail = await passwordZipMail(
      '添付ファイルをご確認ください。\r\nパスワード：Xk29aQ\r\n',
      encryption,
    );
    const result = await scanInput({ path: 'mail.eml', bytes: mail });
    const doc = [...walkResults(result)]
      .map(([n]) => n)
      .find((n) => n.path.endsWith('invoice.doc'));
    assert.equal(doc?.type, 'ole');
    assert.ok(doc?.findings.some((f) => f.id === 'vba.autoexec-execution-chain'));
    assert.equal(result.verdict, 'malicious');
  });
}

test('mail → encrypted ZIP without a usable password stays unscanned and suspicious, never clean', async () => {
  const mail = await passwordZipMail('添付ファイルをご確認ください。\r\n', 'aes');
  const result = await scanInput({ path: 'mail.eml', bytes: mail });
  const ids = [...walkResults(result)].flatMap(([n]) => n.findings.map((f) => f.id));
  assert.ok(ids.includes('archive.encrypted-member'));
  assert.equal(result.verdict, 'suspicious');
});

test('mbox: every message is scanned as a mail; a macro document in the second one is found', async () => {
  const doc = buildOleWordDocument({ text: 'invoice', modules: demoMacroModules() });
  const benign = new TextDecoder().decode(await buildMime({ subject: 'lunch', text: 'at noon?' }));
  const bad = new TextDecoder('latin1').decode(
    await buildMime({
      subject: 'invoice',
      text: 'see attached',
      attachments: [{ filename: 'a.doc', content: doc }],
    }),
  );
  const mbox = `From a@example.com Thu Nov 20 09:00:00 2026\n${benign}\n\nFrom b@example.com Thu Nov 20 10:00:00 2026\n${bad}\n`;
  const result = await scanInput({
    path: 'inbox.mbox',
    bytes: Uint8Array.from(mbox, (c) => c.charCodeAt(0)),
  });
  assert.equal(result.type, 'mbox');
  assert.deepEqual(
    result.children.map((c) => [c.type, c.verdict]),
    [
      ['eml', 'clean'],
      ['eml', 'malicious'],
    ],
  );
});

test('Outlook .msg: sniffed as msg, analysed as a mail, its macro attachment found', async () => {
  const { buildMsg } = await import('../builders/msg.js');
  const doc = buildOleWordDocument({ text: 'invoice', modules: demoMacroModules() });
  const msg = buildMsg({
    subject: '請求書',
    body: 'ご確認ください',
    senderEmail: 'keiri@example.net',
    to: [{ email: 'tanaka@victim.example.co.jp' }],
    attachments: [{ name: '請求書.doc', data: doc }],
  });
  const result = await scanInput({ path: 'mail.msg', bytes: msg });
  assert.equal(result.type, 'msg');
  assert.equal(result.children[0]?.type, 'ole');
  assert.equal(result.verdict, 'malicious');
});
