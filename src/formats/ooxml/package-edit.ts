import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { crc32, encodeZipRecords, type ZipRecord } from '../zip/index.js';
import { decodeXmlBytes } from './xml-scan.js';
import type { PackageMember } from './zip-strict.js';

/**
 * An OPC package open for rewriting: parts are dropped, replaced, renamed or added, and `write`
 * produces a new ZIP in which every untouched part keeps its compressed bytes as they were
 * (same data, same CRC); only changed parts are deflated again. Part names compare
 * case-insensitively (ECMA-376 Part 2 §9.1.1.1).
 */
export class PackageEditor {
  private readonly parts = new Map<string, EditedPart>();

  constructor(members: readonly PackageMember[]) {
    for (const member of members) this.parts.set(member.name.toLowerCase(), { member });
  }

  /** Part names in package order. */
  names(): string[] {
    return [...this.parts.values()].map((p) => p.name ?? p.member?.name ?? '');
  }

  has(name: string): boolean {
    return this.parts.has(name.toLowerCase());
  }

  /** The name as the package spells it. */
  spelling(name: string): string | undefined {
    const part = this.parts.get(name.toLowerCase());
    return part && (part.name ?? part.member?.name);
  }

  /** A part's content; members the reader did not keep are inflated now (they were checked then). */
  bytes(name: string): Uint8Array | undefined {
    const part = this.parts.get(name.toLowerCase());
    if (!part) return undefined;
    if (part.content) return part.content;
    const member = part.member;
    if (!member) return undefined;
    if (member.content) return member.content;
    if (member.method === 0) return member.raw;
    const out = inflateRawSync(member.raw, {
      maxOutputLength: Math.max(1, member.uncompressedSize),
    });
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  }

  text(name: string): string | undefined {
    const bytes = this.bytes(name);
    return bytes && decodeXmlBytes(bytes);
  }

  /** Replaces a part's content (strings are written as UTF-8); adds the part when it is new. */
  set(name: string, content: string | Uint8Array): void {
    const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const existing = this.parts.get(name.toLowerCase());
    if (existing) existing.content = data;
    else this.parts.set(name.toLowerCase(), { name, content: data });
  }

  remove(name: string): boolean {
    return this.parts.delete(name.toLowerCase());
  }

  /** Renames a part, keeping its content (and its stored bytes when unchanged). */
  rename(from: string, to: string): void {
    const part = this.parts.get(from.toLowerCase());
    if (!part) return;
    this.parts.delete(from.toLowerCase());
    this.parts.set(to.toLowerCase(), { ...part, name: to });
  }

  /** The package as ZIP bytes. Timestamps are fixed (1980-01-01), as formats/zip writes them. */
  write(): Uint8Array {
    const encoder = new TextEncoder();
    const records: ZipRecord[] = [];
    for (const part of this.parts.values()) {
      const member = part.member;
      const name = part.name ?? member?.name ?? '';
      const nameBytes = part.name === undefined && member ? member.nameBytes : encoder.encode(name);
      const flags = /^[\x20-\x7e]*$/.test(name) ? 0 : 0x0800;
      if (member && part.content === undefined) {
        records.push({
          nameBytes,
          flags,
          method: member.method,
          crc32: member.crc32,
          data: member.raw,
          compressedSize: member.compressedSize,
          uncompressedSize: member.uncompressedSize,
        });
        continue;
      }
      const content = part.content ?? new Uint8Array(0);
      const deflated = new Uint8Array(deflateRawSync(content));
      const isDeflated = deflated.length < content.length;
      const data = isDeflated ? deflated : content;
      records.push({
        nameBytes,
        flags,
        method: isDeflated ? 8 : 0,
        crc32: crc32(content),
        data,
        compressedSize: data.length,
        uncompressedSize: content.length,
      });
    }
    return encodeZipRecords(records);
  }
}

interface EditedPart {
  /** Set when the part was renamed or added. */
  name?: string;
  member?: PackageMember;
  /** Set when the content was replaced. */
  content?: Uint8Array;
}
