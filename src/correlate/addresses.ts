import type { FindingRecord, HostAddressInput, HostAddressRecord, Store } from '../store/index.js';
import { noteFacts, noteTime } from './process-tree.js';

// Which host had an address when. Proxy, Zeek and Suricata logs name the client by address only, and
// DHCP hands one address to several hosts over time: a network finding belongs to the host that held the
// address at the finding's time, not to whichever host holds it now.

/** Observations read per address; a busy DHCP pool keeps the newest. */
export const MAX_OBSERVATIONS_PER_ADDRESS = 1_000;

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-f:.]{2,45}$/;
/** Addresses that name no host: loopback, unspecified, link-local IPv4 (APIPA), IPv6 loopback. */
const NOT_A_HOST = /^(?:127\.|0\.0\.0\.0$|169\.254\.|::1?$)/;

/** The comparable form of an IP literal (IPv6 lower-cased), or null for a host name or garbage. */
export function ipLiteral(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (IPV4.test(v)) return v;
  return IPV6.test(v) && v.includes(':') && (v.match(/:/g)?.length ?? 0) <= 7 ? v : null;
}

function hostAddress(value: string | undefined): string | null {
  const ip = value === undefined ? null : ipLiteral(value);
  return ip === null || NOT_A_HOST.test(ip) ? null : ip;
}

/**
 * (host, address, time) facts a host-side finding carries in its hunt notes: `host_ip=` (the local side
 * of a Sysmon 3 connection, on the finding's host) and `src_host=`/`src_ip=` (a logon's source
 * workstation and its address, 4624/4625).
 */
export function addressFactsOf(finding: FindingRecord, host: string | null): HostAddressInput[] {
  const out: HostAddressInput[] = [];
  for (const e of finding.evidence) {
    if (typeof e.note !== 'string') continue;
    const facts = noteFacts(e.note);
    const seenAt = noteTime(e.note) ?? finding.observedAt ?? finding.createdAt;
    const local = hostAddress(facts.host_ip);
    if (local !== null && host !== null && ipLiteral(host) === null) {
      out.push({ host, address: local, seenAt, source: 'sysmon' });
    }
    const remote = hostAddress(facts.src_ip);
    const name = facts.src_host?.trim() ?? '';
    if (
      remote !== null &&
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,253}$/.test(name) &&
      ipLiteral(name) === null
    ) {
      out.push({ host: name, address: remote, seenAt, source: 'security' });
    }
  }
  return out;
}

/**
 * The host that held the address at `at`: the only host ever seen with it, else the host of the
 * observation nearest in time (the earlier one on a tie), else — with no time — the newest holder.
 */
export function pickHost(
  observations: readonly HostAddressRecord[],
  at: Date | null,
): string | null {
  if (observations.length === 0) return null;
  const hosts = new Set(observations.map((o) => o.host));
  if (hosts.size === 1) return observations[0]!.host;
  if (at === null) {
    return observations.reduce((a, b) => (b.seenAt.getTime() >= a.seenAt.getTime() ? b : a)).host;
  }
  const t = at.getTime();
  let best = observations[0]!;
  for (const o of observations) {
    const d = Math.abs(o.seenAt.getTime() - t);
    const bestD = Math.abs(best.seenAt.getTime() - t);
    if (d < bestD || (d === bestD && o.seenAt.getTime() < best.seenAt.getTime())) best = o;
  }
  return best.host;
}

/** Observations per address for one pass, read in batches, kept in step with what the pass adds. */
export class AddressBook {
  readonly #byAddress = new Map<string, HostAddressRecord[]>();
  constructor(private readonly store: Store) {}

  /** Stores the facts and reads the observations of every address a page needs. */
  async prepare(facts: readonly HostAddressInput[], addresses: Iterable<string>): Promise<void> {
    if (facts.length > 0) {
      await this.store.addHostAddresses(facts);
      for (const f of facts) this.#byAddress.delete(ipLiteral(f.address) ?? f.address);
    }
    const missing = [...new Set(addresses)].filter((a) => !this.#byAddress.has(a));
    for (let i = 0; i < missing.length; i += 1_000) {
      const chunk = missing.slice(i, i + 1_000);
      for (const a of chunk) this.#byAddress.set(a, []);
      for (const row of await this.store.listHostAddresses({ addresses: chunk })) {
        const list = this.#byAddress.get(row.address)!;
        list.push(row);
        if (list.length > MAX_OBSERVATIONS_PER_ADDRESS) list.shift();
      }
    }
  }

  /** The host name for an address at a time, or null when no layer has seen the address on a host. */
  resolve(address: string, at: Date | null): string | null {
    const ip = ipLiteral(address);
    return ip === null ? null : pickHost(this.#byAddress.get(ip) ?? [], at);
  }
}
