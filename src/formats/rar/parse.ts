import type { Anomaly } from '../../core/index.js';
import {
  MAX_RAR_ENTRIES,
  type Rar5Crypt,
  type RarArchive,
  type RarEntry,
  type RarOptions,
} from './types.js';

const RAR5 = [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00];
const RAR4 = [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00];

export function isRar(bytes: Uint8Array): boolean {
  return RAR4.every((b, i) => bytes[i] === b) || RAR5.every((b, i) => bytes[i] === b);
}

/**
 * Lists a RAR archive: RAR 5.0 blocks (rarlab.com/technote.htm) or RAR 1.5–4.x blocks (unrar's
 * headers.hpp and technote.txt). Reports encrypted headers, encrypted and compressed members; stored
 * members can be read with `readRarEntry`. Never throws for bad input.
 *
 * @example
 * const r = parseRar(bytes);
 * r.isHeaderEncrypted || r.entries.map((e) => e.name)
 */
export function parseRar(bytes: Uint8Array, options: RarOptions = {}): RarArchive {
  const max = options.maxEntries ?? MAX_RAR_ENTRIES;
  if (RAR5.every((b, i) => bytes[i] === b)) return parseRar5(bytes, max);
  const archive: RarArchive = { version: 4, isHeaderEncrypted: false, entries: [], anomalies: [] };
  if (!RAR4.every((b, i) => bytes[i] === b)) {
    archive.anomalies.push({ code: 'E_RAR_BAD_SIGNATURE', message: 'no RAR signature', offset: 0 });
    return archive;
  }
  parseRar4(bytes, archive, max);
  return archive;
}

/** The stored bytes of an entry, cut at the end of the archive and at `max`. */
export function readRarEntry(bytes: Uint8Array, entry: RarEntry, max: number): Uint8Array {
  const end = Math.min(bytes.length, entry.dataOffset + entry.packedSize, entry.dataOffset + max);
  return bytes.subarray(Math.min(entry.dataOffset, bytes.length), end);
}

/** RAR5 vint: 7 bits per byte, low first, high bit = more (at most 10 bytes). */
export function vint(b: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  for (let i = 0; i < 10; i++) {
    const byte = b[at + i];
    if (byte === undefined) return undefined;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (!(byte & 0x80)) return [value, at + i + 1];
  }
  return undefined;
}

function parseRar5(bytes: Uint8Array, max: number): RarArchive {
  const archive: RarArchive = { version: 5, isHeaderEncrypted: false, entries: [], anomalies: [] };
  const bad = (message: string, offset: number) =>
    archive.anomalies.push({ code: 'E_RAR_BAD_HEADER', message, offset });
  for (let p = RAR5.length; p < bytes.length;) {
    const size = vint(bytes, p + 4);
    if (!size || size[0] < 3 || size[1] + size[0] > bytes.length)
      return (bad(`block header of ${size?.[0]} bytes`, p), archive);
    const headerEnd = size[1] + size[0];
    let q = size[1];
    const type = vint(bytes, q);
    const flags = type && vint(bytes, type[1]);
    if (!type || !flags) return (bad('block type/flags', p), archive);
    q = flags[1];
    let extra = 0;
    let data = 0;
    if (flags[0] & 0x1) [extra, q] = vint(bytes, q) ?? [0, headerEnd];
    if (flags[0] & 0x2) [data, q] = vint(bytes, q) ?? [0, headerEnd];
    if (type[0] === 4) {
      archive.isHeaderEncrypted = true; // archive encryption header: every later header is encrypted
      const crypt = readCrypt(bytes, q, headerEnd, false);
      if (crypt) archive.headerCrypt = crypt;
      else bad('archive encryption header', p);
      return archive;
    }
    if (type[0] === 2) {
      if (archive.entries.length >= max) {
        archive.anomalies.push({
          code: 'E_LIMIT_RAR_ENTRIES',
          message: `more than ${max} entries`,
          offset: p,
        });
        return archive;
      }
      const entry = readRar5File(bytes, q, headerEnd, headerEnd - extra, headerEnd, data);
      if (entry) archive.entries.push(entry);
      else bad('file header', p);
    }
    if (type[0] === 5) return archive;
    p = headerEnd + data;
  }
  archive.anomalies.push({
    code: 'E_RAR_TRUNCATED',
    message: 'no end of archive block',
    offset: bytes.length,
  });
  return archive;
}

function readRar5File(
  b: Uint8Array,
  at: number,
  end: number,
  extraAt: number,
  dataOffset: number,
  packedSize: number,
): RarEntry | undefined {
  const fields: number[] = [];
  let q = at;
  for (let i = 0; i < 3; i++) {
    const v = vint(b, q);
    if (!v || v[1] > end) return undefined;
    fields.push(v[0]);
    q = v[1];
  }
  const [fileFlags, size] = fields as [number, number, number];
  if (fileFlags & 0x2) q += 4; // mtime
  if (fileFlags & 0x4) q += 4; // data CRC32
  const comp = vint(b, q);
  const host = comp && vint(b, comp[1]);
  const nameLen = host && vint(b, host[1]);
  if (!comp || !nameLen || nameLen[1] + nameLen[0] > end) return undefined;
  const name = new TextDecoder('utf-8').decode(b.subarray(nameLen[1], nameLen[1] + nameLen[0]));
  let isEncrypted = false;
  let crypt: Rar5Crypt | undefined;
  for (let r = extraAt; r < end;) {
    const recSize = vint(b, r);
    const recType = recSize && vint(b, recSize[1]);
    if (!recSize || !recType || recSize[0] === 0) break;
    if (recType[0] === 1) {
      isEncrypted = true; // file encryption record: version, flags, KDF count, salt, IV, check
      crypt = readCrypt(b, recType[1], Math.min(end, recSize[1] + recSize[0]), true);
    }
    r = recSize[1] + recSize[0];
  }
  const method = (comp[0] >>> 7) & 7;
  return {
    dictionarySize: 0x20000 * 2 ** ((comp[0] >>> 10) & 0x1f),
    isSolid: (comp[0] & 0x40) !== 0,
    ...(crypt ? { crypt } : {}),
    name,
    isDirectory: (fileFlags & 0x1) !== 0,
    size,
    packedSize,
    dataOffset,
    isStored: method === 0,
    isEncrypted,
    method,
  };
}

function parseRar4(bytes: Uint8Array, archive: RarArchive, max: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const anomaly = (code: string, message: string, offset: number): Anomaly => ({
    code: code as Anomaly['code'],
    message,
    offset,
  });
  for (let p = RAR4.length; p + 7 <= bytes.length;) {
    const type = bytes[p + 2]!;
    const flags = view.getUint16(p + 3, true);
    const headSize = view.getUint16(p + 5, true);
    if (headSize < 7 || p + headSize > bytes.length) {
      archive.anomalies.push(anomaly('E_RAR_BAD_HEADER', `block header of ${headSize} bytes`, p));
      return;
    }
    let addSize = flags & 0x8000 && headSize >= 11 ? view.getUint32(p + 7, true) : 0;
    if (type === 0x73 && flags & 0x0080) {
      archive.isHeaderEncrypted = true; // MHD_PASSWORD
      return;
    }
    if (type === 0x74 && headSize >= 32) {
      if (archive.entries.length >= max) {
        archive.anomalies.push(anomaly('E_LIMIT_RAR_ENTRIES', `more than ${max} entries`, p));
        return;
      }
      const high = flags & 0x100 && headSize >= 40;
      addSize = view.getUint32(p + 7, true) + (high ? view.getUint32(p + 32, true) * 2 ** 32 : 0);
      const size =
        view.getUint32(p + 11, true) + (high ? view.getUint32(p + 36, true) * 2 ** 32 : 0);
      const method = bytes[p + 25]!;
      const nameSize = view.getUint16(p + 26, true);
      const nameAt = p + 32 + (high ? 8 : 0);
      const name = rar4Name(
        bytes.subarray(nameAt, Math.min(nameAt + nameSize, p + headSize)),
        (flags & 0x200) !== 0,
      );
      archive.entries.push({
        name,
        isDirectory: (flags & 0xe0) === 0xe0,
        size,
        packedSize: addSize,
        dataOffset: p + headSize,
        isStored: method === 0x30,
        isEncrypted: (flags & 0x04) !== 0,
        method: method - 0x30,
      });
    }
    if (type === 0x7b) return;
    p += headSize + addSize;
  }
}

/** RAR 1.5–4 file names: OEM bytes, or with LHD_UNICODE an ASCII name, NUL, then RAR's packed UTF-16. */
function rar4Name(raw: Uint8Array, unicode: boolean): string {
  const nul = raw.indexOf(0);
  const ascii = new TextDecoder('latin1').decode(nul >= 0 ? raw.subarray(0, nul) : raw);
  if (!unicode || nul < 0) return ascii.replace(/\\/g, '/');
  const name = raw.subarray(0, nul);
  const enc = raw.subarray(nul + 1);
  const out: number[] = [];
  let e = 0;
  const high = enc[e++] ?? 0;
  let flags = 0;
  let flagBits = 0;
  while (e < enc.length && out.length < 4096) {
    if (flagBits === 0) {
      flags = enc[e++]!;
      flagBits = 8;
    }
    switch (flags >> 6) {
      case 0:
        out.push(enc[e++] ?? 0);
        break;
      case 1:
        out.push((enc[e++] ?? 0) + (high << 8));
        break;
      case 2:
        out.push((enc[e] ?? 0) + ((enc[e + 1] ?? 0) << 8));
        e += 2;
        break;
      default: {
        let length = enc[e++] ?? 0;
        if (length & 0x80) {
          const correction = enc[e++] ?? 0;
          for (length = (length & 0x7f) + 2; length > 0; length--)
            out.push((((name[out.length] ?? 0) + correction) & 0xff) + (high << 8));
        } else for (length += 2; length > 0; length--) out.push(name[out.length] ?? 0);
      }
    }
    flags = (flags << 2) & 0xff;
    flagBits -= 2;
  }
  return String.fromCharCode(...out).replace(/\\/g, '/');
}

/** Encryption fields: version (0 = AES-256), flags (1 = check present), KDF count, salt[, IV], check. */
function readCrypt(b: Uint8Array, at: number, end: number, hasIv: boolean): Rar5Crypt | undefined {
  const version = vint(b, at);
  const flags = version && vint(b, version[1]);
  if (!version || !flags || version[0] !== 0) return undefined;
  let q = flags[1];
  const kdfCount = b[q++];
  if (kdfCount === undefined || q + 16 > end) return undefined;
  const salt = b.slice(q, q + 16);
  q += 16 + (hasIv ? 16 : 0);
  const hasCheck = (flags[0] & 1) !== 0 && q + 12 <= end;
  return { kdfCount, salt, ...(hasCheck ? { check: b.slice(q, q + 12) } : {}) };
}
