/**
 * @module apps/safe-view — composes the format extractors (formats/ooxml, doc, ppt, biff, rtf, mime, msg)
 * into the safe view model that report/view renders: what `emoguard view` writes and the dashboard
 * shows in a sandboxed iframe. No I/O: bytes in, a model or an HTML page out.
 *
 * @example
 * const html = await renderSafeViewOf(bytes, 'invoice.docx', { lang: 'ja' });
 */
export { buildSafeView, decodeText, renderSafeViewOf, type SafeViewOptions } from './build.js';
export { DEFAULT_VIEW_BOUNDS, type ViewBounds } from './bounds.js';
