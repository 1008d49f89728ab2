/**
 * abuse.ch feed files written in the publishers' own shapes (the reader's formats, abusech.ts): the
 * demo's threat intel and the test fixtures come from here, so both match what `parseIntel` reads.
 * Feodo Tracker and ThreatFox files use CRLF line ends, URLhaus LF, as the published files do.
 */
import {
  FEODO_COLUMNS,
  THREATFOX_COLUMNS,
  THREATFOX_LEGACY_COLUMNS,
  URLHAUS_COLUMNS,
  URLHAUS_LEGACY_COLUMNS,
} from './abusech.js';

export interface FeodoEntry {
  firstSeen: string;
  ip: string;
  port: number;
  status?: 'online' | 'offline';
  lastOnline?: string;
  malware: string;
}

export interface UrlhausEntry {
  id: number;
  dateAdded: string;
  url: string;
  status?: 'online' | 'offline';
  lastOnline?: string;
  threat?: string;
  tags: string[];
  reporter?: string;
}

export interface ThreatFoxEntry {
  firstSeen: string;
  id: number;
  value: string;
  type: string;
  threatType: string;
  malware: string;
  printable: string;
  alias?: string;
  lastSeen?: string;
  confidence: number;
  reference?: string;
  tags: string[];
}

export interface AbusechWriteOptions {
  /** The `#` comment block above the header, from the file's title (abuse.ch's banner). */
  banner: (title: string) => string;
  /** Reporter of entries that name none. */
  reporter: string;
}

const quoted = (cells: readonly string[], separator: string) =>
  cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(separator);

/**
 * Feodo Tracker `ipblocklist.csv`. `quoted` is the current file (quoted header line, quoted values);
 * `commented` has the header as a `# first_seen_utc,…` comment; `legacy` is the pre-2021
 * `# Firstseen,DstIP,DstPort,LastOnline,Malware` file.
 */
export function writeFeodoCsv(
  entries: readonly FeodoEntry[],
  options: Pick<AbusechWriteOptions, 'banner'>,
  variant: 'quoted' | 'commented' | 'legacy' = 'quoted',
): string {
  const lines = [options.banner('abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)')];
  if (variant === 'legacy') {
    lines.push('# Firstseen,DstIP,DstPort,LastOnline,Malware');
    for (const e of entries)
      lines.push([e.firstSeen, e.ip, e.port, e.lastOnline ?? '', e.malware].join(','));
  } else {
    lines.push(
      variant === 'quoted'
        ? FEODO_COLUMNS.map((h) => `"${h}"`).join(',')
        : `# ${FEODO_COLUMNS.join(',')}`,
    );
    for (const e of entries) {
      const cells = [
        e.firstSeen,
        e.ip,
        String(e.port),
        e.status ?? 'online',
        e.lastOnline ?? '',
        e.malware,
      ];
      lines.push(variant === 'quoted' ? cells.map((c) => `"${c}"`).join(',') : cells.join(','));
    }
  }
  lines.push(`# END ${entries.length} entries`);
  return `${lines.join('\r\n')}\r\n`;
}

/** URLhaus `csv.txt`; `legacy` dumps lack the `last_online` column. */
export function writeUrlhausCsv(
  entries: readonly UrlhausEntry[],
  options: AbusechWriteOptions,
  legacy = false,
): string {
  const header = legacy ? URLHAUS_LEGACY_COLUMNS : URLHAUS_COLUMNS;
  const lines = [options.banner('abuse.ch URLhaus Database Dump (CSV)'), `# ${header.join(',')}`];
  for (const e of entries) {
    const cells = [
      String(e.id),
      e.dateAdded,
      e.url,
      e.status ?? 'online',
      ...(legacy ? [] : [e.lastOnline ?? '']),
      e.threat ?? 'malware_download',
      e.tags.join(','),
      `https://urlhaus.abuse.ch/url/${e.id}/`,
      e.reporter ?? options.reporter,
    ];
    lines.push(quoted(cells, ','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * ThreatFox CSV export: commented quoted header, `", "` between quoted values, `None` for nothing;
 * `legacy` lacks `is_compromised` (exports before 2024).
 */
export function writeThreatFoxCsv(
  entries: readonly ThreatFoxEntry[],
  options: AbusechWriteOptions,
  legacy = false,
): string {
  const header = legacy ? THREATFOX_LEGACY_COLUMNS : THREATFOX_COLUMNS;
  const lines = [
    options.banner('ThreatFox IOCs: recent additions - CSV format'),
    `# ${header.map((h) => `"${h}"`).join(',')}`,
  ];
  for (const e of entries) {
    const cells = [
      e.firstSeen,
      String(e.id),
      e.value,
      e.type,
      e.threatType,
      e.malware,
      e.alias ?? 'None',
      e.printable,
      e.lastSeen ?? '',
      String(e.confidence),
      ...(legacy ? [] : ['False']),
      e.reference ?? 'None',
      e.tags.length ? e.tags.join(',') : 'None',
      '0',
      options.reporter,
    ];
    lines.push(quoted(cells, ', '));
  }
  lines.push(`# Number of entries: ${entries.length}`);
  return `${lines.join('\r\n')}\r\n`;
}
