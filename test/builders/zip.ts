/**
 * ZIP fixtures built in code: valid archives, encrypted ones (zip.js writes ZipCrypto and AES), and
 * hostile ones (lying sizes, truncation, Shift_JIS names, ratio bombs) written record by record.
 */
import { deflateRawSync } from 'node:zlib';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import iconv from 'iconv-lite';
import { crc32, encodeZipRecords, type ZipRecord } from '../../src/formats/zip/index.js';

export { buildDocm, buildOoxmlPackage as buildOoxml } from '../../src/formats/ooxml/index.js';
export type { DocmSpec, OoxmlPackageSpec } from '../../src/formats/ooxml/index.js';

const FLAG_UTF8 = 0x0800;

export interface RawMember {
  /** A string (UTF-8) or the exact name bytes (e.g. Shift_JIS). */
  name: string | Uint8Array;
  data?: Uint8Array | string;
  method?: 'store' | 'deflate';
  /** Set APPNOTE flag bit 11. Default: true for a non-ASCII string name, false for raw bytes. */
  utf8Flag?: boolean;
  /** Lies written into both headers instead of the true values. */
  declaredUncompressedSize?: number;
  declaredCompressedSize?: number;
  /** Extra general-purpose flag bits (e.g. 0x0001 "encrypted" without encryption). */
  extraFlags?: number;
  comment?: string;
}

export interface BuildZipOptions {
  comment?: string;
  /** Keep only the first N bytes (a truncated download). */
  truncateAt?: number;
  /** Bytes before the archive (a self-extractor stub or polyglot). */
  prepend?: Uint8Array;
  /** Bytes after the archive. */
  append?: Uint8Array;
}

/** Builds a ZIP record by record, synchronously, writing every lie it is asked to write. */
export function buildZip(members: readonly RawMember[], options: BuildZipOptions = {}): Uint8Array {
  const encoder = new TextEncoder();
  const records = members.map((m): ZipRecord => {
    const raw = typeof m.data === 'string' ? encoder.encode(m.data) : (m.data ?? new Uint8Array(0));
    const deflate = m.method !== 'store';
    const data = deflate ? new Uint8Array(deflateRawSync(raw)) : raw;
    const nameBytes = typeof m.name === 'string' ? encoder.encode(m.name) : m.name;
    const utf8 = m.utf8Flag ?? (typeof m.name === 'string' && /[^\x20-\x7e]/.test(m.name));
    return {
      nameBytes,
      flags: (utf8 ? FLAG_UTF8 : 0) | (m.extraFlags ?? 0),
      method: deflate ? 8 : 0,
      crc32: crc32(raw),
      data,
      compressedSize: m.declaredCompressedSize ?? data.length,
      uncompressedSize: m.declaredUncompressedSize ?? raw.length,
      externalAttributes: nameBytes[nameBytes.length - 1] === 0x2f ? 0x10 : 0,
      ...(m.comment === undefined ? {} : { comment: encoder.encode(m.comment) }),
    };
  });
  let bytes = encodeZipRecords(
    records,
    options.comment === undefined ? {} : { comment: encoder.encode(options.comment) },
  );
  if (options.prepend || options.append) {
    const pre = options.prepend ?? new Uint8Array(0);
    const post = options.append ?? new Uint8Array(0);
    const joined = new Uint8Array(pre.length + bytes.length + post.length);
    joined.set(pre, 0);
    joined.set(bytes, pre.length);
    joined.set(post, pre.length + bytes.length);
    bytes = joined;
  }
  return options.truncateAt === undefined ? bytes : bytes.slice(0, options.truncateAt);
}

/** A name as a Japanese Windows archiver writes it: Shift_JIS bytes, flag bit 11 clear. */
export function shiftJisName(name: string): Uint8Array {
  return new Uint8Array(iconv.encode(name, 'cp932'));
}

/** One deflated member of `size` zero bytes: a real ratio bomb (50 MiB deflates to ~50 KiB). */
export function buildZipBomb(size = 50 * 1024 * 1024, name = 'zeros.bin'): Uint8Array {
  return buildZip([{ name, data: new Uint8Array(size) }]);
}

/** `count` tiny stored members named `f<i>.txt`. */
export function buildManyMembersZip(count: number): Uint8Array {
  return buildZip(
    Array.from({ length: count }, (_, i) => ({
      name: `f${i}.txt`,
      data: `${i}`,
      method: 'store' as const,
    })),
  );
}

export interface EncryptedZipOptions {
  password: string;
  encryption: 'zipcrypto' | 'aes';
}

/** Encrypted members written by zip.js (ZipCrypto, or WinZip AES-256). Asynchronous. */
export async function buildEncryptedZip(
  members: readonly { name: string; data: Uint8Array | string }[],
  options: EncryptedZipOptions,
): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false });
  for (const m of members) {
    const data = typeof m.data === 'string' ? new TextEncoder().encode(m.data) : m.data;
    await writer.add(m.name, new Uint8ArrayReader(data), {
      password: options.password,
      zipCrypto: options.encryption === 'zipcrypto',
      ...(options.encryption === 'aes' ? { encryptionStrength: 3 as const } : {}),
    });
  }
  return writer.close();
}
