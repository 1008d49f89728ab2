import { concatBytes, guidToBytes, u16le, u32le, utf16leBytes } from '../../core/index.js';

/*
 * A Shell Link (.lnk) writer, structure by structure ([MS-SHLLINK] 2.1–2.5): header, IDList, LinkInfo,
 * StringData and ExtraData blocks. The demo's inert shortcut and the parser's tests are made with it;
 * switches for hostile variants (lying sizes, missing terminal block, trailing bytes) are in the spec.
 */

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const zeros = (n: number) => new Uint8Array(n);
/** `bytes` padded with zeros to `size` (cut when longer). */
function fixed(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, size));
  return out;
}

export interface LnkSpec {
  /** Absolute target path, written as an IDList (My Computer, volume, file entries). */
  target?: string;
  /** LinkInfo LocalBasePath. */
  localBasePath?: string;
  /** LinkInfo CommonNetworkRelativeLink NetName (`\\server\share`). */
  netName?: string;
  name?: string;
  relativePath?: string;
  workingDir?: string;
  arguments?: string;
  iconLocation?: string;
  iconIndex?: number;
  showCommand?: number;
  /** StringData in UTF-16LE (default) or ANSI. */
  unicode?: boolean;
  environmentTarget?: string;
  iconEnvironmentTarget?: string;
  knownFolderId?: string;
  tracker?: { machineId: string; mac?: string };
  propertyStrings?: string[];
  /** Bytes appended after the terminal block. */
  trailing?: Uint8Array | string;
  /** Leave out the TerminalBlock (many writers do at the end of the file). */
  omitTerminal?: boolean;
  /** Extra raw ExtraData blocks written before the known ones. */
  rawBlocks?: Uint8Array[];
}

const MY_COMPUTER = '{20D04FE0-3AEA-1069-A2D8-08002B30309D}';
const LINK_CLSID = '{00021401-0000-0000-C000-000000000046}';

export function buildLnk(spec: LnkSpec): Uint8Array {
  const unicode = spec.unicode ?? true;
  const strings: [number, string | undefined][] = [
    [0x4, spec.name],
    [0x8, spec.relativePath],
    [0x10, spec.workingDir],
    [0x20, spec.arguments],
    [0x40, spec.iconLocation],
  ];
  let flags = unicode ? 0x80 : 0;
  if (spec.target) flags |= 0x1;
  if (spec.localBasePath || spec.netName) flags |= 0x2;
  for (const [flag, value] of strings) if (value !== undefined) flags |= flag;
  if (spec.environmentTarget) flags |= 0x200;
  const parts: Uint8Array[] = [header(flags, spec)];
  if (spec.target) parts.push(idList(spec.target));
  if (spec.localBasePath || spec.netName) parts.push(linkInfo(spec));
  for (const [, value] of strings) {
    if (value === undefined) continue;
    parts.push(u16le(value.length), unicode ? utf16leBytes(value) : ascii(value));
  }
  parts.push(...(spec.rawBlocks ?? []), ...extraBlocks(spec));
  if (!spec.omitTerminal) parts.push(u32le(0));
  if (spec.trailing !== undefined) {
    parts.push(typeof spec.trailing === 'string' ? ascii(spec.trailing) : spec.trailing);
  }
  return concatBytes(parts);
}

function header(flags: number, spec: LnkSpec): Uint8Array {
  const h = new Uint8Array(0x4c);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x4c, true);
  h.set(guidToBytes(LINK_CLSID), 4);
  v.setUint32(20, flags, true);
  v.setUint32(24, 0x20, true); // FILE_ATTRIBUTE_ARCHIVE
  // 2022-04-25T09:00:00Z as FILETIME, for creation, access and write.
  const ft = (BigInt(Date.UTC(2022, 3, 25, 9)) + 11_644_473_600_000n) * 10_000n;
  for (const at of [28, 36, 44]) v.setBigUint64(at, ft, true);
  v.setUint32(52, 289_792, true);
  v.setInt32(56, spec.iconIndex ?? 0, true);
  v.setUint32(60, spec.showCommand ?? 1, true);
  return h;
}

/** LinkTargetIDList: My Computer, `C:\`, then one file entry per path component (2.2). */
export function idList(path: string): Uint8Array {
  const [volume, ...names] = path.split('\\');
  const items = [
    concatBytes([u16le(20), Uint8Array.of(0x1f, 0x50), guidToBytes(MY_COMPUTER)]),
    concatBytes([u16le(25), Uint8Array.of(0x2f), fixed(ascii(`${volume}\\`), 22)]),
    ...names.map((name, i) => fileEntry(name, i < names.length - 1)),
  ];
  const body = concatBytes([...items, u16le(0)]);
  return concatBytes([u16le(body.length), body]);
}

function fileEntry(name: string, directory: boolean): Uint8Array {
  const short = ascii(`${name.slice(0, 8).toUpperCase()}\0`);
  const primary = short.length % 2 ? concatBytes([short, zeros(1)]) : short;
  const longName = utf16leBytes(`${name}\0`);
  // 0xBEEF0004 extension block, version 9: the long name sits at offset 46.
  const extBody = concatBytes([
    u16le(9),
    u32le(0xbeef0004),
    zeros(8),
    u16le(0x2e),
    zeros(18),
    u16le(0),
    zeros(8),
    longName,
    u16le(14),
  ]);
  const ext = concatBytes([u16le(extBody.length + 2), extBody]);
  const body = concatBytes([
    Uint8Array.of(directory ? 0x31 : 0x32, 0),
    u32le(directory ? 0 : 289_792),
    zeros(4),
    u16le(directory ? 0x10 : 0x20),
    primary,
    ext,
  ]);
  return concatBytes([u16le(body.length + 2), body]);
}

/** LinkInfo with a VolumeID + LocalBasePath and/or a CommonNetworkRelativeLink, ANSI header (0x1C). */
function linkInfo(spec: LnkSpec): Uint8Array {
  const volume = spec.localBasePath
    ? concatBytes([u32le(0x10 + 5), u32le(3), u32le(0x1234abcd), u32le(0x10), ascii('DATA\0')])
    : new Uint8Array();
  const local = spec.localBasePath ? ascii(`${spec.localBasePath}\0`) : new Uint8Array();
  const net = spec.netName
    ? concatBytes([
        u32le(0x14 + spec.netName.length + 1),
        u32le(0),
        u32le(0x14),
        u32le(0),
        u32le(0x20000),
        ascii(`${spec.netName}\0`),
      ])
    : new Uint8Array();
  const suffix = ascii('\0');
  const volumeAt = 0x1c;
  const localAt = volumeAt + volume.length;
  const netAt = localAt + local.length;
  const suffixAt = netAt + net.length;
  const size = suffixAt + suffix.length;
  const flags = (spec.localBasePath ? 1 : 0) | (spec.netName ? 2 : 0);
  return concatBytes([
    u32le(size),
    u32le(0x1c),
    u32le(flags),
    u32le(spec.localBasePath ? volumeAt : 0),
    u32le(spec.localBasePath ? localAt : 0),
    u32le(spec.netName ? netAt : 0),
    u32le(suffixAt),
    volume,
    local,
    net,
    suffix,
  ]);
}

function extraBlocks(spec: LnkSpec): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  const pair = (signature: number, value: string) =>
    concatBytes([
      u32le(0x314),
      u32le(signature),
      fixed(ascii(value), 260),
      fixed(utf16leBytes(value), 520),
    ]);
  if (spec.environmentTarget) blocks.push(pair(0xa0000001, spec.environmentTarget));
  if (spec.iconEnvironmentTarget) blocks.push(pair(0xa0000007, spec.iconEnvironmentTarget));
  if (spec.knownFolderId) {
    blocks.push(
      concatBytes([u32le(0x1c), u32le(0xa000000b), guidToBytes(spec.knownFolderId), u32le(0)]),
    );
  }
  if (spec.tracker) blocks.push(trackerBlock(spec.tracker.machineId, spec.tracker.mac));
  if (spec.propertyStrings) {
    const body = concatBytes(
      spec.propertyStrings.map((s) => concatBytes([u32le(0), utf16leBytes(`${s}\0`)])),
    );
    blocks.push(concatBytes([u32le(8 + body.length), u32le(0xa0000009), body]));
  }
  return blocks;
}

/** TrackerDataBlock (2.5.10); with `mac`, droid file ids are version-1 UUIDs ending in that MAC. */
export function trackerBlock(machineId: string, mac?: string): Uint8Array {
  const node = mac ? Uint8Array.from(mac.split(':'), (h) => Number.parseInt(h, 16)) : zeros(6);
  const droid = (seed: number) => {
    const g = new Uint8Array(16);
    g.fill(seed, 0, 6);
    g[6] = 0x11;
    g[7] = mac ? 0x11 : 0x41; // version 1 (time + MAC) or 4 (random)
    g[8] = 0x80 | seed;
    g.set(node, 10);
    return g;
  };
  return concatBytes([
    u32le(0x60),
    u32le(0xa0000003),
    u32le(0x58),
    u32le(0),
    fixed(ascii(machineId), 16),
    droid(1),
    droid(2),
    droid(1),
    droid(2),
  ]);
}
