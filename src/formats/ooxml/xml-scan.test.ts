import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relsSource, resolveTarget } from './rels.js';
import { decodeXmlBytes, decodeXmlEntities, scanElements } from './xml-scan.js';

test('decodeXmlEntities: the five entities and numeric references; unknown ones stay as written', () => {
  assert.equal(decodeXmlEntities('a&amp;b&lt;c&gt;&quot;&apos;&#65;&#x42;'), 'a&b<c>"\'AB');
  assert.equal(decodeXmlEntities('&bogus; &#xD800; &#0;'), '&bogus; &#xD800; &#0;');
});

test('scanElements: prefixed and plain names, both quote styles, > inside values, first duplicate wins', () => {
  const xml =
    `<r:Relationships><r:Relationship Id='rId1' Target="a>b" Target="second"/>` +
    `<Relationship Id="rId2"\n Type="t"/><RelationshipX Id="no"/></r:Relationships>`;
  assert.deepEqual(
    scanElements(xml, 'Relationship', 10).elements.map((e) => ({ ...e })),
    [
      { Id: 'rId1', Target: 'a>b' },
      { Id: 'rId2', Type: 't' },
    ],
  );
});

test('scanElements: elements inside comments and CDATA are not read', () => {
  const xml =
    '<!-- <Relationship Id="c"/> --><![CDATA[<Relationship Id="d"/>]]><Relationship Id="e"/>';
  assert.deepEqual(
    scanElements(xml, 'Relationship', 10).elements.map((e) => e['Id']),
    ['e'],
  );
});

test('scanElements: max elements → truncated; at max → not truncated', () => {
  const xml = '<D/>'.repeat(5);
  assert.deepEqual(
    [scanElements(xml, 'D', 5).isTruncated, scanElements(xml, 'D', 4).isTruncated],
    [false, true],
  );
});

test('scanElements: unterminated markup and garbage end the scan without throwing', () => {
  for (const xml of ['<Relationship Id="x', '<!-- open', '<<<<>>>', '<Relationship Id=x/>']) {
    assert.doesNotThrow(() => scanElements(xml, 'Relationship', 10));
  }
});

test('decodeXmlBytes: UTF-8 with BOM, UTF-16LE and UTF-16BE with BOM', () => {
  const text = '<a b="é"/>';
  const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
  const le = new Uint8Array([
    0xff,
    0xfe,
    ...[...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]),
  ]);
  const be = new Uint8Array([
    0xfe,
    0xff,
    ...[...text].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]),
  ]);
  assert.deepEqual(
    [decodeXmlBytes(utf8), decodeXmlBytes(le), decodeXmlBytes(be)],
    [text, text, text],
  );
});

test('relsSource: .rels part → its source part; other names → undefined', () => {
  assert.equal(relsSource('_rels/.rels'), '');
  assert.equal(relsSource('word/_rels/document.xml.rels'), 'word/document.xml');
  assert.equal(relsSource('word/_rels/settings.xml.rels'), 'word/settings.xml');
  assert.equal(relsSource('word/document.xml'), undefined);
  assert.equal(relsSource('evil_rels/x.rels'), undefined);
});

test('resolveTarget: relative, parent, absolute and percent-encoded targets', () => {
  assert.equal(resolveTarget('word/document.xml', 'vbaProject.bin'), 'word/vbaProject.bin');
  assert.equal(resolveTarget('word/document.xml', '../customXml/item1.xml'), 'customXml/item1.xml');
  assert.equal(resolveTarget('word/document.xml', '/xl/x.bin'), 'xl/x.bin');
  assert.equal(resolveTarget('', 'word/document.xml'), 'word/document.xml');
  assert.equal(resolveTarget('word/document.xml', 'media/a%20b.png#frag'), 'word/media/a b.png');
  assert.equal(resolveTarget('word/document.xml', '../../../../x'), 'x');
});
