import { FormatError, type Anomaly } from '../../core/index.js';
import { ansi, fileTimeAt, i32, u16, u32, utf16le } from './bin.js';
import { parseExtraData } from './extra-data.js';
import { idListPath, parseIdList } from './id-list.js';
import { parseLinkInfo } from './link-info.js';
import { LINK_FLAGS, type LnkStringData, type ShellLink, type ShellLinkHeader } from './types.js';

export const HEADER_SIZE = 0x4c;
// LinkCLSID 00021401-0000-0000-C000-000000000046 (MS-SHLLINK 2.1) in its on-disk byte order.
const LINK_CLSID = [0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46];

/** True when `bytes` opens with a ShellLinkHeader (HeaderSize 0x4C and the LinkCLSID). */
export function isLnk(bytes: Uint8Array): boolean {
  return u32(bytes, 0) === HEADER_SIZE && LINK_CLSID.every((b, i) => bytes[4 + i] === b);
}

/**
 * Parses a Shell Link (.lnk, MS-SHLLINK): header, LinkTargetIDList, LinkInfo, StringData, ExtraData.
 * Malformed structures become anomalies and the rest is still read; only a missing header throws.
 *
 * @example
 * const link = parseLnk(bytes);
 * `${link.target} ${link.strings.arguments}` // 'C:\Windows\System32\cmd.exe /c …'
 */
export function parseLnk(bytes: Uint8Array): ShellLink {
  if (!isLnk(bytes) || bytes.length < HEADER_SIZE) {
    throw new FormatError('E_LNK_BAD_HEADER', 'not a Shell Link header (MS-SHLLINK 2.1)', {
      offset: 0,
    });
  }
  const anomalies: Anomaly[] = [];
  const header = readHeader(bytes);
  const flags = header.linkFlags;
  let p = HEADER_SIZE;
  const link: ShellLink = {
    header,
    idList: [],
    strings: {},
    extra: { blocks: [], propertyStrings: [] },
    anomalies,
  };
  if (flags & LINK_FLAGS.HasLinkTargetIDList) {
    const { items, end } = parseIdList(bytes, p, anomalies);
    link.idList = items;
    const path = idListPath(items);
    if (path) link.idListPath = path;
    p = end;
  }
  if (flags & LINK_FLAGS.HasLinkInfo && !(flags & LINK_FLAGS.ForceNoLinkInfo)) {
    const { info, end } = parseLinkInfo(bytes, p, anomalies);
    if (info) link.linkInfo = info;
    p = end;
  } else if (flags & LINK_FLAGS.HasLinkInfo) {
    // ForceNoLinkInfo: the structure is still present and must be skipped (2.1.1 flag I).
    p += u32(bytes, p) ?? 0;
  }
  p = readStringData(bytes, p, flags, link.strings, anomalies);
  const { extra, end } = parseExtraData(bytes, p, anomalies);
  link.extra = extra;
  if (end < bytes.length) link.trailing = { offset: end, length: bytes.length - end };
  const target = bestTarget(link);
  if (target) link.target = target;
  return link;
}

function readHeader(bytes: Uint8Array): ShellLinkHeader {
  const header: ShellLinkHeader = {
    linkFlags: u32(bytes, 20)!,
    fileAttributes: u32(bytes, 24)!,
    fileSize: u32(bytes, 52)!,
    iconIndex: i32(bytes, 56)!,
    showCommand: u32(bytes, 60)!,
    hotKey: u16(bytes, 64)!,
  };
  const times = [
    ['creationTime', 28],
    ['accessTime', 36],
    ['writeTime', 44],
  ] as const;
  for (const [key, at] of times) {
    const t = fileTimeAt(bytes, at);
    if (t) header[key] = t;
  }
  return header;
}

const STRING_FIELDS = [
  [LINK_FLAGS.HasName, 'name'],
  [LINK_FLAGS.HasRelativePath, 'relativePath'],
  [LINK_FLAGS.HasWorkingDir, 'workingDir'],
  [LINK_FLAGS.HasArguments, 'arguments'],
  [LINK_FLAGS.HasIconLocation, 'iconLocation'],
] as const;

/** StringData (2.4): CountCharacters (u16) then that many characters, UTF-16LE when IsUnicode. */
function readStringData(
  bytes: Uint8Array,
  at: number,
  flags: number,
  out: LnkStringData,
  anomalies: Anomaly[],
): number {
  const unicode = (flags & LINK_FLAGS.IsUnicode) !== 0;
  let p = at;
  for (const [flag, key] of STRING_FIELDS) {
    if (!(flags & flag)) continue;
    const count = u16(bytes, p);
    if (count === undefined) {
      anomalies.push({
        code: 'E_LNK_TRUNCATED',
        message: `StringData ${key} past the end`,
        offset: p,
      });
      return bytes.length;
    }
    const length = unicode ? count * 2 : count;
    const end = Math.min(bytes.length, p + 2 + length);
    if (p + 2 + length > bytes.length) {
      anomalies.push({
        code: 'E_LNK_TRUNCATED',
        message: `StringData ${key} cut short`,
        offset: p,
      });
    }
    const raw = bytes.subarray(p + 2, end);
    out[key] = unicode ? utf16le(raw) : ansi(raw);
    p = end;
  }
  return p;
}

/** Where the link really points: the environment block (what Explorer resolves first), LinkInfo, IDList. */
function bestTarget(link: ShellLink): string | undefined {
  const info = link.linkInfo;
  const local = info?.localBasePath
    ? joinSuffix(info.localBasePath, info.commonPathSuffix)
    : undefined;
  const network = info?.netName ? joinSuffix(info.netName, info.commonPathSuffix) : undefined;
  return (
    link.extra.environmentTarget ?? local ?? network ?? link.idListPath ?? link.strings.relativePath
  );
}

function joinSuffix(base: string, suffix: string | undefined): string {
  if (!suffix) return base;
  return base.endsWith('\\') ? base + suffix : `${base}\\${suffix}`;
}
