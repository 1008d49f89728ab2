/**
 * How long an indicator stays live when its feed gives no end date. Addresses are re-used within weeks
 * once a C2 is taken down (abuse.ch drops Feodo entries after 30 days offline); domains and URLs last
 * longer; a file hash never stops meaning that file.
 */
import type { Ioc, IocType } from './types.js';

export const DEFAULT_TTL_DAYS: Readonly<Record<IocType, number | undefined>> = {
  ip: 30,
  'ip-port': 30,
  cidr: 90,
  domain: 90,
  url: 90,
  md5: undefined,
  sha1: undefined,
  sha256: undefined,
  ja3: 180,
  ja3s: 180,
};

const DAY_MS = 86_400_000;

/**
 * Sets `expiresAt` when the feed gave none: TTL days after the indicator was last (else first) seen, or
 * after `now` when the feed has no dates. `ttlDays` overrides the per-type default; 0 means never.
 */
export function withDefaultExpiry(ioc: Ioc, now: Date, ttlDays?: number): Ioc {
  if (ioc.expiresAt !== undefined) return ioc;
  const ttl = ttlDays ?? DEFAULT_TTL_DAYS[ioc.type];
  if (ttl === undefined || ttl <= 0) return ioc;
  const seen = ioc.lastSeen ?? ioc.firstSeen;
  const key = `${seen ?? now.getTime()}|${ttl}`;
  let expiresAt = expiryCache.get(key);
  if (expiresAt === undefined) {
    const base = (seen === undefined ? Number.NaN : Date.parse(seen)) || now.getTime();
    expiresAt = new Date(base + ttl * DAY_MS).toISOString();
    if (expiryCache.size >= 4096) expiryCache.clear();
    expiryCache.set(key, expiresAt);
  }
  ioc.expiresAt = expiresAt;
  return ioc;
}

/** Feed rows share a few dates: the expiry of each (date, TTL) is computed once. */
const expiryCache = new Map<string, string>();
