/**
 * Normal forms, so that a feed's value and a log's value are equal strings: the matchers are hash lookups.
 * Domains: lower case, no trailing dot, IDNA (UTS #46) to punycode. URLs: WHATWG parsing (scheme and
 * host case, IDNA, default port, dot segments), unreserved percent-escapes decoded and the others upper
 * case (RFC 3986 §6.2.2), no fragment, no trailing slash after a non-empty path. Hashes: lower-case hex.
 */
import { domainToASCII } from 'node:url';
import { normalizeCidr, normalizeIp } from './ip.js';
import type { IocType } from './types.js';

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** Lower-case punycode domain, or undefined when it is not a host name (IPs are not domains). */
export function normalizeDomain(text: string): string | undefined {
  let t = text.trim().replace(/\.$/, '');
  if (t.length === 0 || t.length > 253 || normalizeIp(t) !== undefined) return undefined;
  // domainToASCII rejects names with underscores in some Node versions only when not ASCII; lower-case first.
  if (/[^\x00-\x7f]/.test(t)) {
    t = domainToASCII(t);
    if (t === '') return undefined;
  }
  t = t.toLowerCase();
  const labels = t.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  if (/^\d+$/.test(labels.at(-1)!)) return undefined; // a dotted number that is not an IP
  return t;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

function normalizeEscapes(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ftp:': '21' };

/** The normal form of an absolute URL (`http`, `https`, `ftp`); undefined when it is not one. */
export function normalizeUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (!(url.protocol in DEFAULT_PORTS) || url.hostname === '') return undefined;
  url.hash = '';
  let path = normalizeEscapes(url.pathname);
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '') || '/';
  const port = url.port && url.port !== DEFAULT_PORTS[url.protocol] ? `:${url.port}` : '';
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  return `${url.protocol}//${auth}${url.hostname}${port}${path}${normalizeEscapes(url.search)}`;
}

/**
 * The matching key of a normal URL: without the scheme, so that `https://h/p` in a feed matches the
 * cleartext `http://h/p` a sensor logged and the other way round. An explicit non-default port stays.
 */
export function urlKey(normalUrl: string): string {
  const at = normalUrl.indexOf('://');
  return at < 0 ? normalUrl : normalUrl.slice(at + 3);
}

/** Host of a normal URL (bracket-less for IPv6). */
export function urlHost(normalUrl: string): string | undefined {
  try {
    return new URL(normalUrl).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

const HEX_LENGTHS: Partial<Record<IocType, number>> = {
  md5: 32,
  sha1: 40,
  sha256: 64,
  ja3: 32,
  ja3s: 32,
};

/** `ip:port`, `[v6]:port`; undefined unless both halves are valid. */
export function normalizeIpPort(text: string): string | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const ip = normalizeIp(m[1]!);
  const port = Number(m[2]);
  if (ip === undefined || port < 1 || port > 65535) return undefined;
  return ipPortKey(ip, port);
}

export function ipPortKey(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The normal form of `raw` as a `type` indicator, or the reason it is not one. */
export function normalizeIoc(type: IocType, raw: string): { value: string } | { error: string } {
  const text = raw.trim();
  let value: string | undefined;
  switch (type) {
    case 'ip':
      value = normalizeIp(text);
      break;
    case 'ip-port':
      value = normalizeIpPort(text);
      break;
    case 'cidr':
      value = normalizeCidr(text)?.value;
      break;
    case 'domain':
      value = normalizeDomain(text);
      break;
    case 'url':
      value = normalizeUrl(text);
      break;
    default: {
      const lower = text.toLowerCase();
      value = lower.length === HEX_LENGTHS[type] && /^[0-9a-f]+$/.test(lower) ? lower : undefined;
    }
  }
  return value === undefined
    ? { error: `not a valid ${type}: "${text.slice(0, 200)}"` }
    : { value };
}

/**
 * The type of a bare indicator in a plain list: URL (with a scheme, or host/path), IP, ip:port, CIDR,
 * domain, or hash by length (32 hex digits are MD5; JA3 lists need `--format text` with a type hint).
 */
export function classifyIndicator(
  raw: string,
  hexType: 'md5' | 'ja3' | 'ja3s' = 'md5',
): { type: IocType; value: string } | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > 8192) return undefined;
  const tryType = (type: IocType, candidate = text) => {
    const r = normalizeIoc(type, candidate);
    return 'value' in r ? { type, value: r.value } : undefined;
  };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return tryType('url');
  if (/^[0-9a-f]+$/i.test(text)) {
    if (text.length === 32) return tryType(hexType);
    if (text.length === 40) return tryType('sha1');
    if (text.length === 64) return tryType('sha256');
  }
  if (text.includes('/')) {
    const cidr = normalizeCidr(text);
    if (cidr)
      return cidr.isHost ? { type: 'ip', value: cidr.value } : { type: 'cidr', value: cidr.value };
    return tryType('url', `http://${text}`);
  }
  return tryType('ip') ?? tryType('ip-port') ?? tryType('domain');
}
