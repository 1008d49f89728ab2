import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildWordStreams } from '../../../test/builders/doc.js';
import { docText } from './index.js';

const read = (spec: Parameters<typeof buildWordStreams>[0], maxChars?: number) => {
  const { wordDocument, table } = buildWordStreams(spec);
  return docText(
    wordDocument,
    (name) => (name === '1Table' ? table : undefined),
    maxChars === undefined ? {} : { maxChars },
  );
};

test('docText: field instructions are dropped and their results kept; cells become tabs', () => {
  const text = read({
    pieces: [
      { text: 'Before \x13 DDEAUTO cmd "/c calc" \x14shown\x15 after\r', isCompressed: true },
      { text: 'A\x07B\x07\x07\rline\x0bbreak\r' },
    ],
  });
  assert.deepEqual(text.paragraphs, ['Before shown after', 'A\tB', 'line\nbreak']);
});

test('docText: an encrypted FIB, a missing FIB and a piece past the stream are reported, not thrown', () => {
  const encrypted = read({ pieces: [{ text: 'x\r' }], isEncrypted: true });
  assert.deepEqual([encrypted.isEncrypted, encrypted.paragraphs], [true, []]);
  assert.equal(docText(new Uint8Array(10), () => undefined).anomalies[0]?.code, 'E_DOC_BAD_FIB');
  const { wordDocument, table } = buildWordStreams({ pieces: [{ text: 'abc\r' }] });
  const cut = docText(wordDocument.subarray(0, wordDocument.length - 2), () => table);
  assert.equal(cut.anomalies[0]?.code, 'E_DOC_PIECE_PAST_END');
  assert.equal(docText(wordDocument, () => undefined).anomalies[0]?.code, 'E_DOC_BAD_CLX');
});

test('docText: characters at the bound are whole, one past it truncated', () => {
  const spec = { pieces: [{ text: 'abcdef', isCompressed: true }] };
  assert.deepEqual([read(spec, 6).paragraphs, read(spec, 6).isTruncated], [['abcdef'], false]);
  assert.deepEqual([read(spec, 5).paragraphs, read(spec, 5).isTruncated], [['abcde'], true]);
});
