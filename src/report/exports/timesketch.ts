import { STEP_INFO } from '../../core/index.js';
import { formatEvidence, revealControls } from '../text.js';
import type { ExportData } from './data.js';

/**
 * A timeline CSV for Timesketch (https://timesketch.org/guides/user/import-from-json-csv/): the required
 * `message`, `datetime` (ISO 8601) and `timestamp_desc` columns, `timestamp` in microseconds, then one
 * column per finding attribute. Oldest first.
 */
export const TIMESKETCH_COLUMNS = [
  'message',
  'datetime',
  'timestamp',
  'timestamp_desc',
  'host',
  'step',
  'severity',
  'rule_id',
  'attack',
  'layer',
  'artifact_path',
  'sha256',
  'evidence',
  'finding_id',
  'scan_id',
  'tag',
] as const;

/**
 * SECURITY: a cell a spreadsheet would run as a formula (`=cmd|' /C calc'!A0`, `+`, `-`, `@`, tab, CR —
 * OWASP "CSV Injection") is prefixed with `'`, so opening the export in Excel shows text instead of
 * executing it. Every cell is quoted and inner quotes doubled (RFC 4180); line breaks inside a value are
 * shown as `↵` so one finding stays one row for every reader.
 */
export function csvCell(value: string | number): string {
  let text = revealControls(String(value)).replace(/\n/g, ' ↵ ');
  if (/^[=+\-@\t\r]/.test(text) || /^\s+[=+\-@]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * @example
 * writeFileSync('timeline.csv', toTimesketchCsv(exportDataFromIncident(view)));
 */
export function toTimesketchCsv(data: ExportData): string {
  const rows = [...data.findings]
    .map((f) => ({ f, ms: Date.parse(f.time) }))
    .sort((a, b) => (a.ms || 0) - (b.ms || 0) || a.f.id - b.f.id)
    .map(({ f, ms }) => {
      const valid = !Number.isNaN(ms);
      const first = f.evidence[0];
      const message = `${STEP_INFO[f.step].mark} ${f.title}${first ? ` — ${formatEvidence(first)}` : ''}`;
      return [
        message,
        valid ? new Date(ms).toISOString() : f.time,
        valid ? ms * 1000 : 0,
        f.isEventTime ? 'Event Time' : 'Time Stored',
        f.host ?? '',
        f.step,
        f.severity,
        f.ruleId,
        f.attack.join(' '),
        f.layer,
        f.artifactPath,
        f.artifactSha256,
        f.evidence.map(formatEvidence).join(' | '),
        f.id,
        f.scanId,
        ['emoguard', `step-${f.step}`, f.severity].join(','),
      ]
        .map(csvCell)
        .join(',');
    });
  return [TIMESKETCH_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
