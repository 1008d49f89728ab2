/**
 * The indicator set the matchers look up, sized for millions of entries: one hash map per exact type
 * (IP, ip:port, domain, URL key, MD5/SHA-1/SHA-256, JA3/JA3S), domain suffixes walked label by label,
 * and a radix tree per address family for CIDRs. What a feed says about an indicator (source, family,
 * confidence, tags) is interned: a million Feodo IPs share a handful of metadata objects.
 */
import {
  ipBytes,
  normalizeDomain,
  normalizeIp,
  normalizeIoc,
  normalizeUrl,
  parseIpv4,
  urlKey,
  type IocType,
} from '../../formats/intel/index.js';
import { CidrTree } from './cidr-tree.js';
import { Ipv4Index, Ipv4PrefixTable } from './ipv4-index.js';

const NO_HITS: readonly IocHit[] = Object.freeze([]) as readonly IocHit[];

/** What the feeds say about one indicator value. */
export interface IocMeta {
  readonly source: string;
  readonly malware?: string;
  readonly confidence?: number;
  readonly tags: readonly string[];
}

/** An indicator to load; `value` should be normalised (it is normalised again when it is not). */
export interface IocInput {
  type: IocType;
  value: string;
  source: string;
  malware?: string | null;
  confidence?: number | null;
  tags?: readonly string[];
}

/** One match: the indicator as stored and every feed that lists it. */
export interface IocHit {
  type: IocType;
  value: string;
  metas: readonly IocMeta[];
}

type Metas = IocMeta | IocMeta[];

function add(map: Map<string, Metas>, key: string, meta: IocMeta): boolean {
  const old = map.get(key);
  if (old === undefined) {
    map.set(key, meta);
    return true;
  }
  if (Array.isArray(old)) {
    if (!old.includes(meta)) old.push(meta);
  } else if (old !== meta) {
    map.set(key, [old, meta]);
  }
  return false;
}

const list = (m: Metas): readonly IocMeta[] => (Array.isArray(m) ? m : [m]);

/** What is listed for one address: the address itself and/or some of its ports. */
interface AddressEntry {
  ip?: Metas;
  ports?: Map<number, Metas>;
}

function addMeta(old: Metas | undefined, meta: IocMeta): Metas {
  if (old === undefined) return meta;
  if (Array.isArray(old)) {
    if (!old.includes(meta)) old.push(meta);
    return old;
  }
  return old === meta ? old : [old, meta];
}

/** Indicators one set holds; past it `add` refuses and counts (`dropped`): a feed cannot exhaust memory. */
export const MAX_IOC_SET = 10_000_000;

export class IocSet {
  readonly #metas = new Map<string, IocMeta>();
  /** IPv4 addresses (exact and with ports) through a typed-array index; IPv6 through Maps. */
  readonly #v4 = new Ipv4Index();
  readonly #v4Entries: AddressEntry[] = [];
  readonly #v6 = new Map<string, AddressEntry>();
  #ipCount = 0;
  #ipPortCount = 0;
  readonly #domains = new Map<string, Metas>();
  readonly #urls = new Map<string, Metas>();
  readonly #hashes: Record<'md5' | 'sha1' | 'sha256' | 'ja3' | 'ja3s', Map<string, Metas>> = {
    md5: new Map(),
    sha1: new Map(),
    sha256: new Map(),
    ja3: new Map(),
    ja3s: new Map(),
  };
  readonly #cidr4 = new Ipv4PrefixTable();
  readonly #cidr6 = new CidrTree();
  /** CIDR tree values index into these. */
  readonly #cidrs: { value: string; metas: Metas }[] = [];
  readonly #cidrIndex = new Map<string, number>();
  #size = 0;
  /** Values that could not be normalised when added (bad store rows, hand-written lists). */
  rejected = 0;
  /** New indicators refused because the set was full. */
  dropped = 0;
  readonly #max: number;

  constructor(options: { maxIocs?: number } = {}) {
    this.#max = options.maxIocs ?? MAX_IOC_SET;
  }

  get size(): number {
    return this.#size;
  }

  /** Counts per type, for `hunt` to say what it loaded. */
  counts(): Record<IocType, number> {
    return {
      ip: this.#ipCount,
      'ip-port': this.#ipPortCount,
      cidr: this.#cidrs.length,
      domain: this.#domains.size,
      url: this.#urls.size,
      md5: this.#hashes.md5.size,
      sha1: this.#hashes.sha1.size,
      sha256: this.#hashes.sha256.size,
      ja3: this.#hashes.ja3.size,
      ja3s: this.#hashes.ja3s.size,
    };
  }

  #meta(input: IocInput): IocMeta {
    const tags = input.tags ?? [];
    const key = `${input.source}\u0000${input.malware ?? ''}\u0000${input.confidence ?? ''}\u0000${tags.join('\u0001')}`;
    let meta = this.#metas.get(key);
    if (!meta) {
      meta = {
        source: input.source,
        tags: [...tags],
        ...(input.malware ? { malware: input.malware } : {}),
        ...(input.confidence !== undefined && input.confidence !== null
          ? { confidence: input.confidence }
          : {}),
      };
      this.#metas.set(key, meta);
    }
    return meta;
  }

  /**
   * Adds one indicator; returns false when its value is not a valid indicator of its type, or when the
   * set is full (`maxIocs`; a value already present still gains the new feed's metadata).
   */
  add(input: IocInput): boolean {
    const normal = normalizeIoc(input.type, input.value);
    if ('error' in normal) {
      this.rejected++;
      return false;
    }
    if (this.#size >= this.#max && !this.#has(input.type, normal.value)) {
      this.dropped++;
      return false;
    }
    const value = normal.value;
    const meta = this.#meta(input);
    let isNew = false;
    switch (input.type) {
      case 'ip': {
        const entry = this.#entry(value);
        isNew = entry.ip === undefined;
        entry.ip = addMeta(entry.ip, meta);
        if (isNew) this.#ipCount++;
        break;
      }
      case 'ip-port': {
        const m = /^\[?(.*?)\]?:(\d+)$/.exec(value)!;
        const entry = this.#entry(m[1]!);
        const ports = (entry.ports ??= new Map());
        const port = Number(m[2]);
        const old = ports.get(port);
        isNew = old === undefined;
        ports.set(port, addMeta(old, meta));
        if (isNew) this.#ipPortCount++;
        break;
      }
      case 'cidr': {
        const [base, bits] = value.split('/') as [string, string];
        let index = this.#cidrIndex.get(value);
        if (index === undefined) {
          index = this.#cidrs.length;
          this.#cidrs.push({ value, metas: meta });
          this.#cidrIndex.set(value, index);
          const v4 = parseIpv4(base);
          if (v4 !== undefined) this.#cidr4.insert(v4, Number(bits), index);
          else this.#cidr6.insert(ipBytes(base)!, Number(bits), index);
          isNew = true;
        } else {
          const entry = this.#cidrs[index]!;
          if (!list(entry.metas).includes(meta)) entry.metas = [...list(entry.metas), meta];
        }
        break;
      }
      case 'domain':
        isNew = add(this.#domains, value, meta);
        break;
      case 'url':
        isNew = add(this.#urls, urlKey(value), meta);
        break;
      default:
        isNew = add(this.#hashes[input.type], value, meta);
    }
    if (isNew) this.#size++;
    return true;
  }

  /** The entry of a canonical address, created when missing. */
  #entry(ip: string): AddressEntry {
    const v4 = parseIpv4(ip);
    if (v4 !== undefined) {
      let index = this.#v4.get(v4);
      if (index < 0) {
        index = this.#v4Entries.length;
        this.#v4Entries.push({});
        this.#v4.set(v4, index);
      }
      return this.#v4Entries[index]!;
    }
    let entry = this.#v6.get(ip);
    if (!entry) this.#v6.set(ip, (entry = {}));
    return entry;
  }

  #has(type: IocType, value: string): boolean {
    switch (type) {
      case 'ip':
        return this.matchIp(value).some((h) => h.type === 'ip');
      case 'ip-port': {
        const m = /^\[?(.*?)\]?:(\d+)$/.exec(value)!;
        return this.matchIp(m[1]!, Number(m[2])).some((h) => h.type === 'ip-port');
      }
      case 'cidr':
        return this.#cidrIndex.has(value);
      case 'domain':
        return this.#domains.has(value);
      case 'url':
        return this.#urls.has(urlKey(value));
      default:
        return this.#hashes[type].has(value);
    }
  }

  has(type: IocType): boolean {
    return this.counts()[type] > 0;
  }

  /**
   * Address matches, most specific first: the exact ip:port, the IP, the longest CIDR. `ip` must be in
   * canonical form (what Zeek and Suricata write for IPv4); IPv6 text is canonicalised here.
   */
  matchIp(ip: string, port?: number): readonly IocHit[] {
    const v4 = parseIpv4(ip);
    let key = ip;
    let entry: AddressEntry | undefined;
    if (v4 !== undefined) {
      const index = this.#v4Entries.length > 0 ? this.#v4.get(v4) : -1;
      entry = index < 0 ? undefined : this.#v4Entries[index];
    } else if (ip.includes(':')) {
      key = normalizeIp(ip) ?? ip;
      const mapped = parseIpv4(key); // ::ffff:a.b.c.d is listed as IPv4
      if (mapped !== undefined) return this.matchIp(key, port);
      entry = this.#v6.get(key);
    } else {
      return NO_HITS;
    }
    let out: IocHit[] | undefined;
    if (entry !== undefined) {
      const atPort = port === undefined ? undefined : entry.ports?.get(port);
      if (atPort !== undefined) {
        out = [
          {
            type: 'ip-port',
            value: key.includes(':') ? `[${key}]:${port}` : `${key}:${port}`,
            metas: list(atPort),
          },
        ];
      }
      if (entry.ip !== undefined)
        (out ??= []).push({ type: 'ip', value: key, metas: list(entry.ip) });
    }
    if (this.#cidrs.length > 0) {
      const index =
        v4 !== undefined
          ? this.#cidr4.lookup(v4)
          : this.#cidr6.lookup(ipBytes(key) ?? new Uint8Array(16));
      if (index >= 0) {
        const cidr = this.#cidrs[index]!;
        (out ??= []).push({ type: 'cidr', value: cidr.value, metas: list(cidr.metas) });
      }
    }
    return out ?? NO_HITS;
  }

  /** The listed domain that `name` is or is a subdomain of (`a.b.evil.example` → `evil.example`). */
  matchDomain(name: string): IocHit | undefined {
    if (this.#domains.size === 0) return undefined;
    let host =
      name.length > 0 && name.charCodeAt(name.length - 1) === 46 ? name.slice(0, -1) : name;
    if (/[A-Z]/.test(host)) host = host.toLowerCase();
    if (/[^\x00-\x7f]/.test(host)) host = normalizeDomain(host) ?? host;
    for (let at = 0; at >= 0 && at < host.length;) {
      const suffix = at === 0 ? host : host.slice(at);
      const m = this.#domains.get(suffix);
      if (m) return { type: 'domain', value: suffix, metas: list(m) };
      const dot = host.indexOf('.', at);
      at = dot < 0 ? -1 : dot + 1;
    }
    return undefined;
  }

  /** An absolute URL as a sensor or proxy wrote it; matched scheme-insensitively on its normal form. */
  matchUrl(url: string): IocHit | undefined {
    if (this.#urls.size === 0) return undefined;
    const normal = normalizeUrl(url);
    if (normal === undefined) return undefined;
    const key = urlKey(normal);
    const m = this.#urls.get(key);
    return m ? { type: 'url', value: normal, metas: list(m) } : undefined;
  }

  matchHash(type: 'md5' | 'sha1' | 'sha256' | 'ja3' | 'ja3s', value: string): IocHit | undefined {
    const map = this.#hashes[type];
    if (map.size === 0) return undefined;
    const key = /[A-F]/.test(value) ? value.toLowerCase() : value;
    const m = map.get(key);
    return m ? { type, value: key, metas: list(m) } : undefined;
  }
}

/** A set from indicators (a parsed feed, test lists). */
export function buildIocSet(iocs: Iterable<IocInput>, options: { maxIocs?: number } = {}): IocSet {
  const set = new IocSet(options);
  for (const ioc of iocs) set.add(ioc);
  return set;
}

/**
 * A set from a stream of indicators, e.g. `store.loadIntel()` (its records fit `IocInput`).
 *
 * @example
 * const iocs = await loadIocSet(store.loadIntel({ types: ['md5', 'sha1', 'sha256'] }));
 */
export async function loadIocSet(
  iocs: AsyncIterable<IocInput> | Iterable<IocInput>,
  options: { maxIocs?: number } = {},
): Promise<IocSet> {
  const set = new IocSet(options);
  for await (const ioc of iocs) set.add(ioc);
  return set;
}
