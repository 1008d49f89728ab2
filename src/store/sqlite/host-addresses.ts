import { ConfigError } from '../../core/index.js';
import { MAX_PAGE_SIZE } from '../common.js';
import type { HostAddressInput, HostAddressQuery, HostAddressRecord } from '../store.js';
import type { SqliteContext } from './results.js';

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-f:.]{2,45}$/;

/** The stored form of an address, or null when it is no IP literal (a host name, garbage). */
export function normalizeAddress(address: string): string | null {
  const a = address.trim().toLowerCase();
  if (IPV4.test(a)) return a;
  return IPV6.test(a) && a.includes(':') && (a.match(/:/g)?.length ?? 0) <= 7 ? a : null;
}

function checkRow(row: HostAddressInput): { address: string; seenAt: string } {
  const address = typeof row.address === 'string' ? normalizeAddress(row.address) : null;
  const ok =
    typeof row.host === 'string' &&
    row.host.trim() !== '' &&
    address !== null &&
    typeof row.source === 'string' &&
    row.source !== '' &&
    row.seenAt instanceof Date &&
    !Number.isNaN(row.seenAt.getTime());
  if (!ok || address === null) {
    throw new ConfigError(
      'E_STORE_INVALID_HOST',
      'a host address needs a host name, an IP literal, a source and a valid time',
    );
  }
  return { address, seenAt: row.seenAt.toISOString() };
}

/** Inserts observations (hosts upserted by name) and points each touched host's `ip` at its newest. */
export function addHostAddresses(ctx: SqliteContext, rows: readonly HostAddressInput[]): void {
  const checked = rows.map((r) => ({ ...r, ...checkRow(r) }));
  const upsert = ctx.stmt(
    `INSERT INTO hosts (name, first_seen, last_seen) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET
       first_seen = min(first_seen, excluded.first_seen),
       last_seen = max(last_seen, excluded.last_seen)
     RETURNING id`,
  );
  const insert = ctx.stmt(
    `INSERT OR IGNORE INTO host_addresses (address, host_id, seen_at, source) VALUES (?, ?, ?, ?)`,
  );
  ctx.db.transaction(() => {
    const touched = new Set<number>();
    for (const r of checked) {
      const id = (upsert.get(r.host, r.seenAt, r.seenAt) as { id: number }).id;
      insert.run(r.address, id, r.seenAt, r.source);
      touched.add(id);
    }
    refreshHostIp(ctx, touched);
  })();
}

/** `hosts.ip` = the host's most recently seen address (what `listHosts` shows). */
export function refreshHostIp(ctx: SqliteContext, hostIds: Iterable<number>): void {
  const update = ctx.stmt(
    `UPDATE hosts SET ip = coalesce((SELECT address FROM host_addresses
       WHERE host_id = hosts.id ORDER BY seen_at DESC, address LIMIT 1), ip) WHERE id = ?`,
  );
  for (const id of hostIds) update.run(id);
}

interface Row {
  address: string;
  host_id: number;
  host: string;
  seen_at: string;
  source: string;
}

export function listHostAddresses(
  ctx: SqliteContext,
  query: HostAddressQuery,
): HostAddressRecord[] {
  const limit = Math.min(query.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (query.addresses !== undefined) {
    const wanted = query.addresses
      .slice(0, MAX_PAGE_SIZE)
      .map((a) => (typeof a === 'string' ? normalizeAddress(a) : null))
      .filter((a): a is string => a !== null);
    conditions.push('a.address IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(wanted));
  }
  if (query.host !== undefined) {
    conditions.push('h.name = ?');
    params.push(query.host);
  }
  if (conditions.length === 0) {
    throw new ConfigError('E_STORE_INVALID_QUERY', 'list host addresses by address or host');
  }
  const rows = ctx
    .stmt(
      `SELECT a.address, a.host_id, h.name AS host, a.seen_at, a.source
       FROM host_addresses a JOIN hosts h ON h.id = a.host_id
       WHERE ${conditions.join(' AND ')} ORDER BY a.address, a.seen_at, h.name LIMIT ?`,
    )
    .all(...params, limit) as Row[];
  return rows.map((r) => ({
    address: r.address,
    hostId: r.host_id,
    host: r.host,
    seenAt: new Date(r.seen_at),
    source: r.source,
  }));
}
