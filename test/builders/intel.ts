/**
 * Threat-intel feeds built in code, in each publisher's real shape: abuse.ch's banner comments and
 * headers (Feodo Tracker old and new column sets, URLhaus with and without `last_online`, ThreatFox with
 * its `", "` separators and with and without `is_compromised`), Feodo/ThreatFox JSON, MISP feed folders
 * (manifest.json + event files), STIX 2.1 bundles and plain lists. Inert values only: TEST-NET
 * addresses (RFC 5737), example.* names (RFC 2606), made-up hashes.
 */
import {
  writeFeodoCsv,
  writeThreatFoxCsv,
  writeUrlhausCsv,
  type FeodoEntry,
  type ThreatFoxEntry,
  type UrlhausEntry,
} from '../../src/formats/intel/index.js';

export type { FeodoEntry, ThreatFoxEntry, UrlhausEntry };

const BANNER = (title: string) =>
  [
    '################################################################',
    `# ${title.padEnd(61)}#`,
    '# Last updated: 2024-01-15 09:00:00 UTC                        #',
    '#                                                              #',
    '# Terms Of Use: https://abuse.ch/ (test fixture, inert)        #',
    '################################################################',
    '#',
  ].join('\n');

const FIXTURE = { banner: BANNER, reporter: 'tester' };

/** Feodo Tracker `ipblocklist.csv` (see `writeFeodoCsv`), with the fixture banner. */
export function buildFeodoCsv(
  entries: readonly FeodoEntry[],
  variant: 'quoted' | 'commented' | 'legacy' = 'quoted',
): string {
  return writeFeodoCsv(entries, FIXTURE, variant);
}

/** Feodo Tracker `ipblocklist.json`. */
export function buildFeodoJson(entries: readonly FeodoEntry[]): string {
  return JSON.stringify(
    entries.map((e) => ({
      ip_address: e.ip,
      port: e.port,
      status: e.status ?? 'online',
      hostname: null,
      as_number: 64496,
      as_name: 'EXAMPLE-AS',
      country: 'ZZ',
      first_seen: e.firstSeen,
      last_online: e.lastOnline ?? null,
      malware: e.malware,
    })),
    null,
    2,
  );
}

/** URLhaus `csv.txt`; `legacy` dumps lack the `last_online` column. */
export function buildUrlhausCsv(entries: readonly UrlhausEntry[], legacy = false): string {
  return writeUrlhausCsv(entries, FIXTURE, legacy);
}

/** ThreatFox CSV export; `legacy` lacks `is_compromised` (exports before 2024). */
export function buildThreatFoxCsv(entries: readonly ThreatFoxEntry[], legacy = false): string {
  return writeThreatFoxCsv(entries, FIXTURE, legacy);
}

/** ThreatFox JSON export: `{"<ioc id>": [{ioc_value, ioc_type, …}]}` with tags as one string. */
export function buildThreatFoxJson(entries: readonly ThreatFoxEntry[]): string {
  const out: Record<string, unknown[]> = {};
  for (const e of entries) {
    out[String(e.id)] = [
      {
        ioc_value: e.value,
        ioc_type: e.type,
        threat_type: e.threatType,
        malware: e.malware,
        malware_alias: e.alias ?? null,
        malware_printable: e.printable,
        first_seen_utc: e.firstSeen,
        last_seen_utc: e.lastSeen ?? null,
        confidence_level: e.confidence,
        reference: e.reference ?? null,
        tags: e.tags.join(','),
        anonymous: '0',
        reporter: 'tester',
      },
    ];
  }
  return JSON.stringify(out);
}

/** ThreatFox API answer (`search_ioc`, `get_iocs`): `{"query_status":"ok","data":[{ioc, …, tags: []}]}`. */
export function buildThreatFoxApi(entries: readonly ThreatFoxEntry[]): string {
  return JSON.stringify({
    query_status: 'ok',
    data: entries.map((e) => ({
      id: String(e.id),
      ioc: e.value,
      threat_type: e.threatType,
      threat_type_desc: 'test',
      ioc_type: e.type,
      ioc_type_desc: 'test',
      malware: e.malware,
      malware_printable: e.printable,
      malware_alias: e.alias ?? null,
      malware_malpedia: null,
      confidence_level: e.confidence,
      first_seen: `${e.firstSeen} UTC`,
      last_seen: e.lastSeen ? `${e.lastSeen} UTC` : null,
      reference: e.reference ?? null,
      reporter: 'tester',
      tags: e.tags,
    })),
  });
}

export interface MispAttributeSpec {
  type: string;
  value: string;
  toIds: boolean;
  category?: string;
  tags?: string[];
  deleted?: boolean;
}

export interface MispEventSpec {
  uuid: string;
  info: string;
  date: string;
  org: string;
  tags?: string[];
  attributes: MispAttributeSpec[];
  /** MISP objects, each with its own attributes. */
  objects?: { name: string; attributes: MispAttributeSpec[] }[];
}

function mispAttribute(a: MispAttributeSpec, i: number): Record<string, unknown> {
  return {
    uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: a.type,
    category: a.category ?? 'Network activity',
    to_ids: a.toIds,
    distribution: '5',
    timestamp: '1705309200',
    comment: '',
    deleted: a.deleted ?? false,
    value: a.value,
    ...(a.tags ? { Tag: a.tags.map((name) => ({ name, colour: '#ffffff' })) } : {}),
  };
}

/** One MISP feed event file: `{"Event": {…}}` as PyMISP's feed generator writes it. */
export function buildMispEvent(spec: MispEventSpec): string {
  let n = 0;
  return JSON.stringify({
    Event: {
      uuid: spec.uuid,
      info: spec.info,
      date: spec.date,
      timestamp: '1705309200',
      analysis: '2',
      threat_level_id: '1',
      published: true,
      Orgc: { name: spec.org, uuid: '11111111-1111-4111-8111-111111111111' },
      Tag: (spec.tags ?? []).map((name) => ({ name, colour: '#ffffff' })),
      Attribute: spec.attributes.map((a) => mispAttribute(a, n++)),
      Object: (spec.objects ?? []).map((o) => ({
        name: o.name,
        'meta-category': 'network',
        Attribute: o.attributes.map((a) => mispAttribute(a, n++)),
      })),
    },
  });
}

/** A MISP feed folder: `manifest.json` (uuid → summary) and one `<uuid>.json` per event. */
export function buildMispFeed(events: readonly MispEventSpec[]): Record<string, string> {
  const manifest: Record<string, unknown> = {};
  const files: Record<string, string> = {};
  for (const e of events) {
    manifest[e.uuid] = {
      info: e.info,
      date: e.date,
      Orgc: { name: e.org, uuid: '11111111-1111-4111-8111-111111111111' },
      Tag: (e.tags ?? []).map((name) => ({ name, colour: '#ffffff' })),
      analysis: 2,
      threat_level_id: 1,
      timestamp: 1705309200,
    };
    files[`${e.uuid}.json`] = buildMispEvent(e);
  }
  files['manifest.json'] = JSON.stringify(manifest);
  return files;
}

export interface StixIndicatorSpec {
  pattern: string;
  patternType?: string;
  validFrom?: string;
  validUntil?: string;
  confidence?: number;
  malware?: string;
  revoked?: boolean;
}

/** A STIX 2.1 bundle: an identity, indicators, malware objects and `indicates` relationships. */
export function buildStixBundle(
  indicators: readonly StixIndicatorSpec[],
  creator = 'Example CERT',
): string {
  const identity = {
    type: 'identity',
    spec_version: '2.1',
    id: 'identity--aaaaaaaa-0000-4000-8000-000000000001',
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: creator,
    identity_class: 'organization',
  };
  const objects: Record<string, unknown>[] = [identity];
  indicators.forEach((spec, i) => {
    const id = `indicator--aaaaaaaa-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
    objects.push({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created_by_ref: identity.id,
      created: '2024-01-15T09:00:00.000Z',
      modified: '2024-01-16T09:00:00.000Z',
      name: `indicator ${i + 1}`,
      indicator_types: ['malicious-activity'],
      pattern: spec.pattern,
      pattern_type: spec.patternType ?? 'stix',
      valid_from: spec.validFrom ?? '2024-01-15T09:00:00Z',
      ...(spec.validUntil ? { valid_until: spec.validUntil } : {}),
      ...(spec.confidence !== undefined ? { confidence: spec.confidence } : {}),
      ...(spec.revoked ? { revoked: true } : {}),
    });
    if (spec.malware) {
      const malwareId = `malware--bbbbbbbb-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
      objects.push({
        type: 'malware',
        spec_version: '2.1',
        id: malwareId,
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        name: spec.malware,
        is_family: true,
      });
      objects.push({
        type: 'relationship',
        spec_version: '2.1',
        id: `relationship--cccccccc-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        created: '2024-01-01T00:00:00.000Z',
        modified: '2024-01-01T00:00:00.000Z',
        relationship_type: 'indicates',
        source_ref: id,
        target_ref: malwareId,
      });
    }
  });
  return JSON.stringify({
    type: 'bundle',
    id: 'bundle--dddddddd-0000-4000-8000-000000000001',
    objects,
  });
}

/** A plain list with a comment banner, blank lines and trailing comments. */
export function buildTextList(values: readonly string[], banner = 'emoguard test list'): string {
  return [`# ${banner}`, '', ...values, ''].join('\n');
}

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
