import { closeSync, openSync, readSync } from 'node:fs';
import {
  childPath,
  severityRank,
  STEP_INFO,
  verdictOf,
  walkResults,
  type ScanResult,
  type Verdict,
} from '../../core/index.js';
import { isCaptureHead } from '../../formats/pcap/index.js';
import { createHashIocEngine, type IocSet } from '../../engines/ioc/index.js';
import { ENGINES, scanInput } from '../../pipeline/index.js';
import { exportCaptureObjects, type ExportLimits } from './export.js';
import type { TsharkOptions } from './run.js';

/** pcap or pcapng by its first four bytes, whatever the file is called. */
export function isCaptureFile(path: string): boolean {
  return captureTypeOf(path) !== undefined;
}

export function captureTypeOf(path: string): 'pcap' | 'pcapng' | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(4);
    if (readSync(fd, head, 0, 4, 0) !== 4 || !isCaptureHead(head)) return undefined;
    return head[0] === 0x0a ? 'pcapng' : 'pcap';
  } finally {
    closeSync(fd);
  }
}

export interface CaptureObjects {
  type: 'pcap' | 'pcapng';
  /** One scan result per exported object, `<capture>!http/<name>` or `<capture>!imf/<name>`. */
  children: ScanResult[];
  /** What was left out (limits), for the user. */
  notes: string[];
}

/**
 * The HTTP objects and SMTP mails of a capture, each through the normal scanner, so a downloaded .doc
 * or PE is analysed by the document, macro and PE layers as if it had been scanned on its own.
 */
export async function scanCaptureObjects(
  path: string,
  limits: ExportLimits = {},
  options: TsharkOptions & { iocs?: IocSet } = {},
): Promise<CaptureObjects> {
  const report = await exportCaptureObjects(path, limits, options);
  // The hunt's intel also names files by hash: a downloaded loader listed by a feed is found as such.
  const engines = options.iocs ? [...ENGINES, createHashIocEngine(options.iocs)] : ENGINES;
  const children: ScanResult[] = [];
  for (const object of report.objects) {
    const result = await scanInput(
      { path: childPath(path, `${object.protocol}/${object.name}`), bytes: object.bytes },
      { engines },
    );
    result.relation = `exported-${object.protocol}`;
    children.push(result);
  }
  const notes: string[] = [];
  if (report.skipped > 0)
    notes.push(`${report.skipped} exported object(s) past the count or size bound not scanned`);
  if (report.tooLarge > 0)
    notes.push(`${report.tooLarge} exported object(s) over the per-object size bound not scanned`);
  return { type: captureTypeOf(path) ?? 'pcap', children, notes };
}

/** Hangs the exported objects under a capture's stored result; its verdict is at least theirs. */
export function attachCaptureChildren(result: ScanResult, children: readonly ScanResult[]): void {
  result.children.push(...children);
  result.verdict = verdictOf(
    result.findings,
    result.children.map((c) => c.verdict),
  );
}

/** A capture's verdict counting its exported objects'. */
export function withCaptureVerdict(own: Verdict, capture: CaptureObjects | undefined): Verdict {
  return capture ? verdictOf([], [own, ...capture.children.map((c) => c.verdict)]) : own;
}

/** The worst severity among the objects' findings (-1 when none). */
export function worstChildRank(children: readonly ScanResult[]): number {
  let worst = -1;
  for (const child of children) {
    for (const [r] of walkResults(child)) {
      for (const f of r.findings) worst = Math.max(worst, severityRank(f.severity));
    }
  }
  return worst;
}

/**
 * Output lines for the objects' findings: with `json`, one object per finding shaped like a hunt
 * detection (`engine`, `rule`, `source.path`, `step`, `attack`) plus the artifact it was found in;
 * else one text line per finding, in the columns of the hunt's own lines.
 */
export function captureObjectLines(children: readonly ScanResult[], isJson: boolean): string[] {
  const lines: string[] = [];
  for (const child of children) {
    for (const [r] of walkResults(child)) {
      for (const f of r.findings) {
        if (isJson) {
          lines.push(
            JSON.stringify({
              engine: f.id.split('.')[0],
              rule: { id: f.id, title: f.title, level: f.severity },
              source: { path: r.path },
              step: f.step,
              attack: f.attack,
              evidence: f.evidence.slice(0, 5),
              artifact: { path: r.path, sha256: r.sha256, type: r.type, verdict: r.verdict },
            }),
          );
        } else {
          lines.push(
            [
              STEP_INFO[f.step].mark,
              f.severity.padEnd(8),
              '-'.padEnd(20),
              ''.padEnd(19),
              f.title.slice(0, 60).padEnd(60),
              r.path.slice(-60),
            ].join(' '),
          );
        }
      }
    }
  }
  return lines;
}
