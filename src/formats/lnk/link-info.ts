import type { Anomaly } from '../../core/index.js';
import { ansiZ, u32, utf16Z } from './bin.js';
import type { LinkInfo } from './types.js';

const VOLUME_ID_AND_LOCAL_BASE_PATH = 0x1;
const COMMON_NETWORK_RELATIVE_LINK_AND_PATH_SUFFIX = 0x2;

/** LinkInfo (MS-SHLLINK 2.3). Offsets are relative to the structure and must stay inside it. */
export function parseLinkInfo(
  bytes: Uint8Array,
  at: number,
  anomalies: Anomaly[],
): { info?: LinkInfo; end: number } {
  const size = u32(bytes, at);
  const headerSize = u32(bytes, at + 4);
  if (size === undefined || headerSize === undefined || size < 0x1c || at + size > bytes.length) {
    anomalies.push({ code: 'E_LNK_BAD_LINKINFO', message: `LinkInfo size ${size}`, offset: at });
    return { end: bytes.length };
  }
  const end = at + size;
  const s = bytes.subarray(at, end);
  const flags = u32(s, 8)!;
  const off = (field: number) => {
    const v = u32(s, field);
    return v === undefined || v === 0 || v >= size ? undefined : v;
  };
  const info: LinkInfo = {};
  const unicode = headerSize >= 0x24;
  if (flags & VOLUME_ID_AND_LOCAL_BASE_PATH) {
    const volume = off(12);
    if (volume !== undefined) readVolumeId(s, volume, info);
    const local = unicode ? off(28) : undefined;
    const localAnsi = off(16);
    const path =
      local !== undefined
        ? utf16Z(s, local)
        : localAnsi !== undefined
          ? ansiZ(s, localAnsi)
          : undefined;
    if (path) info.localBasePath = path;
  }
  if (flags & COMMON_NETWORK_RELATIVE_LINK_AND_PATH_SUFFIX) {
    const net = off(20);
    if (net !== undefined) readNetworkLink(s, net, info);
  }
  const suffix = unicode ? off(32) : undefined;
  const suffixAnsi = off(24);
  const text =
    suffix !== undefined
      ? utf16Z(s, suffix)
      : suffixAnsi !== undefined
        ? ansiZ(s, suffixAnsi)
        : undefined;
  if (text) info.commonPathSuffix = text;
  return { info, end };
}

/** VolumeID (2.3.1): drive type, serial number (ties a link to the volume it was made on), label. */
function readVolumeId(s: Uint8Array, at: number, info: LinkInfo): void {
  const size = u32(s, at);
  if (size === undefined || size < 0x10 || at + size > s.length) return;
  const v = s.subarray(at, at + size);
  info.driveType = u32(v, 4)!;
  info.driveSerialNumber = u32(v, 8)!;
  const labelOffset = u32(v, 12)!;
  const label =
    labelOffset === 0x14
      ? utf16Z(v, u32(v, 16) ?? size)
      : labelOffset < size
        ? ansiZ(v, labelOffset)
        : undefined;
  if (label) info.volumeLabel = label;
}

/** CommonNetworkRelativeLink (2.3.2): the share a target lives on. */
function readNetworkLink(s: Uint8Array, at: number, info: LinkInfo): void {
  const size = u32(s, at);
  if (size === undefined || size < 0x14 || at + size > s.length) return;
  const n = s.subarray(at, at + size);
  const netOffset = u32(n, 8)!;
  const deviceOffset = u32(n, 12)!;
  const unicode = netOffset > 0x14;
  const net = unicode
    ? utf16Z(n, u32(n, 20) ?? size)
    : netOffset < size
      ? ansiZ(n, netOffset)
      : undefined;
  if (net) info.netName = net;
  const flags = u32(n, 4)!;
  if (flags & 0x1) {
    const device = unicode
      ? utf16Z(n, u32(n, 24) ?? size)
      : deviceOffset < size
        ? ansiZ(n, deviceOffset)
        : undefined;
    if (device) info.deviceName = device;
  }
}
