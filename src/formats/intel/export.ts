/**
 * Indicators out, for the tools an organisation already runs: Suricata rules, plain blocklists (firewall
 * address lists, DNS sinkholes / RPZ sources, Squid `dstdomain`/`url_regex` ACL files) and a STIX 2.1
 * bundle. Pure functions over indicator lists; the CLI streams them from the store.
 */
import { createHash } from 'node:crypto';
import type { IocType } from './types.js';

export interface ExportIoc {
  type: IocType;
  value: string;
  source: string;
  firstSeen?: string;
  lastSeen?: string;
  confidence?: number;
  tags?: string[];
  malware?: string;
  expiresAt?: string;
  reference?: string;
}

export type BlocklistKind = 'ip' | 'domain' | 'url';

export interface BlocklistOptions {
  /**
   * Squid `dstdomain` form: `.example.com` (the domain and its subdomains), with subdomains of a listed
   * domain left out, since Squid refuses an ACL file that lists both.
   */
  squid?: boolean;
}

/**
 * One value per line, sorted, de-duplicated, never defanged: `ip` takes IPs, CIDRs and the address of
 * ip:port indicators; `domain` domains; `url` URLs.
 * SECURITY: a value with whitespace or a control character is left out: it could start a new line
 * (another entry, or a directive) in the consumer's file.
 */
export function toBlocklist(
  iocs: Iterable<ExportIoc>,
  kind: BlocklistKind,
  options: BlocklistOptions = {},
): string[] {
  const out = new Set<string>();
  for (const ioc of iocs) {
    if (/[\s\x00-\x1f\x7f]/.test(ioc.value)) continue;
    if (kind === 'ip' && (ioc.type === 'ip' || ioc.type === 'cidr')) out.add(ioc.value);
    else if (kind === 'ip' && ioc.type === 'ip-port')
      out.add(ioc.value.replace(/^\[?(.*?)\]?:\d+$/, '$1'));
    else if (kind === ioc.type) out.add(ioc.value);
  }
  if (kind === 'domain' && options.squid) {
    const covered = (d: string) => {
      for (let i = d.indexOf('.'); i >= 0; i = d.indexOf('.', i + 1)) {
        if (out.has(d.slice(i + 1))) return true;
      }
      return false;
    };
    return [...out]
      .filter((d) => !covered(d))
      .map((d) => `.${d}`)
      .sort();
  }
  return [...out].sort();
}

/**
 * Default first sid of exported rules. Suricata/Snort reserve sids ≥ 1,000,000 for local rules;
 * Emerging Threats uses 2,000,000–2,999,999, so emoguard starts at 9,100,000 and counts up (one per rule).
 */
export const SURICATA_SID_BASE = 9_100_000;
/** Addresses per rule: Suricata address groups stay fast at this size (ET's CINS/DROP rules use ~100). */
const ADDRESSES_PER_RULE = 100;

const hexByte = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
const UTF8 = new TextEncoder();

/**
 * A `content:"…"` body (Suricata rule syntax): printable ASCII as is; quote, semicolon, backslash, pipe,
 * control characters and every non-ASCII character as `|hex|` UTF-8 bytes, so that no byte can end the
 * option or the line (a `%00` in a URL decodes to NUL, a `%0A` to a line feed).
 */
function contentOf(text: string): string {
  return text.replace(
    /["\\;|]|[^\x20-\x7e]+/g,
    (run) => `|${[...UTF8.encode(run)].map(hexByte).join(' ')}|`,
  );
}

/** A `msg:"…"` body: quote, semicolon and backslash escaped with a backslash, controls as spaces. */
function msgOf(text: string): string {
  return text.replace(/["\\;]/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, ' ');
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** http.uri is the normalised (percent-decoded) URI in Suricata; match what it will hold. */
function decodedPath(pathAndQuery: string): string {
  try {
    return decodeURI(pathAndQuery);
  } catch {
    return pathAndQuery;
  }
}

export interface SuricataExport {
  rules: string[];
  /** Indicators Suricata rules cannot carry (file hashes need filemd5/filesha256 list files). */
  skipped: number;
  nextSid: number;
}

/**
 * Suricata rules for the indicators: grouped address rules for IPs/CIDRs (per source) and ip:port (per
 * source and port), `dns.query` + `tls.sni` rules for domains (with `dotprefix`, so subdomains match),
 * `http.host` + `http.uri` rules for URLs, `ja3.hash` / `ja3s.hash` rules for JA3 fingerprints.
 */
export function toSuricataRules(
  iocs: Iterable<ExportIoc>,
  options: { sidBase?: number } = {},
): SuricataExport {
  let sid = options.sidBase ?? SURICATA_SID_BASE;
  const rules: string[] = [];
  let skipped = 0;
  const groups = new Map<string, { source: string; port?: number; addresses: Set<string> }>();
  const rule = (header: string, msg: string, body: string, ioc?: ExportIoc) => {
    const meta = ioc?.malware
      ? ` metadata:malware_family ${ioc.malware.replace(/[^A-Za-z0-9_.-]/g, '_')};`
      : '';
    const options = body ? ` ${body}` : '';
    rules.push(
      `${header} (msg:"${msgOf(msg)}";${options} classtype:trojan-activity;${meta} sid:${sid++}; rev:1;)`,
    );
  };
  for (const ioc of iocs) {
    const tag = `(${ioc.source}${ioc.malware ? `, ${ioc.malware}` : ''})`;
    switch (ioc.type) {
      case 'ip':
      case 'cidr':
      case 'ip-port': {
        const m = ioc.type === 'ip-port' ? /^\[?(.*?)\]?:(\d+)$/.exec(ioc.value) : null;
        const port = m ? Number(m[2]) : undefined;
        const key = `${ioc.source}\u0000${port ?? ''}`;
        let group = groups.get(key);
        if (!group) {
          group = { source: ioc.source, addresses: new Set() };
          if (port !== undefined) group.port = port;
          groups.set(key, group);
        }
        group.addresses.add(m ? m[1]! : ioc.value);
        break;
      }
      case 'domain': {
        const body = `dotprefix; content:".${contentOf(ioc.value)}"; endswith; nocase;`;
        rule(
          'alert dns $HOME_NET any -> any any',
          `emoguard intel: DNS query for ${ioc.value} ${tag}`,
          `dns.query; ${body}`,
          ioc,
        );
        rule(
          'alert tls $HOME_NET any -> $EXTERNAL_NET any',
          `emoguard intel: TLS SNI ${ioc.value} ${tag}`,
          `tls.sni; ${body}`,
          ioc,
        );
        break;
      }
      case 'url': {
        const m = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?]+)(?::\d+)?([^#]*)$/i.exec(ioc.value);
        if (!m) {
          skipped++;
          break;
        }
        const host = m[1]!.replace(/^\[|\]$/g, '');
        const uri = decodedPath(m[2] || '/');
        rule(
          'alert http $HOME_NET any -> $EXTERNAL_NET any',
          `emoguard intel: URL ${ioc.value} ${tag}`,
          `flow:established,to_server; http.host; content:"${contentOf(host)}"; bsize:${utf8Length(host)}; http.uri; content:"${contentOf(uri)}"; bsize:${utf8Length(uri)};`,
          ioc,
        );
        break;
      }
      case 'ja3':
      case 'ja3s':
        rule(
          'alert tls any any -> any any',
          `emoguard intel: ${ioc.type.toUpperCase()} ${ioc.value} ${tag}`,
          `${ioc.type}.hash; content:"${ioc.value}";`,
          ioc,
        );
        break;
      default:
        skipped++;
    }
  }
  for (const group of groups.values()) {
    const list = [...group.addresses].sort();
    for (let i = 0; i < list.length; i += ADDRESSES_PER_RULE) {
      const chunk = list.slice(i, i + ADDRESSES_PER_RULE);
      const proto = group.port === undefined ? 'ip' : 'tcp';
      const what = group.port === undefined ? 'C2/bad address' : `C2 port ${group.port}`;
      rule(
        `alert ${proto} $HOME_NET any -> [${chunk.join(',')}] ${group.port ?? 'any'}`,
        `emoguard intel: ${what} (${group.source}) group ${i / ADDRESSES_PER_RULE + 1}`,
        '',
      );
    }
  }
  return { rules, skipped, nextSid: sid };
}

/** RFC 4122 §4.3 name-based UUID (v5, SHA-1): STIX ids that stay the same for the same indicator. */
function uuidv5(name: string): string {
  // An emoguard namespace (random once, fixed forever) so ids do not collide with other producers'.
  const ns = Uint8Array.from('5a1b3c0e8f7d4e2a9c6b0d1e2f3a4b5c'.match(/../g)!, (b) =>
    parseInt(b, 16),
  );
  const hex = createHash('sha1').update(ns).update(name, 'utf8').digest('hex').slice(0, 32);
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = `${hex.slice(0, 12)}5${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function stixString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The STIX pattern of one indicator (the inverse of `parseStixPattern` for single values). */
export function stixPatternOf(ioc: Pick<ExportIoc, 'type' | 'value'>): string | undefined {
  const v = ioc.value;
  switch (ioc.type) {
    case 'ip':
    case 'cidr':
      return `[${v.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}:value = ${stixString(v)}]`;
    case 'ip-port': {
      const m = /^\[?(.*?)\]?:(\d+)$/.exec(v);
      if (!m) return undefined;
      const kind = m[1]!.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
      return `[network-traffic:dst_ref.type = '${kind}' AND network-traffic:dst_ref.value = ${stixString(m[1]!)} AND network-traffic:dst_port = ${m[2]}]`;
    }
    case 'domain':
      return `[domain-name:value = ${stixString(v)}]`;
    case 'url':
      return `[url:value = ${stixString(v)}]`;
    case 'md5':
      return `[file:hashes.MD5 = ${stixString(v)}]`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = ${stixString(v)}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${stixString(v)}]`;
    default:
      return undefined; // JA3 has no STIX 2.1 cyber-observable property
  }
}

export interface StixSighting {
  ioc: Pick<ExportIoc, 'type' | 'value' | 'source'>;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
}

/**
 * A STIX 2.1 bundle: an `identity` for emoguard, one `indicator` per indicator (deterministic ids),
 * `malware` families with `indicates` relationships, and `sighting`s of what hunts saw.
 */
export function toStixBundle(
  iocs: Iterable<ExportIoc>,
  options: { now: Date; sightings?: readonly StixSighting[] },
): { bundle: Record<string, unknown>; skipped: number } {
  const now = options.now.toISOString();
  const identity = {
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${uuidv5('identity:emoguard')}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: 'emoguard',
    identity_class: 'system',
  };
  const objects: Record<string, unknown>[] = [identity];
  const malware = new Map<string, string>();
  const indicatorId = (ioc: Pick<ExportIoc, 'type' | 'value' | 'source'>) =>
    `indicator--${uuidv5(`${ioc.type}|${ioc.value}|${ioc.source}`)}`;
  let skipped = 0;
  for (const ioc of iocs) {
    const pattern = stixPatternOf(ioc);
    if (!pattern) {
      skipped++;
      continue;
    }
    const validFrom = ioc.firstSeen ?? now;
    const indicator: Record<string, unknown> = {
      type: 'indicator',
      spec_version: '2.1',
      id: indicatorId(ioc),
      created_by_ref: identity.id,
      created: validFrom,
      modified: ioc.lastSeen ?? validFrom,
      name: `${ioc.type} ${ioc.value}`,
      indicator_types: ['malicious-activity'],
      pattern,
      pattern_type: 'stix',
      valid_from: validFrom,
      external_references: [
        { source_name: ioc.source, ...(ioc.reference ? { url: ioc.reference } : {}) },
      ],
    };
    if (ioc.expiresAt && ioc.expiresAt > validFrom) indicator.valid_until = ioc.expiresAt;
    if (ioc.confidence !== undefined) indicator.confidence = ioc.confidence;
    if (ioc.tags && ioc.tags.length > 0) indicator.labels = ioc.tags;
    objects.push(indicator);
    if (ioc.malware) {
      let malwareId = malware.get(ioc.malware);
      if (!malwareId) {
        malwareId = `malware--${uuidv5(`malware:${ioc.malware.toLowerCase()}`)}`;
        malware.set(ioc.malware, malwareId);
        objects.push({
          type: 'malware',
          spec_version: '2.1',
          id: malwareId,
          created: now,
          modified: now,
          name: ioc.malware,
          is_family: true,
        });
      }
      objects.push({
        type: 'relationship',
        spec_version: '2.1',
        id: `relationship--${uuidv5(`indicates|${indicator.id as string}|${malwareId}`)}`,
        created: now,
        modified: now,
        relationship_type: 'indicates',
        source_ref: indicator.id,
        target_ref: malwareId,
      });
    }
  }
  for (const s of options.sightings ?? []) {
    const sighting: Record<string, unknown> = {
      type: 'sighting',
      spec_version: '2.1',
      id: `sighting--${uuidv5(`sighting|${s.ioc.type}|${s.ioc.value}|${s.ioc.source}|${s.firstSeen ?? ''}`)}`,
      created_by_ref: identity.id,
      created: now,
      modified: now,
      sighting_of_ref: indicatorId(s.ioc),
      count: s.count,
      where_sighted_refs: [identity.id],
    };
    if (s.firstSeen) sighting.first_seen = s.firstSeen;
    if (s.lastSeen) sighting.last_seen = s.lastSeen;
    objects.push(sighting);
  }
  return {
    bundle: { type: 'bundle', id: `bundle--${uuidv5(`bundle|${now}|${objects.length}`)}`, objects },
    skipped,
  };
}
