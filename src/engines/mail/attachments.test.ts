import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineOutput } from '../../core/index.js';
import { buildCfb } from '../../../test/builders/cfb.js';
import {
  buildMailContext,
  buildMime,
  type MimeAttachmentSpec,
} from '../../../test/builders/mime.js';
import { buildDocm, buildEncryptedZip, buildOoxml, buildZip } from '../../../test/builders/zip.js';
import { mailEngine } from './index.js';

const ole = buildCfb({
  streams: [{ path: 'WordDocument', data: new Uint8Array(600).fill(1) }],
}).bytes;
const docm = buildDocm({ vbaProjectBin: ole });
const docx = buildOoxml({
  files: { 'word/document.xml': '<w:document xmlns:w="urn:x"/>' },
  contentTypes: {
    overrides: {
      'word/document.xml':
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    },
  },
});
const rtf = new TextEncoder().encode('{\\rtf1\\ansi inert test}');
/** The smallest "MZ … PE\0\0" the sniffer calls a PE: inert, no code. */
const pe = (() => {
  const bytes = new Uint8Array(0x48);
  bytes.set([0x4d, 0x5a]);
  bytes[0x3c] = 0x40;
  bytes.set([0x50, 0x45, 0, 0], 0x40);
  return bytes;
})();

async function scan(...attachments: MimeAttachmentSpec[]): Promise<EngineOutput> {
  const bytes = await buildMime({ subject: 'Files', text: 'See attached.', attachments });
  return mailEngine.analyze(buildMailContext(bytes));
}

const ids = (out: EngineOutput) => (out.findings ?? []).map((f) => f.id).sort();
const evidenceOf = (out: EngineOutput, id: string) =>
  out.findings?.find((f) => f.id === id)?.evidence ?? [];

test('mail.office-attachment: an OLE .doc is reported with its type and location', async () => {
  const out = await scan({ filename: '請求書.doc', content: ole });
  assert.deepEqual(ids(out), ['mail.office-attachment']);
  const [evidence] = evidenceOf(out, 'mail.office-attachment');
  assert.equal(evidence?.location, '請求書.doc');
  assert.equal(evidence?.text, '請求書.doc');
  assert.match(evidence?.note ?? '', /OLE compound file/);
  assert.doesNotMatch(evidence?.note ?? '', /disagrees/);
});

test('mail.office-attachment: a renamed document says that the extension disagrees', async () => {
  const out = await scan({ filename: 'scan.pdf', content: ole });
  assert.match(
    evidenceOf(out, 'mail.office-attachment')[0]?.note ?? '',
    /named \.pdf, which disagrees/,
  );
  const rtfAsDoc = await scan({ filename: 'order.doc', content: rtf });
  assert.match(
    evidenceOf(rtfAsDoc, 'mail.office-attachment')[0]?.note ?? '',
    /RTF document; named \.doc, which disagrees/,
  );
});

test('mail.office-attachment: an OOXML package with a VBA project is macro-capable', async () => {
  const out = await scan({ filename: 'invoice.docx', content: docm });
  assert.ok(ids(out).includes('mail.office-attachment'));
  assert.match(
    evidenceOf(out, 'mail.office-attachment')[0]?.note ?? '',
    /OOXML package with word\/vbaProject\.bin; named .docx$/,
  );
});

test('mail.office-attachment: a macro-free .docx is only context (mail.document-attachment, info)', async () => {
  const out = await scan({ filename: 'minutes.docx', content: docx });
  assert.deepEqual(ids(out), ['mail.document-attachment']);
  assert.equal(out.findings?.[0]?.severity, 'info');
});

test('mail.office-attachment: a PDF or image attachment is not reported', async () => {
  const out = await scan(
    { filename: 'brochure.pdf', content: '%PDF-1.7\n%inert\n' },
    { filename: 'photo.png', content: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
  );
  assert.deepEqual(ids(out), []);
});

test('mail.dangerous-attachment-type: by content, whatever the name', async () => {
  const out = await scan({ filename: 'photo.jpg', content: pe });
  assert.deepEqual(ids(out), ['mail.dangerous-attachment-type']);
  assert.match(evidenceOf(out, 'mail.dangerous-attachment-type')[0]?.note ?? '', /content is pe/);
});

test('mail.dangerous-attachment-type: by extension (.js, .lnk, .iso, .docm …)', async () => {
  for (const name of ['run.js', 'Invoice.LNK', 'disk.iso', 'notes.one', 'macro.xlsm', 'x.hta']) {
    const out = await scan({ filename: name, content: 'inert' });
    assert.ok(ids(out).includes('mail.dangerous-attachment-type'), name);
    assert.match(evidenceOf(out, 'mail.dangerous-attachment-type')[0]?.note ?? '', /extension/);
  }
  assert.deepEqual(ids(await scan({ filename: 'readme.txt', content: 'inert' })), []);
});

test('mail.double-extension: invoice.pdf.exe and padded forms; not report.v2.docx', async () => {
  for (const name of ['invoice.pdf.exe', 'scan.doc      .js', '請求書.xlsx.scr']) {
    const out = await scan({ filename: name, content: 'inert' });
    assert.ok(ids(out).includes('mail.double-extension'), name);
    assert.equal(
      out.findings?.find((f) => f.id === 'mail.double-extension')?.attack[0],
      'T1036.007',
    );
  }
  for (const name of ['report.v2.docx', 'archive.tar.gz', 'photo.2024.jpg']) {
    assert.ok(
      !ids(await scan({ filename: name, content: 'inert' })).includes('mail.double-extension'),
      name,
    );
  }
});

test('mail.rtlo-filename: a right-to-left override is reported with the exact name', async () => {
  const name = 'invoice\u202Efdp.exe';
  const out = await scan({ filename: name, content: 'inert' });
  assert.ok(ids(out).includes('mail.rtlo-filename'));
  const [evidence] = evidenceOf(out, 'mail.rtlo-filename');
  assert.equal(evidence?.text, name);
  assert.match(evidence?.note ?? '', /<U\+202E>/);
  assert.ok(
    !ids(await scan({ filename: 'invoice.pdf', content: 'inert' })).includes('mail.rtlo-filename'),
  );
});

test('mail.trailing-space-filename: trailing blanks and dots; not an ordinary name', async () => {
  for (const name of ['invoice.exe   ', 'invoice.doc.', 'payment.js\u3000']) {
    assert.ok(
      ids(await scan({ filename: name, content: 'inert' })).includes(
        'mail.trailing-space-filename',
      ),
      name,
    );
  }
  assert.ok(
    !ids(await scan({ filename: 'a b.txt', content: 'inert' })).includes(
      'mail.trailing-space-filename',
    ),
  );
});

test('mail.encrypted-archive-attachment: ZipCrypto and AES members; a plain ZIP is not', async () => {
  for (const encryption of ['zipcrypto', 'aes'] as const) {
    const zip = await buildEncryptedZip([{ name: 'invoice.doc', data: 'inert' }], {
      password: '1234',
      encryption,
    });
    const bytes = await buildMime({
      text: 'パスワードは別メールでお送りします。',
      attachments: [{ filename: 'invoice.zip', content: zip }],
    });
    const out = await mailEngine.analyze(buildMailContext(bytes));
    assert.deepEqual(ids(out), ['mail.encrypted-archive-attachment'], encryption);
    const note = evidenceOf(out, 'mail.encrypted-archive-attachment')[0]?.note ?? '';
    assert.match(
      note,
      new RegExp(`1 of 1 members encrypted \\(${encryption}\\).*invoice\\.doc.*password`),
    );
  }
  const plain = buildZip([{ name: 'readme.txt', data: 'inert' }]);
  assert.deepEqual(ids(await scan({ filename: 'files.zip', content: plain })), []);
});

test('mail engine: children are exactly the attachments, named by file name or part-N.ext', async () => {
  const out = await scan(
    { filename: 'report.doc', content: ole },
    { content: rtf, contentType: 'application/msword' },
  );
  assert.deepEqual(
    out.children?.map((c) => [c.name, c.relation]),
    [
      ['report.doc', 'attachment'],
      ['part-2.doc', 'attachment'],
    ],
  );
  assert.deepEqual(out.children?.[0]?.bytes, ole);
  assert.deepEqual(out.children?.[1]?.bytes, rtf);
});
