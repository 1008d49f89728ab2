/**
 * DHCP leases from network logs: which host was given which address when. Proxy, Zeek and Suricata
 * records name a client by address only, and a DHCP pool hands one address to several hosts over a day,
 * so a finding on 10.0.0.5 belongs to whichever host held 10.0.0.5 at the finding's time.
 * - Zeek `dhcp.log` (TSV or JSON; https://docs.zeek.org/en/master/scripts/base/protocols/dhcp/main.zeek.html):
 *   one record per exchange with `assigned_addr`, `host_name`, `client_fqdn`, `mac`, `lease_time`,
 *   `msg_types`; a lease when an address was assigned and (when listed) the exchange ended in ACK.
 * - Suricata EVE `dhcp` (https://docs.suricata.io/en/latest/output/eve/eve-json-format.html#event-type-dhcp):
 *   the ACK reply carries `assigned_ip` and `client_mac`, the client's request carries `hostname`;
 *   the name is remembered by MAC from the request and given to the lease of the ACK.
 */
import type { LogEvent } from '../../core/index.js';

export interface DhcpLease {
  host: string;
  address: string;
  /** ISO time of the exchange. */
  seenAt: string;
  mac?: string;
  leaseSeconds?: number;
  /** 1-based line of the log record. */
  line?: number;
}

/** MAC → host name pairs remembered from EVE requests; the oldest are dropped past it. */
export const MAX_DHCP_CLIENTS = 65_536;

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' && v !== '-' ? v.trim() : undefined;

/** A host name from the DHCP host-name option, else the first label of the client FQDN. */
function hostNameOf(hostName: unknown, fqdn: unknown): string | undefined {
  const name = str(hostName) ?? str(fqdn)?.split('.')[0];
  return name !== undefined && HOST_NAME.test(name) ? name : undefined;
}

function addressOf(value: unknown): string | undefined {
  const v = str(value);
  if (v === undefined || v === '0.0.0.0' || v === '::') return undefined;
  if (IPV4.test(v)) return v;
  return v.includes(':') && IPV6.test(v) ? v.toLowerCase() : undefined;
}

function lease(
  event: LogEvent,
  host: string | undefined,
  address: string | undefined,
  extra: { mac?: string | undefined; leaseSeconds?: unknown },
): DhcpLease | undefined {
  if (host === undefined || address === undefined || event.time === undefined) return undefined;
  const out: DhcpLease = { host, address, seenAt: event.time };
  if (extra.mac !== undefined) out.mac = extra.mac.toLowerCase();
  const seconds = extra.leaseSeconds;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0)
    out.leaseSeconds = seconds;
  if (event.source.line !== undefined) out.line = event.source.line;
  return out;
}

/**
 * Reads leases from network events, in log order. Stateful for Suricata (host names by MAC from
 * requests), bounded by MAX_DHCP_CLIENTS.
 *
 * @example
 * const dhcp = new DhcpLeaseReader();
 * for await (const e of readNetlog(chunks, { path: 'dhcp.log' })) { const l = dhcp.read(e); … }
 */
export class DhcpLeaseReader {
  readonly #names = new Map<string, string>();

  read(event: LogEvent): DhcpLease | undefined {
    if (event.kind !== 'network') return undefined;
    const data = event.data as Record<string, unknown>;
    if (data._path === 'dhcp') return this.#zeek(event, data);
    if (data.event_type === 'dhcp') return this.#eve(event, data);
    return undefined;
  }

  #zeek(event: LogEvent, data: Record<string, unknown>): DhcpLease | undefined {
    const types = data.msg_types;
    if (Array.isArray(types) && types.length > 0 && !types.includes('ACK')) return undefined;
    return lease(
      event,
      hostNameOf(data.host_name, data.client_fqdn),
      addressOf(data.assigned_addr),
      {
        mac: str(data.mac),
        leaseSeconds: data.lease_time,
      },
    );
  }

  #eve(event: LogEvent, data: Record<string, unknown>): DhcpLease | undefined {
    const dhcp = data.dhcp;
    if (dhcp === null || typeof dhcp !== 'object') return undefined;
    const d = dhcp as Record<string, unknown>;
    const mac = str(d.client_mac)?.toLowerCase();
    const named = hostNameOf(d.hostname, d.client_fqdn);
    if (mac !== undefined && named !== undefined) this.#remember(mac, named);
    const kind = str(d.dhcp_type);
    if (d.type !== 'reply' || (kind !== undefined && kind !== 'ack')) return undefined;
    const host = named ?? (mac === undefined ? undefined : this.#names.get(mac));
    return lease(event, host, addressOf(d.assigned_ip), { mac, leaseSeconds: d.lease_time });
  }

  #remember(mac: string, name: string): void {
    this.#names.delete(mac);
    this.#names.set(mac, name);
    if (this.#names.size > MAX_DHCP_CLIENTS) {
      this.#names.delete(this.#names.keys().next().value as string);
    }
  }
}
