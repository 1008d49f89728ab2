/**
 * abuse.ch feeds, read by their own header line so that old and new column sets both work:
 * - Feodo Tracker `ipblocklist.csv`: `first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware`
 *   (commented `# …` or quoted header), before 2021 `# Firstseen,DstIP,DstPort,LastOnline,Malware`;
 *   SSLBL's IP list `# Firstseen,DstIP,DstPort`; `ipblocklist.json` (objects with `ip_address`, `port` …).
 * - URLhaus `csv`: `# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter` (older
 *   dumps lack `last_online`).
 * - ThreatFox `csv`: `# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware",
 *   "malware_alias","malware_printable","last_seen_utc","confidence_level",["is_compromised",]"reference",
 *   "tags","anonymous","reporter"` with `", "` between fields; JSON export keyed by IOC id; API JSON
 *   (`{"query_status":"ok","data":[…]}`).
 * - SSLBL JA3 fingerprints: `# ja3_md5,Firstseen,Lastseen,Listingreason`.
 */
import { splitCsvLine } from '../netlog/index.js';
import {
  confidenceOf,
  emit,
  makeIoc,
  present,
  tagsOf,
  timeOf,
  type IntelSink,
  type RecordMeta,
} from './build.js';
import type { IocType } from './types.js';

export type AbusechKind = 'feodo' | 'urlhaus' | 'threatfox' | 'sslbl';

/** Current column sets, as the files' header lines name them (the writer uses them too). */
export const FEODO_COLUMNS: readonly string[] = [
  'first_seen_utc',
  'dst_ip',
  'dst_port',
  'c2_status',
  'last_online',
  'malware',
];
export const URLHAUS_COLUMNS: readonly string[] = [
  'id',
  'dateadded',
  'url',
  'url_status',
  'last_online',
  'threat',
  'tags',
  'urlhaus_link',
  'reporter',
];
export const THREATFOX_COLUMNS: readonly string[] = [
  'first_seen_utc',
  'ioc_id',
  'ioc_value',
  'ioc_type',
  'threat_type',
  'fk_malware',
  'malware_alias',
  'malware_printable',
  'last_seen_utc',
  'confidence_level',
  'is_compromised',
  'reference',
  'tags',
  'anonymous',
  'reporter',
];
/** URLhaus dumps before `last_online` was added. */
export const URLHAUS_LEGACY_COLUMNS = URLHAUS_COLUMNS.filter((c) => c !== 'last_online');
/** ThreatFox exports before 2024, without `is_compromised`. */
export const THREATFOX_LEGACY_COLUMNS = THREATFOX_COLUMNS.filter((c) => c !== 'is_compromised');

/** Column sets by count, for files whose header was cut off. */
const DEFAULT_COLUMNS: Record<AbusechKind, Record<number, readonly string[]>> = {
  feodo: {
    6: FEODO_COLUMNS,
    5: ['firstseen', 'dstip', 'dstport', 'lastonline', 'malware'],
    3: ['firstseen', 'dstip', 'dstport'],
  },
  urlhaus: { 9: URLHAUS_COLUMNS, 8: URLHAUS_LEGACY_COLUMNS },
  threatfox: { 15: THREATFOX_COLUMNS, 14: THREATFOX_LEGACY_COLUMNS },
  sslbl: { 4: ['ja3_md5', 'firstseen', 'lastseen', 'listingreason'] },
};

/** A line that names the columns of `kind`, with or without `#` and quotes. */
function headerOf(line: string, kind: AbusechKind): string[] | undefined {
  const text = line.replace(/^#\s*/, '');
  const cells = splitCsvLine(text)?.map((c) => c.trim().toLowerCase());
  if (!cells || cells.length < 2) return undefined;
  const has = (name: string) => cells.includes(name);
  const ok =
    kind === 'feodo'
      ? has('dst_ip') || has('dstip')
      : kind === 'urlhaus'
        ? has('url') && (has('dateadded') || has('url_status'))
        : kind === 'threatfox'
          ? has('ioc_value') && has('ioc_type')
          : has('ja3_md5');
  return ok ? cells : undefined;
}

const THREATFOX_TYPES: Record<string, IocType[]> = {
  'ip:port': ['ip-port', 'ip'],
  domain: ['domain'],
  url: ['url'],
  md5_hash: ['md5'],
  sha1_hash: ['sha1'],
  sha256_hash: ['sha256'],
};

/** abuse.ch CSV feeds, one line at a time. */
export function createAbusechCsvReader(kind: AbusechKind, source: string, sink: IntelSink) {
  let columns: string[] | undefined;
  return (line: string, n: number): void => {
    const text = line.trim();
    if (text.length === 0) return;
    const header = columns === undefined || text.startsWith('#') ? headerOf(text, kind) : undefined;
    if (header) {
      columns = header;
      return;
    }
    if (text.startsWith('#')) return;
    const cells = splitCsvLine(text);
    if (!cells) return sink.reject('unterminated quote', n, 'E_INTEL_CSV');
    if (kind === 'feodo' && columns === undefined && cells.length === 1) {
      // Feodo's plain `ipblocklist.txt`: one C2 address per line.
      return emit(sink, makeIoc('ip', cells[0]!, { source, tags: ['c2'], line: n }), n);
    }
    const names = columns ?? DEFAULT_COLUMNS[kind][cells.length];
    if (!names) {
      return sink.reject(`${cells.length} columns and no header naming them`, n, 'E_INTEL_CSV');
    }
    if (cells.length !== names.length) {
      return sink.reject(
        `${cells.length} columns where the header names ${names.length}`,
        n,
        'E_INTEL_CSV',
      );
    }
    const row: Record<string, string> = {};
    names.forEach((name, i) => (row[name] = cells[i]!.trim()));
    readRow(kind, row, source, sink, n);
  };
}

function readRow(
  kind: AbusechKind,
  row: Record<string, string | undefined>,
  source: string,
  sink: IntelSink,
  line?: number,
): void {
  if (kind === 'feodo') {
    const ip = present(row.dst_ip ?? row.dstip ?? row.ip_address);
    if (ip === undefined) return sink.reject('no dst_ip', line, 'E_INTEL_RECORD');
    const meta: RecordMeta = {
      source,
      firstSeen: timeOf(row.first_seen_utc ?? row.firstseen ?? row.first_seen),
      lastSeen: timeOf(row.last_online ?? row.lastonline),
      malware: present(row.malware),
      tags: tagsOf('c2', row.c2_status ?? row.status),
      line,
    };
    const ioc = makeIoc('ip', ip, meta);
    emit(sink, ioc, line);
    const port = present(row.dst_port ?? row.dstport ?? row.port);
    if (port !== undefined && !('error' in ioc))
      emit(sink, makeIoc('ip-port', `${ip.includes(':') ? `[${ip}]` : ip}:${port}`, meta), line);
    return;
  }
  if (kind === 'urlhaus') {
    const url = present(row.url);
    if (url === undefined) return sink.reject('no url', line, 'E_INTEL_RECORD');
    emit(
      sink,
      makeIoc('url', url, {
        source,
        firstSeen: timeOf(row.dateadded),
        lastSeen: timeOf(row.last_online),
        tags: tagsOf(row.threat, row.url_status, row.tags),
        reference: present(row.urlhaus_link),
        line,
      }),
      line,
    );
    return;
  }
  if (kind === 'sslbl') {
    const reason = present(row.listingreason);
    emit(
      sink,
      makeIoc('ja3', row.ja3_md5 ?? '', {
        source,
        firstSeen: timeOf(row.firstseen),
        lastSeen: timeOf(row.lastseen),
        malware: reason?.replace(/\s+C&C$/i, ''),
        tags: tagsOf(reason),
        line,
      }),
      line,
    );
    return;
  }
  readThreatFox(row, source, sink, line);
}

function readThreatFox(
  row: Record<string, unknown>,
  source: string,
  sink: IntelSink,
  line?: number,
): void {
  const value = present(row.ioc_value ?? row.ioc);
  const type = present(row.ioc_type);
  if (value === undefined || type === undefined) {
    return sink.reject('no ioc_value/ioc_type', line, 'E_INTEL_RECORD');
  }
  const types = THREATFOX_TYPES[type];
  if (!types)
    return sink.reject(
      `ThreatFox ioc_type "${type.slice(0, 50)}" is not matched by emoguard`,
      line,
      'E_INTEL_UNSUPPORTED',
    );
  const meta: RecordMeta = {
    source,
    firstSeen: timeOf(row.first_seen_utc ?? row.first_seen),
    lastSeen: timeOf(row.last_seen_utc ?? row.last_seen),
    confidence: confidenceOf(row.confidence_level),
    malware: present(row.malware_printable) ?? present(row.fk_malware ?? row.malware),
    tags: tagsOf(row.threat_type, row.tags, row.malware_alias),
    reference: present(row.reference),
    line,
  };
  for (const t of types) {
    const raw = t === 'ip' ? value.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') : value;
    emit(sink, makeIoc(t, raw, meta), line);
  }
}

/** Feodo Tracker `ipblocklist.json`: an array of `{ip_address, port, status, first_seen, last_online, malware, …}`. */
export function readFeodoJson(value: unknown, source: string, sink: IntelSink): void {
  if (!Array.isArray(value))
    return sink.reject('Feodo JSON is not an array', undefined, 'E_INTEL_JSON');
  for (const item of value) {
    if (item === null || typeof item !== 'object') {
      sink.reject('a Feodo JSON entry that is not an object', undefined, 'E_INTEL_RECORD');
      continue;
    }
    const r = item as Record<string, unknown>;
    readRow(
      'feodo',
      {
        ip_address: present(r.ip_address),
        port: present(r.port),
        status: present(r.status),
        first_seen: present(r.first_seen),
        last_online: present(r.last_online),
        malware: present(r.malware),
      },
      source,
      sink,
    );
  }
}

/**
 * ThreatFox JSON: the export (`{"<ioc id>": [{ioc_value, ioc_type, …}]}`) or an API answer
 * (`{"query_status": "ok", "data": [{ioc, ioc_type, …}]}`).
 */
export function readThreatFoxJson(value: unknown, source: string, sink: IntelSink): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return sink.reject('ThreatFox JSON is not an object', undefined, 'E_INTEL_JSON');
  }
  const root = value as Record<string, unknown>;
  let records: unknown[];
  if ('query_status' in root) {
    if (root.query_status !== 'ok') {
      return sink.reject(
        `ThreatFox API answered query_status "${String(root.query_status).slice(0, 50)}"`,
        undefined,
        'E_INTEL_JSON',
      );
    }
    records = Array.isArray(root.data) ? root.data : [];
  } else {
    records = Object.values(root).flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  for (const record of records) {
    if (record === null || typeof record !== 'object') {
      sink.reject('a ThreatFox entry that is not an object', undefined, 'E_INTEL_RECORD');
      continue;
    }
    readThreatFox(record as Record<string, unknown>, source, sink);
  }
}
