import type { Report } from './attachments.js';
import { linkToOfficeDocument } from './findings.js';

/** Links looked at per mail: a body stuffed with links must not make the engine slow or noisy. */
export const MAX_LINKS_CHECKED = 5000;

/** Download targets Emotet-style mails linked to: Office files, archives, scripts and programs. */
// prettier-ignore
const DOWNLOAD_EXTENSIONS: ReadonlySet<string> = new Set([
  'doc', 'docx', 'docm', 'dot', 'dotm', 'xls', 'xlsx', 'xlsm', 'xlsb', 'xlam', 'ppt', 'pptx', 'pptm',
  'rtf', 'zip', 'rar', '7z', 'gz', 'tgz', 'cab', 'iso', 'img', 'vhd', 'one', 'exe', 'scr', 'msi',
  'dll', 'js', 'jse', 'vbs', 'vbe', 'wsf', 'hta', 'ps1', 'bat', 'cmd', 'lnk', 'jar',
]);

const HREF = /\bhref\s*=\s*(?:"([^"]{0,4096})"|'([^']{0,4096})'|([^\s>"']{1,4096}))/gi;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the HTML character references that matter in URLs and text (numeric and a few named). */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,6}));?/g,
    (all, dec, hex, name) => {
      const code =
        dec !== undefined ? Number(dec) : hex !== undefined ? parseInt(hex, 16) : undefined;
      if (code !== undefined)
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
      return NAMED_ENTITIES[String(name).toLowerCase()] ?? all;
    },
  );
}

/** `href` targets of an HTML body, entity-decoded, at most `max`. */
export function hrefsOf(html: string, max = MAX_LINKS_CHECKED): string[] {
  const out: string[] = [];
  for (const match of html.matchAll(HREF)) {
    const value = (match[1] ?? match[2] ?? match[3] ?? '').trim();
    if (value !== '') out.push(decodeEntities(value));
    if (out.length >= max) break;
  }
  return out;
}

/** Why a link looks like a payload download, or undefined. */
export function riskyLinkReason(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'ftp:'].includes(url.protocol)) return undefined;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(url.hostname) || url.hostname.startsWith('[')) {
    return `host is the bare IP address ${url.hostname}`;
  }
  if (url.port !== '') return `non-standard port ${url.port}`;
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the raw path: a malformed escape is no reason to skip the check
  }
  const last = path.split('/').pop() ?? '';
  const dot = last.lastIndexOf('.');
  const ext = dot > 0 ? last.slice(dot + 1).toLowerCase() : '';
  return DOWNLOAD_EXTENSIONS.has(ext) ? `path ends in .${ext}` : undefined;
}

/** Reports each risky link once, with the part of the mail it came from as location. */
export function checkLinks(links: Iterable<[string, string]>, report: Report): void {
  const seen = new Set<string>();
  for (const [link, location] of links) {
    if (seen.has(link) || seen.size >= MAX_LINKS_CHECKED) continue;
    seen.add(link);
    const reason = riskyLinkReason(link);
    if (reason !== undefined) report(linkToOfficeDocument, { location, text: link, note: reason });
  }
}
