/**
 * Capture magic numbers: pcap's 0xa1b2c3d4 (µs) and 0xa1b23c4d (ns) in either byte order, pcapng's
 * Section Header Block type 0x0a0d0d0a (byte-order independent by design).
 */
const MAGICS = [
  [0xd4, 0xc3, 0xb2, 0xa1],
  [0xa1, 0xb2, 0xc3, 0xd4],
  [0x4d, 0x3c, 0xb2, 0xa1],
  [0xa1, 0xb2, 0x3c, 0x4d],
  [0x0a, 0x0d, 0x0d, 0x0a],
] as const;

export function isCaptureHead(head: Uint8Array): boolean {
  return MAGICS.some((m) => m.every((b, i) => head[i] === b));
}
