/**
 * What a C2 entry of Emotet's table may hold. Emotet's tiers are compromised public servers, so an entry
 * whose address cannot be reached on the Internet (RFC 6890 special-purpose ranges) is not one; the
 * ports are those its C2 lists used (public reports 2017-2023: 80, 443, 8080, 7080, 8443, 4143, 2222 …).
 */

/** Ports seen in Emotet C2 tables. Anything else ends a table candidate. */
export const EMOTET_C2_PORTS: readonly number[] = [
  20, 21, 22, 53, 80, 443, 465, 990, 993, 995, 2222, 3389, 4143, 5000, 7080, 7443, 8000, 8080, 8090,
  8443, 50000,
];

export interface PlausibilityOptions {
  /**
   * Accept the RFC 5737 documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24). For tests
   * only: tests must never carry routable C2 addresses, and in real data a table of documentation
   * addresses is not Emotet's.
   */
  allowDocumentationRanges?: boolean;
  /** Ports accepted (default EMOTET_C2_PORTS). */
  ports?: readonly number[];
}

const portTables = new WeakMap<readonly number[], Uint8Array>();

/**
 * A 64 Ki lookup table: one array read per candidate position keeps the scan near memory speed. Kept
 * per ports array, since chunked callers scan thousands of small memory regions with the same options.
 * The table is shared: callers must not write to it.
 */
export function portTable(ports: readonly number[]): Uint8Array {
  let table = portTables.get(ports);
  if (table) return table;
  table = new Uint8Array(65536);
  for (const p of ports) if (Number.isInteger(p) && p > 0 && p < 65536) table[p] = 1;
  portTables.set(ports, table);
  return table;
}

/** True for a public unicast IPv4 address `a.b.c.*` (not a special-purpose range of RFC 6890). */
export function isPublicUnicast(
  a: number,
  b: number,
  c: number,
  allowDocumentationRanges = false,
): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this-net, private, loopback, multicast, reserved
  if (a === 100 && b >= 64 && b <= 127) return false; // shared address space (RFC 6598)
  if (a === 169 && b === 254) return false; // link local
  if (a === 172 && b >= 16 && b <= 31) return false; // private
  if (a === 192 && b === 168) return false; // private
  if (a === 192 && b === 0 && c === 0) return false; // IETF protocol assignments
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking (RFC 2544)
  const isDocumentation =
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113);
  return !isDocumentation || allowDocumentationRanges;
}

/** A server address: public unicast, and not the network (.0) or broadcast (.255) address of a /24. */
export function isPlausibleServer(
  a: number,
  b: number,
  c: number,
  d: number,
  allowDocumentationRanges = false,
): boolean {
  return d !== 0 && d !== 255 && isPublicUnicast(a, b, c, allowDocumentationRanges);
}
