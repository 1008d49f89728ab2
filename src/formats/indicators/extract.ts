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
const TRAILING_PUNCT = /[.,;:!?)\]}'"]+$/;

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
  for (const url of [...plain.matchAll(URL_RE)].flatMap((m) => splitJoinedUrls(m[0]))) {
    add(urls, url);
    const host = hostOf(url);
    if (host === undefined) continue;
    if (isIpv4(host)) add(ips, host);
    else if (host.includes('.')) add(domains, host);
  }
  for (const match of plain.matchAll(IPV4_RE)) add(ips, match[0]);
  for (const match of plain.matchAll(EMAIL_RE)) add(emails, match[0]);
  for (const match of plain.matchAll(FILE_RE)) add(files, match[0].trim());
  return {
    urls: [...urls],
    domains: [...domains],
    ips: [...ips],
    emails: [...emails],
    files: [...files],
  };
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
