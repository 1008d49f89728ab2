/**
 * IP addresses and prefixes in one canonical text form, so that a feed's `2001:DB8:0::1` and a log's
 * `2001:db8::1` are the same key: IPv4 dotted quad without leading zeros, IPv6 as RFC 5952 §4 (lower
 * case, longest zero run compressed, IPv4-mapped addresses written as IPv4).
 */

/**
 * A dotted quad as an unsigned 32-bit number; undefined for anything else (leading zeros, octets over
 * 255, signs, spaces). Hand-written rather than a regular expression: log matchers call it per line.
 */
export function parseIpv4(text: string): number | undefined {
  const n = text.length;
  if (n < 7 || n > 15) return undefined;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return undefined; // leading zero: 010 is octal in some parsers
      octet = octet * 10 + (c - 48);
      if (octet > 255) return undefined;
      digits++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

export function formatIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** An IPv6 address (RFC 4291 §2.2 text forms, zone ids refused) as 8 groups; undefined when invalid. */
export function parseIpv6(text: string): number[] | undefined {
  if (text.length < 2 || text.length > 45 || text.includes('%')) return undefined;
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    head = text.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const group = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = group(halves[0]!);
  if (!left) return undefined;
  if (halves.length === 1) {
    const all = [...left, ...tail];
    return all.length === 8 ? all : undefined;
  }
  const right = group(halves[1]!);
  if (!right) return undefined;
  const missing = 8 - left.length - right.length - tail.length;
  if (missing < 1) return undefined;
  return [...left, ...new Array<number>(missing).fill(0), ...right, ...tail];
}

/** RFC 5952 §4 text of 8 groups; `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2) becomes plain IPv4. */
export function formatIpv6(groups: readonly number[], isMappedAsV4 = true): string {
  if (isMappedAsV4 && groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return formatIpv4(((groups[6]! << 16) | groups[7]!) >>> 0);
  }
  let bestStart = -1;
  let bestLen = 1; // a single zero group is not compressed (RFC 5952 §4.2.2)
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of an IPv4 or IPv6 address (brackets allowed); undefined when it is not one. */
export function normalizeIp(text: string): string | undefined {
  const t = text.trim();
  if (parseIpv4(t) !== undefined) return t;
  const inner = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
  if (!inner.includes(':')) return undefined;
  const groups = parseIpv6(inner);
  return groups ? formatIpv6(groups) : undefined;
}

export function isIpv6Text(ip: string): boolean {
  return ip.includes(':');
}

/** Address bits of a canonical IP, most significant first: 4 bytes for IPv4, 16 for IPv6. */
export function ipBytes(ip: string): Uint8Array | undefined {
  const v4 = parseIpv4(ip);
  if (v4 !== undefined)
    return new Uint8Array([v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255]);
  const groups = ip.includes(':') ? parseIpv6(ip) : undefined;
  if (!groups) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >>> 8;
    out[2 * i + 1] = g & 255;
  });
  return out;
}

/**
 * `198.51.100.7/24` → `198.51.100.0/24`: host bits cleared so that equal prefixes are equal keys. A
 * prefix length covering the whole address is a plain IP and returned as one (`/32`, `/128`).
 */
export function normalizeCidr(text: string): { value: string; isHost: boolean } | undefined {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const ip = normalizeIp(m[1]!);
  if (ip === undefined) return undefined;
  const bytes = ipBytes(ip)!;
  const bits = Number(m[2]);
  if (bits > bytes.length * 8) return undefined;
  if (bits === bytes.length * 8) return { value: ip, isHost: true };
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  const base =
    bytes.length === 4
      ? bytes.join('.')
      : formatIpv6(
          Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!),
          false,
        );
  return { value: `${base}/${bits}`, isHost: false };
}
