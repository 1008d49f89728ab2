/**
 * C2 list rotation: an infected host tries the addresses of its built-in C2 list one after the other
 * until one answers. Per host, the distinct public addresses contacted on Emotet C2 ports within a
 * sliding window; at `minAddresses` the host is flagged and reported once, by `finish()`. State is bounded
 * by `maxHosts` (least recently seen evicted) and per host by the window entries kept.
 */
import type { Detection, LogEvent } from '../../core/index.js';
import { parseIpv4 } from '../../formats/intel/index.js';
import type { NetView } from '../../formats/netlog/index.js';
import { detectionOf } from './detection.js';
import { c2Rotation } from './rules.js';

export interface RotationOptions {
  /** Window length; default 600 s. */
  windowSeconds?: number;
  /** Distinct addresses within the window that flag a host; default 8. */
  minAddresses?: number;
  /** Hosts tracked at once; default 50,000. */
  maxHosts?: number;
}

/** Rotation uses the non-standard ports only: 443/80 and service ports are everyday traffic. */
export const ROTATION_PORTS: ReadonlySet<number> = new Set([
  7080, 8080, 8443, 50000, 2080, 4143, 8090, 9080,
]);
/** Addresses kept for the detection's evidence. */
const MAX_LISTED = 32;

interface HostState {
  /** Recent contacts in time order; at most minAddresses × 4 entries. */
  times: number[];
  ips: string[];
  /** Contacts per address inside the window: its size is the distinct count. */
  counts: Map<string, number>;
  flagged?: { first: number; event: LogEvent; addresses: Set<string>; count: number };
}

/** Not routed on the Internet (RFC 1918, 6598, loopback, link-local, multicast); TEST-NET counts as public. */
export function isPrivateIpv4(n: number): boolean {
  const a = n >>> 24;
  const b = (n >>> 16) & 255;
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    a >= 224 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

export class RotationTracker {
  readonly #window: number;
  readonly #min: number;
  readonly #maxHosts: number;
  readonly #hosts = new Map<string, HostState>();

  constructor(options: RotationOptions = {}) {
    this.#window = (options.windowSeconds ?? 600) * 1000;
    this.#min = options.minAddresses ?? 8;
    this.#maxHosts = options.maxHosts ?? 50_000;
  }

  observe(view: NetView, event: LogEvent): void {
    if (view.dstPort === undefined || !ROTATION_PORTS.has(view.dstPort)) return;
    const ip = view.dstIp;
    const host = event.host ?? view.srcIp;
    if (ip === undefined || host === undefined || event.time === undefined) return;
    const n = parseIpv4(ip);
    if (n === undefined || isPrivateIpv4(n)) return;
    // Zeek's epoch `ts` when there is one: Date.parse of the ISO time costs more than the rest here.
    const ts = event.data.ts;
    const time = typeof ts === 'number' ? ts * 1000 : Date.parse(event.time);
    if (Number.isNaN(time)) return;
    let state = this.#hosts.get(host);
    if (state) {
      this.#hosts.delete(host); // re-inserted below: Map order is recency order
    } else {
      if (this.#hosts.size >= this.#maxHosts) {
        // SECURITY: bounded state; the least recently seen unflagged host goes first.
        for (const [name, s] of this.#hosts) {
          if (!s.flagged) {
            this.#hosts.delete(name);
            break;
          }
        }
        if (this.#hosts.size >= this.#maxHosts) return;
      }
      state = { times: [], ips: [], counts: new Map() };
    }
    this.#hosts.set(host, state);
    if (state.flagged) {
      state.flagged.count++;
      if (state.flagged.addresses.size < MAX_LISTED) state.flagged.addresses.add(ip);
      return;
    }
    state.times.push(time);
    state.ips.push(ip);
    state.counts.set(ip, (state.counts.get(ip) ?? 0) + 1);
    while (
      state.times.length > this.#min * 4 ||
      (state.times.length > 0 && time - state.times[0]! > this.#window)
    ) {
      state.times.shift();
      const gone = state.ips.shift()!;
      const left = state.counts.get(gone)! - 1;
      if (left === 0) state.counts.delete(gone);
      else state.counts.set(gone, left);
    }
    if (state.counts.size >= this.#min) {
      const addresses = new Set([...state.counts.keys()].slice(0, MAX_LISTED));
      state.flagged = { first: state.times[0]!, event, addresses, count: state.ips.length };
      state.times = [];
      state.ips = [];
      state.counts.clear();
    }
  }

  finish(): Detection[] {
    const out: Detection[] = [];
    for (const [host, state] of this.#hosts) {
      if (!state.flagged) continue;
      const d = detectionOf(c2Rotation, state.flagged.event);
      d.host = host;
      d.time = new Date(state.flagged.first).toISOString();
      d.event = {
        host,
        addresses: [...state.flagged.addresses],
        connections: state.flagged.count,
        windowSeconds: this.#window / 1000,
      };
      out.push(d);
    }
    this.#hosts.clear();
    return out;
  }
}
