/** Generic second levels under ccTLDs (example.co.jp, example.com.au, example.ac.uk). */
// prettier-ignore
const GENERIC_SECOND_LEVEL: ReadonlySet<string> = new Set([
  'co', 'ne', 'or', 'ac', 'go', 'ad', 'ed', 'gr', 'lg', 'com', 'net', 'org', 'gov', 'edu', 'ltd', 'plc',
]);

/**
 * Organisational domain, approximated without the Public Suffix List: the last two labels, or the
 * last three under a ccTLD's generic second level. Good enough to tell "another organisation" apart
 * in the Reply-To and display-name checks, which only add context to a verdict.
 */
export function orgDomain(domain: string): string {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.').filter(Boolean);
  const tld = labels[labels.length - 1] ?? '';
  const second = labels[labels.length - 2] ?? '';
  const keep = tld.length === 2 && GENERIC_SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

/** Domain part of an addr-spec, lower-cased; '' when there is none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .trim()
        .toLowerCase()
        .replace(/[>\]]+$/, '');
}
