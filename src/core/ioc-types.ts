// One list of indicator types for every layer that names them: the intel parsers (formats/intel), the
// matchers (engines/ioc) and the store's intel table, which imports core only.
/** Indicator types emoguard matches. `ip-port` values are `ip:port` (`[v6]:port`), `cidr` `base/bits`. */
export const IOC_TYPES = [
  'ip',
  'ip-port',
  'cidr',
  'domain',
  'url',
  'md5',
  'sha1',
  'sha256',
  'ja3',
  'ja3s',
] as const;
export type IocType = (typeof IOC_TYPES)[number];

export function isIocType(value: unknown): value is IocType {
  return typeof value === 'string' && (IOC_TYPES as readonly string[]).includes(value);
}
