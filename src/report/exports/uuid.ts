import { createHash } from 'node:crypto';

/**
 * RFC 9562 §5.5 UUIDv5 (SHA-1, name-based): the same name in the same namespace always gives the same
 * id, so exporting twice produces the same STIX ids and a consumer deduplicates instead of doubling.
 */
export function uuidv5(name: string, namespace: string): string {
  const ns = namespace.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(ns)) throw new TypeError(`not a UUID: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(ns, 'hex'))
    .update(Buffer.from(name, 'utf8'))
    .digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** RFC 9562 Appendix A: the URL namespace. */
export const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** STIX 2.1 §2.9: the namespace for deterministic SCO ids. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** emoguard's namespace for SDO/SRO ids: UUIDv5 of its URL in the URL namespace. */
export const EMOGUARD_NAMESPACE = uuidv5('https://github.com/emoguard/emoguard', NAMESPACE_URL);
