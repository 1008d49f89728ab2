import assert from 'node:assert/strict';
import { test } from 'node:test';
import { docText } from '../../src/formats/doc/index.js';
import { parseCfb } from '../../src/formats/cfb/index.js';
import { buildDoc } from './doc.js';

test('doc builder round-trip: compressed and UTF-16 pieces read back as paragraphs', () => {
  const bytes = buildDoc({
    pieces: [{ text: 'Invoice no. 42\r', isCompressed: true }, { text: '請求書のご送付\r' }],
    hasPrc: true,
  });
  const cfb = parseCfb(bytes);
  const text = docText(cfb.readStream('WordDocument')!, (name) => cfb.readStream(name));
  assert.deepEqual(text.paragraphs, ['Invoice no. 42', '請求書のご送付']);
  assert.deepEqual(text.anomalies, []);
});
