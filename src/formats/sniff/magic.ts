import type { FileType } from '../../core/index.js';

/** Leading signatures, longest first where one is a prefix of another. Offsets are from the file start. */
interface Magic {
  type: FileType;
  offset: number;
  bytes: readonly number[];
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

export const MAGICS: readonly Magic[] = [
  { type: 'ole', offset: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] }, // MS-CFB 2.2
  { type: 'evtx', offset: 0, bytes: ascii('ElfFile\0') }, // MS-EVEN6 file header
  { type: 'minidump', offset: 0, bytes: ascii('MDMP') },
  // Word reads any input starting "{\rt" as RTF, raw \bin bytes and NULs included (rtfobj).
  { type: 'rtf', offset: 0, bytes: ascii('{\\rt') },
  { type: 'activemime', offset: 0, bytes: ascii('ActiveMime') }, // MSO blob (editdata.mso)
  { type: '7z', offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'rar', offset: 0, bytes: ascii('Rar!\x1a\x07') },
  { type: 'cab', offset: 0, bytes: ascii('MSCF\0\0\0\0') },
  { type: 'gzip', offset: 0, bytes: [0x1f, 0x8b, 0x08] },
  { type: 'elf', offset: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { type: 'pcapng', offset: 0, bytes: [0x0a, 0x0d, 0x0d, 0x0a] },
  { type: 'pcap', offset: 0, bytes: [0xd4, 0xc3, 0xb2, 0xa1] },
  { type: 'pcap', offset: 0, bytes: [0xa1, 0xb2, 0xc3, 0xd4] },
  { type: 'pcap', offset: 0, bytes: [0x4d, 0x3c, 0xb2, 0xa1] }, // nanosecond resolution
  { type: 'pcap', offset: 0, bytes: [0xa1, 0xb2, 0x3c, 0x4d] },
  // MS-SHLLINK 2.1: HeaderSize 0x4C then LinkCLSID 00021401-0000-0000-C000-000000000046
  {
    type: 'lnk',
    offset: 0,
    bytes: [0x4c, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46],
  },
  // MS-ONESTORE 2.3.1: the .one file format GUID {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}
  {
    type: 'onenote',
    offset: 0,
    bytes: [
      0xe4, 0x52, 0x5c, 0x7b, 0x8c, 0xd8, 0xa7, 0x4d, 0xae, 0xb1, 0x53, 0x78, 0xd0, 0x29, 0x96,
      0xd3,
    ],
  },
  // ISO 9660 primary volume descriptor: "CD001" in sector 16 (2048-byte sectors)
  { type: 'iso', offset: 0x8001, bytes: ascii('CD001') },
  { type: 'iso', offset: 0x8801, bytes: ascii('CD001') },
  { type: 'iso', offset: 0x9001, bytes: ascii('CD001') },
  // UDF-only images (ECMA-167 2/9.1): the volume recognition sequence starts "BEA01" in sector 16.
  { type: 'iso', offset: 0x8001, bytes: ascii('BEA01') },
];

export function hasBytesAt(
  bytes: Uint8Array,
  offset: number,
  expected: readonly number[],
): boolean {
  if (offset + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[offset + i] !== expected[i]) return false;
  return true;
}

/** Finds `needle` (ASCII) in `bytes[from, to)`; -1 when absent. */
export function indexOfAscii(
  bytes: Uint8Array,
  needle: string,
  from = 0,
  to = bytes.length,
): number {
  const n = ascii(needle);
  const first = n[0];
  const end = Math.min(to, bytes.length) - n.length;
  // Native indexOf jumps to each candidate first byte: a JS loop over a 4 MiB ZIP tail cost more
  // than the rest of sniffing a mail attachment.
  for (let i = bytes.indexOf(first!, Math.max(0, from)); i >= 0 && i <= end;) {
    if (hasBytesAt(bytes, i, n)) return i;
    i = bytes.indexOf(first!, i + 1);
  }
  return -1;
}
