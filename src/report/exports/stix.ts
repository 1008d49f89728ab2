import { tacticsOf, techniqueName } from '../../core/index.js';
import type { ExportData, ExportIoc } from './data.js';
import { EMOGUARD_NAMESPACE, uuidv5 } from './uuid.js';

/**
 * A STIX 2.1 bundle (https://docs.oasis-open.org/cti/stix/v2.1/os/stix-v2.1-os.html): one indicator
 * per IOC with a STIX pattern, one sighting per indicator and host (first/last seen, count), the hosts
 * as `system` identities, ATT&CK techniques as attack-patterns, the malware families the findings name,
 * and the relationships between them. Ids are UUIDv5 over the object's value, so re-exporting gives the
 * same ids.
 */
export type StixObject = Record<string, unknown> & { type: string; id: string };
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** Families a finding may name, with the STIX malware_types vocabulary (§10.12). */
const FAMILIES: ReadonlyArray<[string, RegExp, string[]]> = [
  ['Emotet', /emotet|heodo|emocheck|geodo/i, ['trojan', 'dropper']],
  ['TrickBot', /trick ?bot/i, ['trojan']],
  ['QakBot', /q(?:a|ua)?k ?bot|\bqbot\b/i, ['trojan']],
  ['IcedID', /iced ?id|bokbot/i, ['trojan']],
  ['Ursnif', /ursnif|gozi|\bisfb\b/i, ['trojan']],
  ['Cobalt Strike', /cobalt ?strike/i, ['remote-access-trojan']],
];

const id = (type: string, name: string) =>
  `${type}--${uuidv5(`${type}:${name}`, EMOGUARD_NAMESPACE)}`;

/** STIX timestamps are RFC 3339 in UTC with a `Z`; anything else falls back to `fallback`. */
function stamp(time: string, fallback: string): string {
  const d = new Date(time);
  return Number.isNaN(d.getTime()) ? fallback : d.toISOString();
}

/** STIX patterning §9.4: string literals are single-quoted with `\` and `'` escaped. */
export function stixString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The comparison expression for one IOC, e.g. `[ipv4-addr:value = '198.51.100.7']`. */
export function stixPattern(ioc: Pick<ExportIoc, 'kind' | 'value'>): string {
  const v = ioc.value;
  switch (ioc.kind) {
    case 'url':
      return `[url:value = ${stixString(v)}]`;
    case 'domain':
      return `[domain-name:value = ${stixString(v)}]`;
    case 'email':
      return `[email-addr:value = ${stixString(v)}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${stixString(v.toLowerCase())}]`;
    case 'file':
      return `[file:name = ${stixString(v)}]`;
    case 'ip': {
      const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(v);
      if (withPort) {
        return (
          `[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = ` +
          `${stixString(withPort[1]!)} AND network-traffic:dst_port = ${Number(withPort[2])}]`
        );
      }
      return v.includes(':')
        ? `[ipv6-addr:value = ${stixString(v)}]`
        : `[ipv4-addr:value = ${stixString(v)}]`;
    }
  }
}

/**
 * @example
 * writeFileSync('iocs.stix.json', JSON.stringify(toStixBundle(exportDataFromIncident(view)), null, 2));
 */
export function toStixBundle(data: ExportData): StixBundle {
  const now = data.generatedAt;
  const producer = id('identity', 'emoguard');
  const common = (type: string, objectId: string, created = now) => ({
    type,
    spec_version: '2.1',
    id: objectId,
    created,
    modified: created,
  });
  const objects: StixObject[] = [
    { ...common('identity', producer), name: 'emoguard', identity_class: 'system' },
  ];
  const hostIds = new Map<string, string>();
  const hostRef = (host: string): string => {
    let ref = hostIds.get(host);
    if (ref === undefined) {
      ref = id('identity', `host:${host}`);
      hostIds.set(host, ref);
      objects.push({
        ...common('identity', ref),
        created_by_ref: producer,
        name: host,
        identity_class: 'system',
      });
    }
    return ref;
  };

  const text = data.findings
    .flatMap((f) => [
      f.ruleId,
      f.title,
      ...f.evidence.map((e) => `${e.text ?? ''} ${e.note ?? ''}`),
    ])
    .concat(data.iocs.flatMap((i) => i.feeds))
    .join('\n');
  const families = FAMILIES.filter(([, re]) => re.test(text));
  const malwareIds = families.map(([name, , types]) => {
    const ref = id('malware', name.toLowerCase());
    objects.push({
      ...common('malware', ref),
      created_by_ref: producer,
      name,
      is_family: true,
      malware_types: types,
    });
    return ref;
  });

  const techniques = [...new Set(data.findings.flatMap((f) => f.attack))].sort();
  for (const tid of techniques) {
    const ref = id('attack-pattern', tid);
    objects.push({
      ...common('attack-pattern', ref),
      created_by_ref: producer,
      name: techniqueName(tid) ?? tid,
      external_references: [
        {
          source_name: 'mitre-attack',
          external_id: tid,
          url: `https://attack.mitre.org/techniques/${tid.replace('.', '/')}/`,
        },
      ],
      kill_chain_phases: tacticsOf(tid).map((t) => ({
        kill_chain_name: 'mitre-attack',
        phase_name: t.shortname,
      })),
    });
    for (const m of malwareIds) objects.push(relationship(m, 'uses', ref));
  }

  for (const ioc of data.iocs) {
    const ref = id('indicator', `${ioc.kind}:${ioc.value}`);
    const first = ioc.sightings.map((s) => stamp(s.firstSeen, now)).sort()[0] ?? now;
    objects.push({
      ...common('indicator', ref, first),
      created_by_ref: producer,
      name: `${ioc.kind}: ${ioc.value}`,
      indicator_types: ['malicious-activity'],
      pattern: stixPattern(ioc),
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: first,
      ...(ioc.feeds.length > 0 ? { labels: ioc.feeds } : {}),
    });
    for (const m of malwareIds.slice(0, 1)) objects.push(relationship(ref, 'indicates', m));
    for (const s of ioc.sightings) {
      const where = s.host === null ? [] : [hostRef(s.host)];
      objects.push({
        ...common('sighting', id('sighting', `${ref}@${s.host ?? ''}`), first),
        created_by_ref: producer,
        sighting_of_ref: ref,
        first_seen: stamp(s.firstSeen, now),
        last_seen: stamp(s.lastSeen, now),
        count: Math.min(s.count, 999_999_999),
        ...(where.length > 0 ? { where_sighted_refs: where } : {}),
      });
    }
  }

  function relationship(source: string, type: string, target: string): StixObject {
    return {
      ...common('relationship', id('relationship', `${source} ${type} ${target}`)),
      created_by_ref: producer,
      relationship_type: type,
      source_ref: source,
      target_ref: target,
    };
  }

  const bundleId = id(
    'bundle',
    objects
      .map((o) => o.id)
      .sort()
      .join(','),
  );
  return { type: 'bundle', id: bundleId, objects };
}
