/**
 * DHCP leases seen by `hunt` in Zeek dhcp.log / Suricata EVE dhcp records, kept for the store's
 * host-address table (source `dhcp`), so that correlation names the host that held an address when a
 * network finding on that address happened (src/correlate/addresses.ts).
 */
import type { LogEvent } from '../../../core/index.js';
import { DhcpLeaseReader } from '../../../formats/netlog/index.js';
import type { HostAddressInput, Store } from '../../../store/index.js';

/** Leases kept per hunt: a renewal of the same host and address within the hour is one row. */
export const MAX_HUNT_LEASES = 1_000_000;
const ROWS_PER_WRITE = 10_000;

export class HuntLeases {
  readonly #reader = new DhcpLeaseReader();
  readonly #seen = new Set<string>();
  readonly rows: HostAddressInput[] = [];
  /** Leases past MAX_HUNT_LEASES, not kept. */
  dropped = 0;

  /** Passes the events through, noting the leases among them. */
  async *tap(events: AsyncIterable<LogEvent>): AsyncGenerator<LogEvent> {
    for await (const event of events) {
      this.note(event);
      yield event;
    }
  }

  note(event: LogEvent): void {
    const lease = this.#reader.read(event);
    if (lease === undefined) return;
    const key = `${lease.host}\u0000${lease.address}\u0000${lease.seenAt.slice(0, 13)}`;
    if (this.#seen.has(key)) return;
    if (this.rows.length >= MAX_HUNT_LEASES) {
      this.dropped++;
      return;
    }
    this.#seen.add(key);
    this.rows.push({
      host: lease.host,
      address: lease.address,
      seenAt: new Date(lease.seenAt),
      source: 'dhcp',
    });
  }

  async save(store: Store): Promise<void> {
    for (let i = 0; i < this.rows.length; i += ROWS_PER_WRITE) {
      await store.addHostAddresses(this.rows.slice(i, i + ROWS_PER_WRITE));
    }
  }
}
