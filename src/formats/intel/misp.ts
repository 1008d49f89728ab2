/**
 * MISP feeds (https://www.misp-project.org/openapi/ "Event" and the feed layout of
 * `misp-feed` / PyMISP `feed-generator`): `manifest.json` maps event UUIDs to event summaries; each event
 * is `<uuid>.json` = `{"Event": {Attribute: […], Object: [{Attribute: […]}], Tag: […]}}`.
 * Only attributes flagged `to_ids` become indicators (MISP's own rule for what may raise detections);
 * the rest are counted as skipped. Composite types give each matchable half: `ip-dst|port` → ip:port
 * and ip, `domain|ip` → domain and ip, `filename|sha256` → the hash.
 */
import { normalizeCidr } from './ip.js';
import {
  emit,
  makeIoc,
  present,
  tagsOf,
  timeOf,
  type IntelSink,
  type RecordMeta,
} from './build.js';
import type { IocType } from './types.js';

type Part = IocType | 'ip-or-cidr' | undefined;

/** What each half of a MISP attribute type becomes; undefined halves are not matched. */
const MISP_TYPES: Record<string, Part[]> = {
  'ip-dst': ['ip-or-cidr'],
  'ip-src': ['ip-or-cidr'],
  'ip-dst|port': ['ip', undefined],
  'ip-src|port': ['ip', undefined],
  domain: ['domain'],
  hostname: ['domain'],
  'domain|ip': ['domain', 'ip'],
  'hostname|port': ['domain', undefined],
  url: ['url'],
  md5: ['md5'],
  sha1: ['sha1'],
  sha256: ['sha256'],
  'filename|md5': [undefined, 'md5'],
  'filename|sha1': [undefined, 'sha1'],
  'filename|sha256': [undefined, 'sha256'],
  'ja3-fingerprint-md5': ['ja3'],
};

const GALAXY_MALWARE =
  /^misp-galaxy:(?:malpedia|mitre-malware|mitre-enterprise-attack-malware|tool)="([^"]+)"$/;

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function tagNames(v: unknown): string[] {
  return Array.isArray(v)
    ? v.map((t) => present(obj(t)?.name)).filter((t): t is string => t !== undefined)
    : [];
}

function malwareOf(tags: readonly string[], galaxies: unknown): string | undefined {
  for (const tag of tags) {
    const m = GALAXY_MALWARE.exec(tag);
    if (m) return m[1]!.replace(/\s+-\s+S\d{4}$/, '');
  }
  if (Array.isArray(galaxies)) {
    for (const g of galaxies) {
      const cluster = obj(g)?.GalaxyCluster;
      const first = Array.isArray(cluster) ? present(obj(cluster[0])?.value) : undefined;
      if (first) return first.replace(/\s+-\s+S\d{4}$/, '');
    }
  }
  return undefined;
}

function isTrue(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'true';
}

/** The UUIDs a `manifest.json` lists (the event files of the feed), in file order. */
export function readMispManifest(value: unknown): string[] | undefined {
  const root = obj(value);
  if (!root) return undefined;
  const ids = Object.keys(root).filter(
    (k) => /^[0-9a-f-]{36}$/i.test(k) && obj(root[k]) !== undefined,
  );
  return ids.length === Object.keys(root).length ? ids : undefined;
}

/** A MISP event (`{"Event": …}`, or a bare event object): its `to_ids` attributes as indicators. */
export function readMispEvent(
  value: unknown,
  defaultSource: string | undefined,
  sink: IntelSink,
): void {
  const root = obj(value);
  const event = obj(root?.Event) ?? (root && Array.isArray(root.Attribute) ? root : undefined);
  if (!event) return sink.reject('not a MISP event (no Event object)', undefined, 'E_INTEL_JSON');
  const eventTags = tagNames(event.Tag);
  const org = present(obj(event.Orgc)?.name);
  const source = defaultSource ?? (org ? `misp:${org}` : 'misp');
  const eventMeta: RecordMeta = {
    source,
    firstSeen: timeOf(event.date),
    malware: malwareOf(eventTags, event.Galaxy),
  };
  const attributes: unknown[] = Array.isArray(event.Attribute) ? [...event.Attribute] : [];
  if (Array.isArray(event.Object)) {
    for (const o of event.Object) {
      const list = obj(o)?.Attribute;
      if (Array.isArray(list)) attributes.push(...list);
    }
  }
  for (const raw of attributes) {
    const a = obj(raw);
    if (!a) {
      sink.reject('a MISP attribute that is not an object', undefined, 'E_INTEL_RECORD');
      continue;
    }
    if (!isTrue(a.to_ids) || isTrue(a.deleted)) {
      sink.skip();
      continue;
    }
    readAttribute(a, eventMeta, eventTags, sink);
  }
}

function readAttribute(
  a: Record<string, unknown>,
  eventMeta: RecordMeta,
  eventTags: readonly string[],
  sink: IntelSink,
): void {
  const type = present(a.type) ?? '';
  const value = present(a.value);
  const parts = MISP_TYPES[type];
  if (!parts)
    return sink.reject(
      `MISP type "${type.slice(0, 50)}" is not matched by emoguard`,
      undefined,
      'E_INTEL_UNSUPPORTED',
    );
  if (value === undefined)
    return sink.reject(`MISP ${type} attribute without a value`, undefined, 'E_INTEL_RECORD');
  const tags = tagNames(a.Tag);
  const meta: RecordMeta = {
    ...eventMeta,
    firstSeen: timeOf(a.first_seen) ?? eventMeta.firstSeen,
    lastSeen: timeOf(a.last_seen) ?? timeOf(a.timestamp),
    malware: malwareOf(tags, a.Galaxy) ?? eventMeta.malware,
    tags: tagsOf(eventTags, tags, a.category),
  };
  const halves = parts.length === 1 ? [value] : value.split('|');
  if (halves.length !== parts.length) {
    return sink.reject(
      `MISP ${type} value does not have ${parts.length} parts`,
      undefined,
      'E_INTEL_RECORD',
    );
  }
  parts.forEach((part, i) => {
    const half = halves[i]!;
    if (part === 'ip-or-cidr') {
      const cidr = half.includes('/') ? normalizeCidr(half) : undefined;
      emit(
        sink,
        cidr && !cidr.isHost
          ? makeIoc('cidr', half, meta)
          : makeIoc('ip', half.replace(/\/(32|128)$/, ''), meta),
      );
    } else if (part !== undefined) {
      emit(sink, makeIoc(part, half, meta));
    }
  });
  if (type === 'ip-dst|port' || type === 'ip-src|port') {
    const [ip, port] = halves;
    emit(sink, makeIoc('ip-port', `${ip!.includes(':') ? `[${ip}]` : ip}:${port}`, meta));
  }
}
