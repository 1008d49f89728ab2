import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMail } from '../../src/formats/mime/index.js';
import { sniffType } from '../../src/formats/sniff/index.js';
import { buildCorpusMail, CORPUS_KINDS, noiseBytes } from './mail-corpus.js';

test('mail corpus: every kind parses back to its Japanese subject, Shift_JIS name and attachment type', async () => {
  const expected = {
    pdf: 'pdf',
    binary: 'unknown',
    docx: 'ooxml',
    xlsx: 'ooxml',
    'macro-doc': 'ole',
    'zip-in-zip': 'zip',
    'password-zip': 'zip',
  } as const;
  for (let i = 0; i < CORPUS_KINDS.length; i++) {
    const built = await buildCorpusMail(i, 4096);
    const mail = await parseMail(built.bytes);
    assert.match(mail.subject ?? '', /【ご連絡】.*の送付/, `subject of mail ${i}`);
    assert.equal(mail.attachments.length, 1, `attachments of mail ${i}`);
    const [attachment] = mail.attachments;
    assert.equal(attachment!.filename, built.attachmentName, `name of mail ${i}`);
    assert.equal(sniffType(attachment!.bytes), expected[built.kind], `type of ${built.kind}`);
    if (built.password !== undefined) {
      assert.ok(mail.text?.includes(`パスワード: ${built.password}`), 'password in the body');
    }
  }
});

test('mail corpus: noise bytes are deterministic and sized exactly', () => {
  assert.deepEqual(noiseBytes(37, 5), noiseBytes(37, 5));
  assert.equal(noiseBytes(37, 5).length, 37);
  assert.notDeepEqual(noiseBytes(64, 5), noiseBytes(64, 6));
});
