/**
 * Making input-derived strings safe to show. Reports are opened by responders in browsers, mail clients
 * and Markdown viewers, so a path or evidence string from a malicious file must never become markup, a
 * live link, or text that reads differently from what it is.
 */
import { clipText, type Evidence } from '../core/index.js';

/** Evidence text shown in a report; the store already holds engines' clipped text. */
export const REPORT_EVIDENCE_CHARS = 512;

const BIDI_AND_INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/**
 * Shows control characters as Unicode control pictures (NUL → ␀) and bidi/zero-width characters as
 * `⟨U+202E⟩`. SECURITY: a right-to-left override makes `invoice\u202Efdp.exe` display as `invoiceexe.pdf`
 * (ATT&CK T1036.002); the report must show the trick, not perform it. Newlines and tabs are kept.
 */
export function revealControls(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, (c) => (c === '\u007F' ? '␡' : String.fromCharCode(0x2400 + c.charCodeAt(0))))
    .replace(
      BIDI_AND_INVISIBLE,
      (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`,
    );
}

const LIVE_SCHEMES: Record<string, string> = { http: 'hxxp', https: 'hxxps', ftp: 'fxp' };

function defangScheme(scheme: string): string {
  return LIVE_SCHEMES[scheme.toLowerCase()] ?? scheme;
}

/** Dots already written `[.]` stay as they are, so defanging twice changes nothing. */
function defangHost(host: string): string {
  return host.replace(/(?<!\[)\.(?!\])/g, '[.]');
}

/** `http://evil.example.com/a` → `hxxp://evil[.]example[.]com/a`. */
export function defangUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(url);
  if (!m) return defangText(url);
  return `${defangScheme(m[1]!)}://${defangHost(m[2]!).replace(/(?<!\[)@(?!\])/g, '[@]')}${m[3]!}`;
}

export function defangDomain(domain: string): string {
  return defangHost(domain);
}

/** IPv4 dots and IPv6 colons, so no viewer turns the address into a link. */
export function defangIp(ip: string): string {
  return defangHost(ip).replace(/(?<!\[):(?!\])/g, '[:]');
}

export function defangEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return defangHost(email);
  return `${email.slice(0, at)}[@]${defangHost(email.slice(at + 1))}`;
}

const IOC_DEFANGERS = {
  urls: defangUrl,
  domains: defangDomain,
  ips: defangIp,
  emails: defangEmail,
} as const;

/** Defangs an IOC value by its kind (the store's `extracted.iocs` keys). */
export function defangIoc(kind: keyof typeof IOC_DEFANGERS, value: string): string {
  return IOC_DEFANGERS[kind](value);
}

const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/?#"'<>`|\\]*)/gi;
const WWW_IN_TEXT = /\bwww\.[^\s/?#"'<>`|\\]+/gi;
const EMAIL_IN_TEXT = /([\w.+-]+)@((?:[\w-]+\.)+[\w-]+)/g;

/**
 * Defangs what a viewer would turn into a link inside free text (evidence, paths, titles): URLs with a
 * scheme, `www.` hosts (GFM autolinks them) and email addresses. Other dotted words (`invoice.doc`) stay.
 */
export function defangText(text: string): string {
  return text
    .replace(
      URL_IN_TEXT,
      (_, scheme: string, host: string) => `${defangScheme(scheme)}://${defangHost(host)}`,
    )
    .replace(WWW_IN_TEXT, (host) => defangHost(host))
    .replace(EMAIL_IN_TEXT, (_, user: string, host: string) => `${user}[@]${defangHost(host)}`);
}

/** Input text as a report shows it: controls revealed, links defanged. Escape for the format after this. */
export function displayText(text: string): string {
  return defangText(revealControls(text));
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** SECURITY: used for every string in HTML output, text and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * One line of Markdown that stays one line and one table cell: backslash-escapes every character that
 * could open markup (`|` ends a cell, `` ` `` a code span, `[` a link, `<` raw HTML, `*`/`_`/`~`
 * emphasis, `&` an entity) and turns newlines into `<br>`. SECURITY: apply to every input string.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`).replace(/\n/g, '<br>');
}

/** `location L3 @0x10: text — note`, clipped; the parts an engine did not set are left out. */
export function formatEvidence(evidence: Evidence): string {
  const where = [
    evidence.location,
    evidence.line === undefined ? undefined : `L${evidence.line}`,
    evidence.offset === undefined ? undefined : `@0x${evidence.offset.toString(16)}`,
  ]
    .filter((x) => x !== undefined && x !== '')
    .join(' ');
  const body = [evidence.text, evidence.note]
    .filter((x) => x !== undefined && x !== '')
    .join(' — ');
  const text = where && body ? `${where}: ${body}` : where || body;
  return clipText(text, REPORT_EVIDENCE_CHARS);
}

/** `2024-01-02T03:04:05.678Z` → `2024-01-02 03:04:05 UTC`: one unambiguous zone for every reader. */
export function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}
