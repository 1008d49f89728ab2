import type { ExtractedIocs } from '../../core/index.js';
import { refang } from './refang.js';

export interface IndicatorOptions {
  /** Most values kept per kind; an input stuffed with millions of URLs must not flood output. */
  maxPerKind?: number;
}

export const MAX_INDICATORS_PER_KIND = 1000;

const URL_RE = /\b(?:https?|ftp):\/\/[^\s"'<>`\\^{}|]{1,2048}/gi;
// Dotted quad with each octet 0-255, not part of a longer dotted number (version strings 1.2.3.4.5).
const IPV4_RE =
  /(?<![\d.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\d.]*\d)/g;
const EMAIL_RE = /\b[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}\b/g;
// Executable file names as olevba reports them: what a macro drops or starts.
const FILE_RE =
  /(?:[A-Za-z]:\\|%\w{1,32}%\\|\\\\)?(?:[\w.$ -]{1,64}\\){0,16}[\w.$-]{1,128}\.(?:exe|dll|scr|pif|bat|cmd|vbs|vbe|jse?|wsf|wsh|hta|ps1|psm1|lnk|jar|msi|cpl|ocx|sys|com)(?![\w])/gi;
// The extension part of FILE_RE on its own: a cheap scan that finds where a file name can end.
const FILE_EXTENSION_RE =
  /\.(?:exe|dll|scr|pif|bat|cmd|vbs|vbe|jse?|wsf|wsh|hta|ps1|psm1|lnk|jar|msi|cpl|ocx|sys|com)(?![\w])/gi;
// Longest FILE_RE match before its extension's dot: `%` + 32 + `%\` + 16 × (64 + `\`) + 128 = 1203.
const FILE_MATCH_REACH = 1203;
const TRAILING_PUNCT = /[.,;:!?)\]}'"]+$/;
/** Every dotted quad holds a digit, a dot and a digit in a row. */
const HAS_DOTTED_DIGITS = /\d\.\d/;

/** URLs, hosts, IPv4 addresses, e-mail addresses and executable file names found in `text`. */
export function extractIndicators(text: string, options: IndicatorOptions = {}): ExtractedIocs {
  const max = options.maxPerKind ?? MAX_INDICATORS_PER_KIND;
  const plain = refang(text);
  const urls = new Set<string>();
  const domains = new Set<string>();
  const ips = new Set<string>();
  const emails = new Set<string>();
  const files = new Set<string>();
  const add = (set: Set<string>, value: string) => {
    if (set.size < max) set.add(value);
  };
  // Each kind has a character its matches cannot do without: no scan where it is absent.
  const urlRuns = plain.includes('://') ? [...plain.matchAll(URL_RE)] : [];
  for (const url of urlRuns.flatMap((m) => splitJoinedUrls(m[0]))) {
    add(urls, url);
    const host = hostOf(url);
    if (host === undefined) continue;
    if (isIpv4(host)) add(ips, host);
    else if (host.includes('.')) add(domains, host);
  }
  if (HAS_DOTTED_DIGITS.test(plain))
    for (const match of plain.matchAll(IPV4_RE)) add(ips, match[0]);
  // Every address has an `@`; without one the regex would still be tried at every word boundary.
  if (plain.includes('@')) for (const match of plain.matchAll(EMAIL_RE)) add(emails, match[0]);
  for (const name of fileNames(plain)) add(files, name.trim());
  return {
    urls: [...urls],
    domains: [...domains],
    ips: [...ips],
    emails: [...emails],
    files: [...files],
  };
}

/**
 * The matches of FILE_RE, as `matchAll` finds them, without trying it at every position of the text: its
 * optional path prefix makes each word character a start, which cost ~6% of a scan's CPU. A match ends in
 * an extension whose dot comes at or after the first one found from here, and starts at most
 * FILE_MATCH_REACH before that dot, and only after the last character before the dot that no part of
 * FILE_RE accepts, so the search resumes there; no match can start in the part skipped.
 */
function* fileNames(text: string): Generator<string> {
  let from = 0;
  for (;;) {
    FILE_EXTENSION_RE.lastIndex = from;
    const extension = FILE_EXTENSION_RE.exec(text);
    if (extension === null) return;
    FILE_RE.lastIndex = earliestFileStart(text, extension.index, from);
    const match = FILE_RE.exec(text);
    if (match === null) return;
    yield match[0];
    from = match.index + match[0].length;
  }
}

function earliestFileStart(text: string, dot: number, from: number): number {
  const floor = Math.max(from, dot - FILE_MATCH_REACH);
  let start = dot;
  while (start > floor && isFileRegexChar(text.charCodeAt(start - 1))) start--;
  return start;
}

/** The characters FILE_RE can match before an extension: `\w` (no `u` flag: ASCII) and `.$ -\:%`. */
function isFileRegexChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x5f || // _
    code === 0x2e || // .
    code === 0x24 || // $
    code === 0x20 || // space
    code === 0x2d || // -
    code === 0x5c || // \
    code === 0x3a || // :
    code === 0x25 // %
  );
}

// Droppers keep their payload URLs in one string split at run time (Emotet: "…/x/*http://…/y/@http://…").
const NEXT_SCHEME = /[*@,;|!]+(?=(?:https?|ftp):\/\/)|(?<=.)(?=(?:https?|ftp):\/\/)/gi;

/** One matched URL run → the URLs joined in it, trailing punctuation and separators cut. */
function splitJoinedUrls(run: string): string[] {
  return run
    .split(NEXT_SCHEME)
    .map((u) => u.replace(TRAILING_PUNCT, '').replace(/[*@,;|!]+$/, ''))
    .filter((u) => /^(?:https?|ftp):\/\/./i.test(u));
}

/** Lower-cased host of an absolute URL, without port, brackets or credentials; undefined if unparsable. */
export function hostOf(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host.replace(/^\[|\]$/g, '') || undefined;
  } catch {
    return undefined;
  }
}

export function isIpv4(value: string): boolean {
  return /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(
    value,
  );
}
