import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import { pptRecord } from '../../../test/builders/oleobj.js';
import { pptText } from './index.js';

const utf16 = (s: string) => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++)
    new DataView(out.buffer).setUint16(i * 2, s.charCodeAt(i), true);
  return out;
};
const chars = (s: string) => pptRecord(0, 0, 0x0fa0, utf16(s));
const bytes = (s: string) => pptRecord(0, 0, 0x0fa8, new TextEncoder().encode(s));
const container = (type: number, ...children: Uint8Array[]) =>
  pptRecord(0x0f, 0, type, concatBytes(children));

const stream = concatBytes([
  container(
    0x03e8,
    container(
      0x0ff0,
      chars('請求書のご案内\rBody line'),
      bytes('Second slide'),
      chars('Body line'),
    ),
  ),
  container(0x03f8, chars('Click to edit Master title style')),
]);

test('pptText: text atoms in order, split at paragraph marks; master slides and repeats skipped', () => {
  const text = pptText(stream);
  assert.deepEqual(text.paragraphs, ['請求書のご案内', 'Body line', 'Second slide']);
  assert.deepEqual(text.anomalies, []);
});

test('pptText: a record overrunning its parent is an anomaly; characters bounded both sides', () => {
  const broken = concatBytes([chars('ok'), pptRecord(0, 0, 0x0fa0, utf16('x')).subarray(0, 9)]);
  const bad = new Uint8Array(broken);
  new DataView(bad.buffer).setUint32(bad.length - 5, 1000, true);
  assert.equal(pptText(bad).anomalies[0]?.code, 'E_PPT_RECORD_OVERRUN');
  assert.equal(pptText(stream, { maxChars: 7 + 9 + 12 }).isTruncated, false);
  const cut = pptText(stream, { maxChars: 7 + 9 + 11 });
  assert.deepEqual([cut.paragraphs.length, cut.isTruncated], [2, true]);
});
