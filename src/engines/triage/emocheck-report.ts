/**
 * EmoCheck's report files, so that runbooks and scripts written for EmoCheck read emoguard's triage:
 * `<COMPUTERNAME>_<yyyymmddhhmmss>_emocheck.txt` and `.json`, in the English layout of EmoCheck v2.0's
 * WriteReport/JsonReport (JPCERTCC/EmoCheck emocheck/main.cpp), CRLF line ends as its text-mode ofstream
 * writes them on Windows. Fields: scan_time, hostname, emocheck_version, is_infected ("yes"/"no"),
 * emotet_processes[{process_name, process_id (a string), image_path}].
 */
import {
  wallClockOf,
  wallClockOfMicros,
  type WallClock,
} from '../../formats/host-snapshot/index.js';
import type { TriageReport } from './triage.js';

/** The EmoCheck release whose report layout is reproduced (the last one with published source). */
export const EMOCHECK_LAYOUT_VERSION = '2.0';
const LINE_DELIMITER = '_'.repeat(52);

export interface EmoCheckReportOptions {
  /** The time printed as "Scan time" and used in the file name: the snapshot's collection time. */
  scanTime: WallClock;
  version?: string;
  newline?: '\r\n' | '\n';
}

/** The snapshot's local collection time as written by the collector, else `now` in UTC. */
export function emocheckScanTime(report: Pick<TriageReport, 'collectedAt'>, now: Date): WallClock {
  const clock = report.collectedAt === null ? null : wallClockOf(report.collectedAt);
  return clock ?? wallClockOfMicros(now.getTime() * 1000);
}

/**
 * `<COMPUTERNAME>_<yyyymmddhhmmss>_emocheck.<ext>`. SECURITY: the host name comes from the snapshot;
 * anything but letters, digits, `.`, `-` and `_` becomes `_`, so it can never leave the report folder.
 */
export function emocheckReportName(
  hostname: string,
  clock: WallClock,
  ext: 'txt' | 'json',
): string {
  const safe =
    hostname
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 63) || 'UNKNOWN';
  return `${safe}_${stamp(clock, '')}_emocheck.${ext}`;
}

export function renderEmoCheckText(report: TriageReport, options: EmoCheckReportOptions): string {
  const nl = options.newline ?? '\r\n';
  const lines = [
    `[EmoCheck v${options.version ?? EMOCHECK_LAYOUT_VERSION}]`,
    `Scan time: ${stamp(options.scanTime, ' ')}`,
    LINE_DELIMITER,
    '',
  ];
  if (report.detections.length === 0) {
    lines.push('[Result] ', 'Emotet was not detected.');
  } else {
    lines.push('[Result] ', 'Detected Emotet process.', '');
    for (const d of report.detections) {
      lines.push(
        '[Emotet Process] ',
        `     Process Name  : ${flat(d.processName)}`,
        `     Process ID    : ${d.pid}`,
        `     Image Path    : ${flat(d.imagePath)}`,
      );
    }
    lines.push(LINE_DELIMITER, '', 'Please remove or isolate the suspicious execution file.');
  }
  return lines.join(nl) + nl;
}

export function renderEmoCheckJson(report: TriageReport, options: EmoCheckReportOptions): string {
  const nl = options.newline ?? '\r\n';
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    '{',
    `  "scan_time":${q(stamp(options.scanTime, ' '))},`,
    `  "hostname":${q(report.hostname)},`,
    `  "emocheck_version":${q(options.version ?? EMOCHECK_LAYOUT_VERSION)},`,
  ];
  if (report.detections.length === 0) {
    lines.push('  "is_infected":"no"', '}');
  } else {
    lines.push('  "is_infected":"yes",', '  "emotet_processes":[');
    report.detections.forEach((d, i) => {
      lines.push(
        '    {',
        `      "process_name":${q(d.processName)},`,
        `      "process_id":${q(String(d.pid))},`,
        `      "image_path":${q(d.imagePath)}`,
        i === report.detections.length - 1 ? '    }' : '    },',
      );
    });
    lines.push('  ]', '}');
  }
  return lines.join(nl) + nl;
}

/** `yyyy-mm-dd hh:mm:ss` with `sep` ' ', or `yyyymmddhhmmss` with ''. */
function stamp(c: WallClock, sep: '' | ' '): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = [p(c.year, 4), p(c.month), p(c.day)].join(sep === '' ? '' : '-');
  const time = [p(c.hour), p(c.minute), p(c.second)].join(sep === '' ? '' : ':');
  return `${date}${sep}${time}`;
}

/** One line per field: a name or path with a line break would shift every line a parser expects. */
function flat(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
