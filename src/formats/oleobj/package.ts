import type { Anomaly } from '../../core/index.js';
import { Cursor, utf16le } from './cursor.js';

/** Longest path read; Windows paths are at most 32,767 characters, real ones a few hundred. */
const MAX_PATH_BYTES = 32 * 1024;

/**
 * The file an OLE Package object (packager.exe, "Ole10Native") carries: what the user sees as an icon
 * with a name and runs with a double-click — an .lnk, .vbs, .js, .exe dropped from a document.
 * The layout is undocumented in MS-OLEDS beyond 2.3.6 OLENativeStream; this follows oleobj.
 */
export interface OlePackage {
  /** Label shown under the icon, normally the file name. */
  fileName: string;
  /** Where the file was on the author's machine. */
  sourcePath: string;
  /** Where Word writes it when the user opens it (%TEMP%). */
  tempPath: string;
  /** The embedded file; shorter than `declaredSize` when cut. */
  data: Uint8Array;
  declaredSize: number;
  /** Type 1 packages link to a file instead of embedding it. */
  isLink: boolean;
  /** UTF-16 forms written after the data by newer packagers, when present. */
  unicode?: { tempPath: string; fileName: string; sourcePath: string };
  anomalies: Anomaly[];
}

/**
 * Parses Package native data. `hasSizePrefix`: the `\x01Ole10Native` stream starts with a u32 size
 * (MS-OLEDS 2.3.6); the NativeData of an OLE1 Package object (RTF) does not. Undefined when the bytes
 * are not a package (no terminated file name in reach).
 *
 * @example
 * const pkg = parseOlePackage(cfb.readStream('\x01Ole10Native')!, { hasSizePrefix: true });
 * pkg?.fileName // 'invoice.lnk'
 */
export function parseOlePackage(
  bytes: Uint8Array,
  options: { hasSizePrefix: boolean },
): OlePackage | undefined {
  const c = new Cursor(bytes);
  if (options.hasSizePrefix && c.u32() === undefined) return undefined;
  const type = c.u16();
  const fileName = c.cString(MAX_PATH_BYTES);
  const sourcePath = fileName === undefined ? undefined : c.cString(MAX_PATH_BYTES);
  if (type === undefined || fileName === undefined || sourcePath === undefined) return undefined;
  const anomalies: Anomaly[] = [];
  const out: OlePackage = {
    fileName,
    sourcePath,
    tempPath: '',
    data: new Uint8Array(),
    declaredSize: 0,
    isLink: false,
    anomalies,
  };
  // Two u32 (a u16 pair 0, type 3 = embedded file, and the temp path length), then the temp path.
  const kind = c.u32();
  const tempLength = c.u32();
  const tempPath = c.cString(MAX_PATH_BYTES);
  const size = tempPath === undefined ? undefined : c.u32();
  if (
    kind === undefined ||
    tempLength === undefined ||
    tempPath === undefined ||
    size === undefined
  ) {
    out.isLink = true; // a link package ends after the source path (oleobj)
    return out;
  }
  out.tempPath = tempPath;
  out.declaredSize = size;
  const available = Math.min(size, c.left);
  out.data = c.take(available) ?? new Uint8Array();
  if (available < size) {
    anomalies.push({
      code: 'E_OLE_PACKAGE_TRUNCATED',
      message: `the package declares ${size} bytes of data, ${available} present`,
      offset: c.at,
    });
    return out;
  }
  const unicode = readUnicodeNames(c);
  if (unicode) out.unicode = unicode;
  return out;
}

function readUnicodeNames(c: Cursor): OlePackage['unicode'] {
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    const chars = c.u32();
    if (chars === undefined || chars * 2 > MAX_PATH_BYTES) return undefined;
    const raw = c.take(chars * 2);
    if (!raw) return undefined;
    names.push(utf16le(raw).replace(/\0+$/, ''));
  }
  return { tempPath: names[0]!, fileName: names[1]!, sourcePath: names[2]! };
}
