import { inflateRawSync } from 'node:zlib';
import { crc32, findEndOfCentralDirectory } from '../zip/index.js';

/**
 * A strict, synchronous reader of the ZIP container of an OPC package, for rewriting it (APPNOTE
 * 6.3.10 §4.3). Where the scanning reader (formats/zip) recovers what it can from a hostile archive,
 * this one refuses anything a rewrite could get wrong or pass through unseen: encryption, ZIP64,
 * prepended data, duplicate or unsafe names, local headers that disagree with the directory,
 * overlapping members, sizes or CRCs that lie, and bombs (ratio and total inflated size).
 */

export type PackageRefusal = 'malformed' | 'encrypted' | 'unsupported' | 'limit';

export interface PackageMember {
  name: string;
  nameBytes: Uint8Array;
  /** General purpose flags as read; only bit 11 (UTF-8 name) is carried to the output. */
  flags: number;
  method: 0 | 8;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** The member's data as stored (compressed); copied unchanged to the output. */
  raw: Uint8Array;
  /** Inflated content, kept for the members `keep` selected. */
  content?: Uint8Array;
}

export interface StrictReadOptions {
  maxMembers: number;
  /** Bytes inflated from all members together. */
  maxTotalBytes: number;
  /** Inflated / compressed size of one member, for members past `RATIO_FLOOR_BYTES`. */
  maxRatio: number;
  /** Which members' inflated content to keep (the others are inflated to check them, then dropped). */
  keep: (name: string) => boolean;
  /**
   * Inflate every member to check its size and CRC (default). Off, only the structure is checked: for
   * re-reading an archive this module's own writer produced from checked members.
   */
  isContentChecked?: boolean;
  checkDeadline?: () => void;
}

export type StrictReadResult =
  { ok: true; members: PackageMember[] } | { ok: false; refusal: PackageRefusal; reason: string };

/** A member inflating to less than this is no bomb by itself; `maxTotalBytes` bounds many of them. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

const LOCAL_FILE_HEADER = 0x04034b50; // APPNOTE 4.3.7
const CENTRAL_FILE_HEADER = 0x02014b50; // APPNOTE 4.3.12
const FLAG_ENCRYPTED = 0x0001; // APPNOTE 4.4.4 bit 0
const FLAG_STRONG_ENCRYPTION = 0x0040; // bit 6
const FLAG_ENCRYPTED_DIRECTORY = 0x2000; // bit 13
const FLAG_UTF8 = 0x0800; // bit 11
const ZIP64_MARK = 0xffffffff;

class Refused extends Error {
  constructor(
    readonly refusal: PackageRefusal,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads every member of the package, checking each against its directory entry.
 *
 * @example
 * const read = readPackageStrict(bytes, { maxMembers: 10_000, maxTotalBytes: 1 << 30, maxRatio: 200, keep: (n) => n.endsWith('.xml') });
 * if (!read.ok) refuse(read.refusal, read.reason);
 */
export function readPackageStrict(bytes: Uint8Array, options: StrictReadOptions): StrictReadResult {
  try {
    return { ok: true, members: readMembers(bytes, options) };
  } catch (error) {
    if (error instanceof Refused)
      return { ok: false, refusal: error.refusal, reason: error.message };
    throw error;
  }
}

function readMembers(bytes: Uint8Array, options: StrictReadOptions): PackageMember[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfCentralDirectory(bytes);
  if (!end)
    throw new Refused('malformed', 'not a ZIP archive (no end of central directory record)');
  if (end.isZip64) throw new Refused('unsupported', 'ZIP64 packages are not rewritten');
  if (view.getUint16(end.offset + 4, true) !== 0 || view.getUint16(end.offset + 6, true) !== 0)
    throw new Refused('unsupported', 'multi-disk archive');
  if (view.getUint32(end.offset + 16, true) !== end.directoryOffset)
    throw new Refused('malformed', 'data before the archive (the directory offset is shifted)');
  if (end.entries > options.maxMembers)
    throw new Refused('limit', `${end.entries} members exceed maxMembers ${options.maxMembers}`);
  const members: { member: PackageMember; offset: number; dataEnd: number }[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  let at = end.directoryOffset;
  for (let i = 0; i < end.entries; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_FILE_HEADER)
      throw new Refused('malformed', `central directory entry ${i} is broken`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const next =
      at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    if (next > bytes.length) throw new Refused('malformed', `central directory entry ${i} is cut`);
    const nameBytes = bytes.slice(at + 46, at + 46 + nameLength);
    at = next;
    const name = decodeName(nameBytes, flags);
    if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_ENCRYPTED_DIRECTORY))
      throw new Refused('encrypted', `${name}: encrypted member`);
    if (compressedSize === ZIP64_MARK || uncompressedSize === ZIP64_MARK || offset === ZIP64_MARK)
      throw new Refused('unsupported', `${name}: ZIP64 member`);
    if (method !== 0 && method !== 8)
      throw new Refused('unsupported', `${name}: compression method ${method}`);
    checkName(name);
    if (name.endsWith('/')) continue; // a directory entry: OPC has none, and the output drops it
    const key = name.toLowerCase();
    if (seen.has(key))
      throw new Refused(
        'malformed',
        `${name}: two members name the same part (OPC names are case-insensitive)`,
      );
    seen.add(key);
    if (
      uncompressedSize > RATIO_FLOOR_BYTES &&
      uncompressedSize / Math.max(1, compressedSize) > options.maxRatio
    )
      throw new Refused('limit', `${name}: compression ratio exceeds maxRatio ${options.maxRatio}`);
    declaredTotal += uncompressedSize;
    if (declaredTotal > options.maxTotalBytes)
      throw new Refused('limit', `members inflate past maxTotalBytes ${options.maxTotalBytes}`);
    const dataStart = localDataStart(bytes, view, offset, nameBytes, name);
    const dataEnd = dataStart + compressedSize;
    if (dataEnd > end.directoryOffset)
      throw new Refused('malformed', `${name}: member data runs into the central directory`);
    const member: PackageMember = {
      name,
      nameBytes,
      flags,
      method: method as 0 | 8,
      crc32: crc,
      compressedSize,
      uncompressedSize,
      raw: bytes.subarray(dataStart, dataEnd),
    };
    members.push({ member, offset, dataEnd });
  }
  // SECURITY: members sharing bytes are the overlapping-file zip bomb (one deflate stream inflated many times).
  const byOffset = [...members].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    if (byOffset[i]!.offset < byOffset[i - 1]!.dataEnd)
      throw new Refused('malformed', `${byOffset[i]!.member.name}: members overlap`);
  }
  if (options.isContentChecked === false) return members.map((m) => m.member);
  for (const { member } of members) {
    options.checkDeadline?.();
    const content = inflateMember(member);
    if (options.keep(member.name)) member.content = content;
  }
  return members.map((m) => m.member);
}

function decodeName(nameBytes: Uint8Array, flags: number): string {
  const isAscii = nameBytes.every((b) => b >= 0x20 && b < 0x7f);
  if (!isAscii && !(flags & FLAG_UTF8))
    throw new Refused('malformed', 'member name is neither ASCII nor flagged UTF-8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(nameBytes);
  } catch {
    throw new Refused('malformed', 'member name is not valid UTF-8');
  }
}

function checkName(name: string): void {
  if (
    name === '' ||
    /^[\\/]|^[A-Za-z]:|\\|[\u0000-\u001f]/.test(name) ||
    /(^|\/)\.\.?(\/|$)/.test(name)
  ) {
    throw new Refused('malformed', `${JSON.stringify(name)}: unsafe member name`);
  }
}

function localDataStart(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  nameBytes: Uint8Array,
  name: string,
): number {
  if (offset + 30 > bytes.length || view.getUint32(offset, true) !== LOCAL_FILE_HEADER)
    throw new Refused('malformed', `${name}: no local header where the directory points`);
  const nameLength = view.getUint16(offset + 26, true);
  const extraLength = view.getUint16(offset + 28, true);
  const local = bytes.subarray(offset + 30, offset + 30 + nameLength);
  // SECURITY: a local name that differs from the directory's is read differently by different tools.
  if (local.length !== nameBytes.length || local.some((b, i) => b !== nameBytes[i]))
    throw new Refused('malformed', `${name}: the local header names another member`);
  return offset + 30 + nameLength + extraLength;
}

function inflateMember(member: PackageMember): Uint8Array {
  let content: Uint8Array;
  if (member.method === 0) {
    if (member.compressedSize !== member.uncompressedSize)
      throw new Refused('malformed', `${member.name}: stored member with two different sizes`);
    content = member.raw;
  } else {
    try {
      // SECURITY: the declared size caps real output; a member inflating past it is refused.
      const out = inflateRawSync(member.raw, {
        maxOutputLength: Math.max(1, member.uncompressedSize),
      });
      content = new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new Refused(
        'malformed',
        code === 'ERR_BUFFER_TOO_LARGE'
          ? `${member.name}: inflates past its declared size`
          : `${member.name}: corrupt deflate data`,
      );
    }
  }
  if (content.length !== member.uncompressedSize)
    throw new Refused('malformed', `${member.name}: inflated size differs from the declared size`);
  if (crc32(content) !== member.crc32)
    throw new Refused('malformed', `${member.name}: CRC-32 mismatch`);
  return content;
}
