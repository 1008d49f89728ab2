/**
 * JA3 (https://github.com/salesforce/ja3): MD5 of `SSLVersion,Ciphers,Extensions,EllipticCurves,
 * EllipticCurvePointFormats`, decimal values joined by `-`, GREASE values (RFC 8701) left out. Used when
 * tshark is older than 3.6 and has no `tls.handshake.ja3` field.
 */
import { createHash } from 'node:crypto';

export interface ClientHelloFields {
  version: readonly string[];
  ciphers: readonly string[];
  extensions: readonly string[];
  groups: readonly string[];
  pointFormats: readonly string[];
}

/** RFC 8701 §2: 0x0a0a, 0x1a1a, … 0xfafa are GREASE and left out of JA3. */
function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

/** tshark writes numbers as decimal or `0x…` hex, depending on the field's display base. */
function numberOf(text: string): number | undefined {
  const value = /^0x[0-9a-f]+$/i.test(text)
    ? parseInt(text, 16)
    : /^\d+$/.test(text)
      ? Number(text)
      : NaN;
  return Number.isSafeInteger(value) ? value : undefined;
}

function list(values: readonly string[]): string {
  const out: number[] = [];
  for (const v of values) {
    const n = numberOf(v);
    if (n !== undefined && !isGrease(n)) out.push(n);
  }
  return out.join('-');
}

/** The JA3 string of a ClientHello; undefined without a version. */
export function ja3String(hello: ClientHelloFields): string | undefined {
  const version = hello.version[0] === undefined ? undefined : numberOf(hello.version[0]);
  if (version === undefined) return undefined;
  return [
    String(version),
    list(hello.ciphers),
    list(hello.extensions),
    list(hello.groups),
    list(hello.pointFormats),
  ].join(',');
}

export function ja3Hash(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
