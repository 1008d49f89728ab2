import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHtmlEntities, htmlToText } from './index.js';

test('htmlToText: tags dropped, script/style/head skipped, blocks break lines, cells tab', () => {
  const html =
    '<html><head><title>t</title><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b></p>' +
    '<SCRIPT>alert(1)</SCRIPT><!-- hidden --><table><tr><td>a</td><td>b</td></tr></table>' +
    '<img src="http://198.51.100.2/t.gif" onerror="x()">請求書&#x3001;&lt;img&gt;</body></html>';
  assert.equal(htmlToText(html), 'Hello world\n\na\tb\n\n請求書、<img>');
});

test('htmlToText: unterminated tags, comments and scripts end the text instead of looping', () => {
  assert.equal(htmlToText('a<!-- never closed'), 'a');
  assert.equal(htmlToText('a<script>while(1){}'), 'a');
  assert.equal(htmlToText(`x${'<'.repeat(500_000)}`), 'x');
  assert.equal(htmlToText('abcdef', 3), 'abc');
});

test('decodeHtmlEntities: numeric, named, and invalid references', () => {
  assert.equal(decodeHtmlEntities('&#65;&#x42;&amp;&unknown;&#xd800;'), 'AB&&unknown;\ufffd');
});
