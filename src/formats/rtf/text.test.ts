import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOle1Object } from '../../../test/builders/oleobj.js';
import { buildRtf } from '../../../test/builders/rtf.js';
import { tinyPng } from '../../../test/builders/view-docs.js';
import { rtfText } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('rtfText: body paragraphs, field results and object results; tables, info, fldinst, objdata are not text', () => {
  const rtf = buildRtf({
    body: 'Dear customer',
    fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k echo inert"'],
    objects: [
      {
        objclass: 'Package',
        data: buildOle1Object({ className: 'Package', nativeData: enc('x') }),
      },
    ],
  });
  assert.deepEqual(rtfText(rtf).paragraphs, ['Dear customer', 'resultobject']);
  const info = enc(
    '{\\rtf1{\\info{\\title secret}}{\\stylesheet{\\s1 Normal;}}{\\*\\generator x;}a\\tab b\\line c\\par\\par\\par d}',
  );
  assert.deepEqual(rtfText(info).paragraphs, ['a\tb\nc', '', 'd']);
});

test("rtfText: \\uN with its fallback skipped, and \\'hh in the ANSI code page (932 Japanese)", () => {
  const rtf = enc(
    "{\\rtf1\\ansi\\ansicpg932 \\u35531?\\u27714?\\'90\\'bf\\'8b\\'81 \\uc2\\u26360\\'8f\\'91}",
  );
  assert.deepEqual(rtfText(rtf).paragraphs, ['請求請求 書']);
  assert.deepEqual(rtfText(enc("{\\rtf1\\ansi caf\\'e9 \\{x\\}\\\\}")).paragraphs, ['café {x}\\']);
});

test('rtfText: characters at the bound are whole, one past it truncated; a million \\par stay bounded', () => {
  const rtf = enc('{\\rtf1 abcdef}');
  assert.equal(rtfText(rtf, { maxChars: 6 }).isTruncated, false);
  const cut = rtfText(rtf, { maxChars: 5 });
  assert.deepEqual([cut.paragraphs, cut.isTruncated], [['abcde'], true]);
  const pars = rtfText(enc(`{\\rtf1 ${'x\\par '.repeat(200_000)}}`), { maxChars: 1000 });
  assert.equal(pars.isTruncated, true);
  assert.ok(pars.paragraphs.length <= 1000);
});

test('rtfText: PNG pictures in \\shppict are collected (blipuid skipped), WMF not; count bound both sides', () => {
  const png = tinyPng();
  const hex = Buffer.from(png)
    .toString('hex')
    .replace(/(.{32})/g, '$1\r\n');
  const pict = `{\\*\\shppict{\\pict\\pngblip\\picw1\\pich1{\\*\\blipuid 00112233}${hex}}}{\\nonshppict{\\pict\\wmetafile8 0102}}`;
  const rtf = enc(`{\\rtf1 before${pict}${pict} after}`);
  const two = rtfText(rtf, { maxPictures: 2 });
  assert.deepEqual(two.paragraphs, ['before after']);
  assert.equal(two.pictures.length, 2);
  assert.deepEqual(two.pictures[0], { type: 'png', bytes: png });
  assert.equal(two.isTruncated, false);
  const one = rtfText(rtf, { maxPictures: 1 });
  assert.deepEqual([one.pictures.length, one.isTruncated], [1, true]);
  assert.deepEqual(rtfText(rtf).pictures, []);
  const small = rtfText(rtf, { maxPictures: 2, maxPictureBytes: png.length - 1 });
  assert.deepEqual([small.pictures.length, small.isTruncated], [0, true]);
});
