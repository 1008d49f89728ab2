/**
 * @module apps/pdf — prints a report's HTML to PDF with a headless Chromium (Debian's `chromium`;
 * `--print-to-pdf`, https://developer.chrome.com/docs/chromium/headless). The same self-contained page as
 * `report --format html`: its CSP forbids scripts and network loads, so printing runs no input.
 *
 * @example
 * const pdf = await htmlToPdf(renderIncidentHtml(report), { env: process.env });
 * writeFileSync('incident.pdf', pdf);
 */
export {
  CHROMIUM_CANDIDATES,
  findChromium,
  htmlToPdf,
  PDF_TIMEOUT_MS,
  type PdfOptions,
} from './chromium.js';
