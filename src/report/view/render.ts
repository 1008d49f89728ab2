import { createHash } from 'node:crypto';
import { pageHead } from '../html-parts.js';
import { VIEW_LABELS, type ViewLabels } from './labels.js';
import {
  MAX_VIEW_CHARS,
  MAX_VIEW_IMAGE_BYTES,
  MAX_VIEW_IMAGES,
  MAX_VIEW_TOTAL_IMAGE_BYTES,
  type RenderSafeViewOptions,
  type SafeView,
  type ViewBlock,
  type ViewSection,
} from './model.js';

const STYLE = `body{font:15px/1.6 system-ui,"Hiragino Sans","Noto Sans CJK JP","Yu Gothic",sans-serif;margin:0;color:#1b1b1b;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem}
.banner{background:#0b3d2e;color:#fff;padding:.75rem 1.5rem}
.banner strong{display:block;font-size:1.05rem}
section.file{border-top:1px solid #ccc;margin-top:1.5rem;padding-top:.5rem}
section.depth1,section.depth2,section.depth3{margin-left:1.5rem}
.meta{color:#555;font-size:.85rem}
.omitted{background:#fff4e5;border-left:4px solid #e08a00;padding:.25rem .75rem;font-size:.9rem}
p{white-space:pre-wrap;overflow-wrap:anywhere;margin:.4rem 0}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
td,th{border:1px solid #bbb;padding:.15rem .4rem;vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere}
caption{text-align:left;font-weight:600}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;font-size:.9rem}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere;white-space:pre-wrap}
img{max-width:100%;height:auto;border:1px solid #ddd}
.note{color:#8a4b00;font-style:italic}`;

/**
 * The page's Content Security Policy. `default-src 'none'` forbids scripts, frames, fonts, fetches
 * and every network load; images only as `data:` URIs; the one style block by its hash.
 */
export const SAFE_VIEW_CSP = [
  "default-src 'none'",
  'img-src data:',
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Renders a safe view as one static HTML page: no scripts, no links, no external loads; every string
 * escaped; images inlined only as PNG, JPEG or GIF checked by magic bytes. Meant to be shown as is,
 * or in a sandboxed iframe (`<iframe sandbox srcdoc=…>` or a CSP'd route) by the dashboard.
 *
 * @example
 * writeFileSync('view.html', renderSafeView({ title: 'invoice.doc', lang: 'en', sections }));
 */
export function renderSafeView(view: SafeView, options: RenderSafeViewOptions = {}): string {
  const L = VIEW_LABELS[view.lang] ?? VIEW_LABELS.en;
  const state: RenderState = {
    L,
    charsLeft: options.maxChars ?? MAX_VIEW_CHARS,
    imagesLeft: options.maxImages ?? MAX_VIEW_IMAGES,
    imageBytesLeft: options.maxTotalImageBytes ?? MAX_VIEW_TOTAL_IMAGE_BYTES,
    maxImageBytes: options.maxImageBytes ?? MAX_VIEW_IMAGE_BYTES,
    isCut: false,
  };
  const body: string[] = [];
  for (const section of view.sections) {
    if (state.isCut) break;
    body.push(renderSection(section, state));
  }
  if (state.isCut) body.push(`<p class="note">${esc(L.textCut)}</p>`);
  return [
    ...pageHead(
      view.lang === 'ja' ? 'ja' : 'en',
      esc(`${L.banner.split(' — ')[0]}: ${view.title}`),
      SAFE_VIEW_CSP,
      STYLE,
    ),
    '<body>',
    `<header class="banner"><strong>${esc(L.banner)}</strong>${esc(L.bannerDetail)}</header>`,
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

interface RenderState {
  L: ViewLabels;
  charsLeft: number;
  imagesLeft: number;
  imageBytesLeft: number;
  maxImageBytes: number;
  isCut: boolean;
}

function renderSection(section: ViewSection, state: RenderState): string {
  const { L } = state;
  const depth = Math.max(0, Math.min(3, Math.floor(section.depth)));
  const out = [
    `<section class="file depth${depth}">`,
    `<h${depth === 0 ? 1 : 2}>${esc(revealBidi(text(section.name, state)))}</h${depth === 0 ? 1 : 2}>`,
    `<div class="meta">${esc(section.type)}</div>`,
    `<div class="omitted">${esc(L.leftOut)}: ${esc(
      section.omitted.length === 0 ? L.nothingLeftOut : section.omitted.join('; '),
    )}</div>`,
  ];
  if (section.blocks.length === 0) out.push(`<p class="note">${esc(L.empty)}</p>`);
  for (const block of section.blocks) {
    if (state.isCut) break;
    out.push(renderBlock(block, state));
  }
  out.push('</section>');
  return out.join('\n');
}

function renderBlock(block: ViewBlock, state: RenderState): string {
  switch (block.kind) {
    case 'heading':
      return `<h3>${esc(text(block.text, state))}</h3>`;
    case 'paragraph':
      return `<p>${esc(text(block.text, state))}</p>`;
    case 'note':
      return `<p class="note">${esc(text(block.text, state))}</p>`;
    case 'table':
      return renderTable(block.rows, block.caption, state);
    case 'fields':
      return `<dl>${block.entries
        .map(([k, v]) => `<dt>${esc(text(k, state))}</dt><dd>${esc(text(v, state))}</dd>`)
        .join('')}</dl>`;
    case 'list':
      return `<h3>${esc(text(block.title, state))}</h3><ul>${block.items
        .map((item) => `<li>${esc(revealBidi(text(item, state)))}</li>`)
        .join('')}</ul>`;
    case 'image':
      return renderImage(block.bytes, block.name, state);
  }
}

function renderTable(rows: string[][], caption: string | undefined, state: RenderState): string {
  const out = ['<table>'];
  if (caption !== undefined) out.push(`<caption>${esc(text(caption, state))}</caption>`);
  for (const row of rows) {
    if (state.isCut) break;
    out.push(`<tr>${row.map((cell) => `<td>${esc(text(cell, state))}</td>`).join('')}</tr>`);
  }
  out.push('</table>');
  return out.join('');
}

function renderImage(bytes: Uint8Array, name: string | undefined, state: RenderState): string {
  const { L } = state;
  const label = name ? `${name}: ` : '';
  const mediaType = rasterType(bytes);
  // SECURITY: only raster images whose magic bytes were checked become data: URIs — never SVG
  // (scripts), never a type the document claims; the CSP's img-src data: is the second wall.
  let why: string | undefined;
  if (!mediaType) why = L.imageNotRaster;
  else if (state.imagesLeft <= 0) why = L.imageCount;
  else if (bytes.length > state.maxImageBytes || bytes.length > state.imageBytesLeft) {
    why = L.imageTooLarge;
  }
  if (why !== undefined || !mediaType) {
    return `<p class="note">${esc(L.imageLeftOut(`${label}${why ?? ''}`))}</p>`;
  }
  state.imagesLeft--;
  state.imageBytesLeft -= bytes.length;
  const alt = esc(name ?? 'image');
  return `<p><img alt="${alt}" src="data:${mediaType};base64,${base64(bytes)}"></p>`;
}

/** PNG, JPEG or GIF by signature (PNG spec §5.2, JFIF SOI + marker, GIF87a/GIF89a). */
export function rasterType(
  bytes: Uint8Array,
): 'image/png' | 'image/jpeg' | 'image/gif' | undefined {
  const at = (i: number) => bytes[i];
  if (
    at(0) === 0x89 &&
    at(1) === 0x50 &&
    at(2) === 0x4e &&
    at(3) === 0x47 &&
    at(4) === 0x0d &&
    at(5) === 0x0a &&
    at(6) === 0x1a &&
    at(7) === 0x0a
  ) {
    return 'image/png';
  }
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (
    at(0) === 0x47 &&
    at(1) === 0x49 &&
    at(2) === 0x46 &&
    at(3) === 0x38 &&
    (at(4) === 0x37 || at(4) === 0x39) &&
    at(5) === 0x61
  ) {
    return 'image/gif';
  }
  return undefined;
}

/** Text counted against the page's budget; the budget spent, the rest of the page is cut. */
function text(value: string, state: RenderState): string {
  if (state.isCut) return '';
  if (value.length <= state.charsLeft) {
    state.charsLeft -= value.length;
    return value;
  }
  const kept = value.slice(0, Math.max(0, state.charsLeft));
  state.charsLeft = 0;
  state.isCut = true;
  return kept;
}

/**
 * File names show their bidirectional controls (`invoice\u202Efdp.exe` reads as `invoiceexe.pdf`):
 * a name is where that spoof is aimed. Body text keeps them; right-to-left languages need them.
 */
export function revealBidi(value: string): string {
  return value.replace(
    /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`,
  );
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes for HTML text and attribute values; C0 controls (but tab and newline) and unpaired
 * surrogates are dropped so the page stays valid UTF-8 and nothing invisible reaches the reader.
 */
export function esc(value: string): string {
  return value
    .replace(
      /[\u0000-\u0008\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '',
    )
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  }
  return btoa(out);
}
