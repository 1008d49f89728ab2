import { At, isRecord, locate, type FieldReader, type Where } from './fields.js';
import type { NetworkAddress } from './types.js';

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-f:.]{2,45}$/;
const MAC = /^[0-9a-f]{2}(?:[:-]?[0-9a-f]{2}){5}$/i;
const MAX_INTERFACE_CHARS = 256;

/**
 * An IP literal in the form the store keeps (IPv4 dotted quad, IPv6 lower-cased), or null. IPv6 zone
 * indexes (`fe80::1%12`) are dropped: they name the adapter, not the address.
 */
export function normalizeIp(value: string): string | null {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/%[0-9a-z._-]{1,32}$/, '');
  if (IPV4.test(v)) return v;
  const colons = v.match(/:/g)?.length ?? 0;
  return IPV6.test(v) && colons >= 2 && colons <= 7 ? v : null;
}

/** `AA-BB-CC-DD-EE-FF` (ipconfig, WMI) or `aabbccddeeff` → `aa:bb:cc:dd:ee:ff`; else undefined. */
function normalizeMac(value: string): string | undefined {
  if (!MAC.test(value)) return undefined;
  const hex = value.replace(/[:-]/g, '').toLowerCase();
  return hex.match(/../g)!.join(':');
}

/**
 * `network.addresses[]` of a snapshot: `{ip, mac?, interface?}` rows, or bare IP strings. Rows with one
 * adapter and several addresses (`ip` as a list, as WMI's IPAddress is) are spread into one row each.
 * Addresses that are not IP literals are dropped with an anomaly.
 */
export function readNetwork(read: FieldReader, value: unknown, where: Where): NetworkAddress[] {
  if (value === undefined || value === null) return [];
  const at = locate(where, 'network');
  if (!isRecord(value)) {
    read.sink.add('E_SNAPSHOT_FIELD_TYPE', 'network is not an object', at);
    return [];
  }
  const max = read.limits.maxAddresses;
  const list = locate(at, 'addresses');
  const items = read.array(value.addresses, max, list);
  const out: NetworkAddress[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < items.length && out.length < max; i++) {
    const row = new At(list, i);
    const item = items[i];
    const fields = isRecord(item) ? item : { ip: item };
    const ips = Array.isArray(fields.ip) ? read.array(fields.ip, max, row, 'ip') : [fields.ip];
    const mac = normalizeMac(read.str(fields.mac, row, 'mac'));
    const name = read.str(fields.interface, row, 'interface').slice(0, MAX_INTERFACE_CHARS);
    for (const raw of ips) {
      const ip = typeof raw === 'string' ? normalizeIp(raw) : null;
      if (ip === null) {
        read.sink.add('E_SNAPSHOT_ROW', 'address skipped: not an IP literal', locate(row, 'ip'));
        continue;
      }
      const key = `${ip}\u0000${mac ?? ''}`;
      if (seen.has(key) || out.length >= max) continue;
      seen.add(key);
      out.push({ ip, ...(mac ? { mac } : {}), ...(name ? { interface: name } : {}) });
    }
  }
  return out;
}
