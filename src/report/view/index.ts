/**
 * @module report/view — the safe view: a document's or a mail's text and pictures as one static
 * HTML page with no scripts, under a Content Security Policy (W3C CSP Level 3,
 * https://www.w3.org/TR/CSP3/) of `default-src 'none'; img-src data:` and a hashed style block.
 * Pure: a `SafeView` model in (built by apps/safe-view from the format extractors), HTML out; for
 * `emoguard view` and the dashboard's sandboxed iframe.
 *
 * @example
 * const html = renderSafeView({ title: 'invoice.docx', lang: 'ja', sections });
 */
export { esc as escapeViewText, rasterType, renderSafeView, SAFE_VIEW_CSP } from './render.js';
export { VIEW_LABELS, type ViewLabels } from './labels.js';
export {
  MAX_VIEW_CHARS,
  MAX_VIEW_IMAGE_BYTES,
  MAX_VIEW_IMAGES,
  MAX_VIEW_TOTAL_IMAGE_BYTES,
  type RenderSafeViewOptions,
  type SafeView,
  type ViewBlock,
  type ViewSection,
} from './model.js';
