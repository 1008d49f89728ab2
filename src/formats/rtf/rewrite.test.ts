import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptRanges, stitch, unionRanges } from './ranges.js';
import { rewriteRtf } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder('latin1').decode(b);

test('ranges: nested and overlapping cuts merge; kept pieces are the complement', () => {
  const merged = unionRanges([
    { from: 5, to: 9 },
    { from: 2, to: 6 },
    { from: 7, to: 8 },
    { from: 12, to: 12 },
  ]);
  assert.deepEqual(merged, [{ from: 2, to: 9 }]);
  assert.deepEqual(keptRanges(merged, 12), [
    { from: 0, to: 2 },
    { from: 9, to: 12 },
  ]);
  assert.equal(
    dec(
      stitch(enc('\\pard{junk}text'), [
        { from: 0, to: 5 },
        { from: 11, to: 15 },
      ]),
    ),
    '\\pard text',
  );
});

test('rewriteRtf: an object becomes its result, a chosen destination is cut, the rest is byte-identical', () => {
  const input = enc(
    '{\\rtf1 a{\\object\\objemb{\\*\\objdata 01}{\\result {\\pict 00}}}b{\\*\\datastore 00}c}',
  );
  const out = rewriteRtf(input, {
    drop: new Set(['objdata', 'datastore']),
    isActiveField: () => false,
  });
  assert.equal(dec(out.output), '{\\rtf1 a{{\\pict 00}}b{}c}');
  assert.deepEqual(
    out.cuts.map((c) => c.word),
    ['object', 'datastore'],
  );
  const same = rewriteRtf(enc('{\\rtf1 plain}'), { drop: new Set(), isActiveField: () => true });
  assert.deepEqual([dec(same.output), same.cuts], ['{\\rtf1 plain}', []]);
});

test("rewriteRtf: \\bin data and \\'hh escapes swallow braces as the parser does", () => {
  // \bin3 takes "}}}" as data; \'}} takes both braces as its (bad) hex digits.
  const input = enc("{\\rtf1 {\\*\\datastore \\bin3 }}}}\\'}}x}");
  const out = rewriteRtf(input, { drop: new Set(['datastore']), isActiveField: () => false });
  assert.equal(dec(out.output), "{\\rtf1 {}\\'}}x}");
});
