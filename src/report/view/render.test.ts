import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { tinyPng } from '../../../test/builders/view-docs.js';
import {
  rasterType,
  renderSafeView,
  SAFE_VIEW_CSP,
  type SafeView,
  type ViewBlock,
} from './index.js';

const HOSTILE = `<img src=x onerror=alert(1)><script>alert(2)</script>"'&`;
const page = (blocks: ViewBlock[], extra: Partial<SafeView> = {}) =>
  renderSafeView({
    title: HOSTILE,
    lang: 'en',
    sections: [{ name: HOSTILE, type: 'docx', blocks, omitted: [HOSTILE], depth: 0 }],
    ...extra,
  });

describe('renderSafeView', () => {
  test('hostile strings in every slot render as text: no tag, no script, no handler survives', () => {
    const html = page([
      { kind: 'heading', text: HOSTILE },
      { kind: 'paragraph', text: HOSTILE },
      { kind: 'note', text: HOSTILE },
      { kind: 'table', rows: [[HOSTILE, HOSTILE]], caption: HOSTILE },
      { kind: 'fields', entries: [[HOSTILE, HOSTILE]] },
      { kind: 'list', title: HOSTILE, items: [HOSTILE] },
      { kind: 'image', bytes: tinyPng(), name: HOSTILE },
    ]);
    assert.doesNotMatch(html, /<script|<img src=x|onerror=alert\(1\)>|<a /i);
    assert.match(
      html,
      /&lt;img src=x onerror=alert\(1\)&gt;&lt;script&gt;alert\(2\)&lt;\/script&gt;&quot;&#39;&amp;/,
    );
    // The one <img> is the data: URI of the PNG, its alt escaped.
    assert.deepEqual(html.match(/<img [^>]*>/g)?.length, 1);
    assert.match(html, /<img alt="&lt;img src=x[^"]*" src="data:image\/png;base64,/);
  });

  test('the page carries a strict CSP whose style hash matches its one style block', () => {
    const html = page([{ kind: 'paragraph', text: 'x' }]);
    assert.ok(
      html.includes(`<meta http-equiv="Content-Security-Policy" content="${SAFE_VIEW_CSP}">`),
    );
    assert.match(SAFE_VIEW_CSP, /^default-src 'none'; img-src data:; style-src 'sha256-/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    assert.ok(SAFE_VIEW_CSP.includes(`'sha256-${hash}'`));
    assert.equal(html.match(/<style>/g)?.length, 1);
    assert.doesNotMatch(html, /style="/);
  });

  test('lang attribute and labels follow the view language; Japanese content stays intact', () => {
    const ja = page([{ kind: 'paragraph', text: '請求書をご確認ください' }], { lang: 'ja' });
    assert.match(ja, /<html lang="ja">/);
    assert.match(ja, /セーフビュー/);
    assert.match(ja, /<p>請求書をご確認ください<\/p>/);
    assert.match(page([]), /<html lang="en">/);
  });

  test('only PNG, JPEG and GIF by magic are inlined; SVG and lying bytes become a note', () => {
    const svg = new TextEncoder().encode('<svg onload="alert(1)"></svg>');
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10);
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
    assert.equal(rasterType(jpeg), 'image/jpeg');
    assert.equal(rasterType(gif), 'image/gif');
    assert.equal(rasterType(svg), undefined);
    const html = page([
      { kind: 'image', bytes: svg, name: 'a.svg' },
      { kind: 'image', bytes: jpeg },
      { kind: 'image', bytes: gif },
    ]);
    assert.match(html, /picture left out: a\.svg: not a PNG, JPEG or GIF image/);
    assert.match(html, /data:image\/jpeg;base64,/);
    assert.match(html, /data:image\/gif;base64,/);
    assert.doesNotMatch(html, /svg onload/);
  });

  test('image bounds: count and size, each at the limit and one past it', () => {
    const png = tinyPng();
    const images = (n: number): ViewBlock[] =>
      Array.from({ length: n }, () => ({ kind: 'image', bytes: png }));
    const count = (html: string) => html.match(/data:image\/png/g)?.length ?? 0;
    assert.equal(
      count(
        renderSafeView(
          {
            title: 't',
            lang: 'en',
            sections: [{ name: 'n', type: 't', blocks: images(3), omitted: [], depth: 0 }],
          },
          { maxImages: 3 },
        ),
      ),
      3,
    );
    const over = renderSafeView(
      {
        title: 't',
        lang: 'en',
        sections: [{ name: 'n', type: 't', blocks: images(4), omitted: [], depth: 0 }],
      },
      { maxImages: 3 },
    );
    assert.equal(count(over), 3);
    assert.match(over, /too many pictures/);
    const one = (max: number) =>
      renderSafeView(
        {
          title: 't',
          lang: 'en',
          sections: [{ name: 'n', type: 't', blocks: images(1), omitted: [], depth: 0 }],
        },
        { maxImageBytes: max },
      );
    assert.equal(count(one(png.length)), 1);
    assert.match(one(png.length - 1), /too large/);
  });

  test('text budget: text at the limit is whole, one character more cuts the page with a note', () => {
    const render = (maxChars: number) =>
      renderSafeView(
        {
          title: 't',
          lang: 'en',
          sections: [
            {
              name: 'n',
              type: 't',
              blocks: [{ kind: 'paragraph', text: 'abcdef' }],
              omitted: [],
              depth: 0,
            },
          ],
        },
        { maxChars },
      );
    assert.match(render(7), /<p>abcdef<\/p>/); // 'n' + 'abcdef'
    assert.doesNotMatch(render(7), /was cut/);
    const cut = render(6);
    assert.match(cut, /<p>abcde<\/p>/);
    assert.match(cut, /The rest of the text was cut/);
  });

  test('control characters and lone surrogates are dropped, newlines kept', () => {
    const html = page([{ kind: 'paragraph', text: 'a\u0000b\u001bc\ud800d\ne' }]);
    assert.match(html, /<p>abcd\ne<\/p>/);
  });

  test('bidi controls in file names and attachment lists are shown, not obeyed', () => {
    const html = renderSafeView({
      title: 't',
      lang: 'en',
      sections: [
        {
          name: 'invoice\u202efdp.exe',
          type: 'eml',
          blocks: [{ kind: 'list', title: 'Attachments', items: ['a\u202egpj.exe'] }],
          omitted: [],
          depth: 0,
        },
      ],
    });
    assert.match(html, /<h1>invoice\[U\+202E\]fdp\.exe<\/h1>/);
    assert.match(html, /<li>a\[U\+202E\]gpj\.exe<\/li>/);
  });
});
