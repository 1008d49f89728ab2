import type { Anomaly } from '../../core/index.js';
import { ansiZ, guidAt, u32, utf16Z } from './bin.js';
import type { ExtraDataBlock, LnkExtraData, TrackerData } from './types.js';

/** ExtraData block signatures (MS-SHLLINK 2.5). */
export const BLOCK = {
  EnvironmentVariable: 0xa0000001,
  Console: 0xa0000002,
  Tracker: 0xa0000003,
  ConsoleFE: 0xa0000004,
  SpecialFolder: 0xa0000005,
  Darwin: 0xa0000006,
  IconEnvironment: 0xa0000007,
  Shim: 0xa0000008,
  PropertyStore: 0xa0000009,
  KnownFolder: 0xa000000b,
  VistaAndAboveIDList: 0xa000000c,
} as const;

// Real shortcuts carry a handful of blocks; a list longer than this is crafted.
export const MAX_EXTRA_BLOCKS = 64;
const MAX_PROPERTY_STRINGS = 16;

/**
 * ExtraData (2.5): blocks of BlockSize + BlockSignature until a TerminalBlock (BlockSize < 4). Returns
 * where the terminal block ends: bytes after it are not part of the link.
 */
export function parseExtraData(
  bytes: Uint8Array,
  at: number,
  anomalies: Anomaly[],
): { extra: LnkExtraData; end: number } {
  const extra: LnkExtraData = { blocks: [], propertyStrings: [] };
  let p = at;
  for (;;) {
    const size = u32(bytes, p);
    if (size === undefined) {
      // Many writers omit the TerminalBlock at the very end of the file; only a partial one is wrong.
      if (p < bytes.length)
        anomalies.push({ code: 'E_LNK_TRUNCATED', message: 'ExtraData cut short', offset: p });
      return { extra, end: bytes.length };
    }
    if (size < 4) return { extra, end: p + 4 };
    const signature = u32(bytes, p + 4);
    if (signature === undefined || size < 8 || p + size > bytes.length) {
      anomalies.push({
        code: 'E_LNK_BAD_BLOCK',
        message: `ExtraData block of ${size} bytes`,
        offset: p,
      });
      return { extra, end: bytes.length };
    }
    if (extra.blocks.length >= MAX_EXTRA_BLOCKS) {
      anomalies.push({
        code: 'E_LNK_TOO_MANY_BLOCKS',
        message: `more than ${MAX_EXTRA_BLOCKS} ExtraData blocks`,
        offset: p,
      });
      return { extra, end: bytes.length };
    }
    const block: ExtraDataBlock = { signature, size, offset: p };
    extra.blocks.push(block);
    readBlock(bytes.subarray(p, p + size), block, extra);
    p += size;
  }
}

function readBlock(b: Uint8Array, block: ExtraDataBlock, extra: LnkExtraData): void {
  switch (block.signature) {
    case BLOCK.EnvironmentVariable: {
      const target = ansiUnicodePair(b);
      if (target) extra.environmentTarget = target;
      break;
    }
    case BLOCK.IconEnvironment: {
      const target = ansiUnicodePair(b);
      if (target) extra.iconEnvironmentTarget = target;
      break;
    }
    case BLOCK.Darwin: {
      const data = ansiUnicodePair(b);
      if (data) extra.darwinData = data;
      break;
    }
    case BLOCK.Tracker: {
      const tracker = readTracker(b);
      if (tracker) extra.tracker = tracker;
      break;
    }
    case BLOCK.KnownFolder: {
      const id = guidAt(b, 8);
      if (id) extra.knownFolderId = id;
      break;
    }
    case BLOCK.SpecialFolder: {
      const id = u32(b, 8);
      if (id !== undefined) extra.specialFolderId = id;
      break;
    }
    case BLOCK.Shim: {
      const layer = utf16Z(b, 8);
      if (layer) extra.shimLayer = layer;
      break;
    }
    case BLOCK.PropertyStore:
      collectUtf16Strings(b.subarray(8), extra.propertyStrings);
      break;
  }
}

/** TargetAnsi (260 bytes) then TargetUnicode (520 bytes): the Unicode one wins when present. */
function ansiUnicodePair(b: Uint8Array): string | undefined {
  const unicode = b.length >= 8 + 260 + 520 ? utf16Z(b, 8 + 260, 8 + 260 + 520) : undefined;
  return unicode || ansiZ(b, 8, Math.min(b.length, 8 + 260)) || undefined;
}

function readTracker(b: Uint8Array): TrackerData | undefined {
  if (b.length < 0x60) return undefined;
  const machineId = ansiZ(b, 16, 32)?.trim() ?? '';
  const tracker: TrackerData = { machineId };
  const ids = [
    ['droidVolumeId', 32],
    ['droidFileId', 48],
    ['birthDroidVolumeId', 64],
    ['birthDroidFileId', 80],
  ] as const;
  for (const [key, at] of ids) {
    const id = guidAt(b, at);
    if (id) tracker[key] = id;
  }
  // A version-1 UUID (RFC 4122 4.1.3) ends in the node field: the MAC of the machine that made it.
  const version = b[48 + 7]! >> 4;
  if (version === 1) {
    tracker.macAddress = [...b.subarray(58, 64)]
      .map((x) => x.toString(16).padStart(2, '0'))
      .join(':');
  }
  return tracker;
}

/** Printable UTF-16LE runs of 4+ characters (target paths, app ids) from a serialized property store. */
function collectUtf16Strings(b: Uint8Array, out: string[]): void {
  let run = '';
  const flush = () => {
    if (run.length >= 4 && out.length < MAX_PROPERTY_STRINGS) out.push(run);
    run = '';
  };
  for (let i = 0; i + 1 < b.length && out.length < MAX_PROPERTY_STRINGS; i += 2) {
    const c = b[i]! | (b[i + 1]! << 8);
    // ASCII and CJK only: other code units in binary property values are mostly noise.
    if ((c >= 0x20 && c < 0x7f) || (c >= 0x3000 && c < 0xa000)) run += String.fromCharCode(c);
    else flush();
  }
  flush();
}
