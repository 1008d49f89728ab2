/**
 * Reports and exports over a store of 10,000 findings (BENCH_FINDINGS overrides) on 50 hosts: mail and
 * document findings with extracted URLs/IPs, hunt findings with C2 addresses, correlated into incidents.
 * Measures, in one process: the store-wide report (model + HTML + Markdown + JSON), the biggest incident's
 * report (view + checklist + HTML + Markdown), and the four exports of the whole store (OCSF, STIX,
 * Navigator, Timesketch). Filling the store and correlating are not measured. With Chromium present the
 * incident PDF time is added to the notes (a child process; not in the RSS figure).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { htmlToPdf } from '../src/apps/pdf/index.js';
import {
  emptyExtracted,
  mergeExtracted,
  type Finding,
  type ScanResult,
} from '../src/core/index.js';
import { buildIncidentView, correlate } from '../src/correlate/index.js';
import {
  exportDataFromIncident,
  readExportData,
  toNavigatorLayer,
  toOcsfJsonLines,
  toStixBundle,
  toTimesketchCsv,
} from '../src/report/exports/index.js';
import {
  buildIncidentReport,
  buildReport,
  readChecklistContext,
  renderHtml,
  renderIncidentHtml,
  renderIncidentMarkdown,
  renderJson,
  renderMarkdown,
} from '../src/report/index.js';
import { openSqliteStore, type Store } from '../src/store/index.js';
import { benchResult, seededRandom, startRssSampler, type BenchResult } from './lib.js';

export const name = 'report';

const DEFAULT_FINDINGS = 10_000;
const HOSTS = 50;
const PER_RESULT = 10;

function findingCount(): number {
  const raw = process.env.BENCH_FINDINGS;
  const n = raw === undefined || raw === '' ? DEFAULT_FINDINGS : Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`BENCH_FINDINGS must be a positive integer, got '${raw}'`);
  return n;
}

const hex = (n: number) => n.toString(16).padStart(64, '0');
const STEPS: Finding['step'][] = ['1', '3', '4', '5', '6'];
const SEVERITIES: Finding['severity'][] = ['medium', 'high', 'critical'];

async function fill(store: Store, total: number): Promise<void> {
  const random = seededRandom(0x4e90);
  const pick = (n: number) => Math.floor(random() * n);
  const scan = await store.beginScan({ command: 'scan', args: ['spool'], host: 'gateway' });
  const hunt = await store.beginScan({ command: 'hunt', args: ['logs'], host: 'soc' });
  for (let written = 0, serial = 0; written < total; serial++) {
    const n = Math.min(PER_RESULT, total - written);
    const host = `pc-${pick(HOSTS)}`;
    const isHunt = serial % 2 === 1;
    const findings: Finding[] = Array.from({ length: n }, (_, i) => ({
      id: isHunt ? (i % 2 ? 'ioc.c2-match' : 'sigma.wmiprvse-spawns-powershell') : `vba.rule-${i}`,
      title: `Finding ${i} <b>${serial}</b>`,
      severity: SEVERITIES[pick(3)]!,
      step: STEPS[pick(STEPS.length)]!,
      attack: ['T1059.001', 'T1047', 'T1071.001'].slice(0, 1 + pick(3)),
      evidence: [{ text: `dst=198.51.100.${pick(250)}:8080 invoice-${serial}.docm`, line: i + 1 }],
      observedAt: new Date(Date.UTC(2026, 10, 20, 0, 0, serial)).toISOString(),
    }));
    const result: ScanResult = {
      path: `${isHunt ? 'logs' : 'spool'}/${serial}.${isHunt ? 'jsonl' : 'doc'}`,
      sha256: hex(serial + 1),
      size: 1000,
      type: isHunt ? 'jsonl' : 'ole',
      verdict: 'malicious',
      findings,
      extracted: mergeExtracted(emptyExtracted(), {
        iocs: {
          urls: [`http://203.0.113.${pick(250)}/p${serial % 500}.dll`],
          ips: [`198.51.100.${pick(250)}`],
        },
      }),
      children: [],
    };
    await store.saveResults(isHunt ? hunt : scan, [result], isHunt ? { host } : {});
    written += n;
  }
}

export async function run(): Promise<BenchResult> {
  const total = findingCount();
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-report-'));
  const store = openSqliteStore(join(dir, 'report.db'));
  try {
    await store.migrate();
    await fill(store, total);
    await correlate(store);
    const incidents = await store.listIncidents();
    const biggest = [...incidents].sort((a, b) => b.findingIds.length - a.findingIds.length)[0];

    const rss = startRssSampler();
    const t0 = performance.now();
    const model = await buildReport(store, { lang: 'ja' });
    let bytes = renderHtml(model).length + renderMarkdown(model).length + renderJson(model).length;
    const t1 = performance.now();
    let incidentHtml = '';
    if (biggest !== undefined) {
      const view = await buildIncidentView(store, biggest.id);
      const report = buildIncidentReport(view, await readChecklistContext(store, biggest.id), {
        lang: 'ja',
      });
      incidentHtml = renderIncidentHtml(report);
      bytes += incidentHtml.length + renderIncidentMarkdown(report).length;
      bytes += toStixBundle(exportDataFromIncident(view)).objects.length;
    }
    const t2 = performance.now();
    const data = await readExportData(store);
    bytes += toOcsfJsonLines(data, { productVersion: 'bench' }).length;
    bytes += JSON.stringify(toStixBundle(data)).length;
    bytes += JSON.stringify(toNavigatorLayer(data)).length;
    bytes += toTimesketchCsv(data).length;
    const t3 = performance.now();
    const peakRssMb = rss.stop();

    let pdfNote = 'no Chromium: PDF not measured';
    if (incidentHtml !== '' && existsSync('/usr/bin/chromium')) {
      const p0 = performance.now();
      const pdf = await htmlToPdf(incidentHtml);
      pdfNote = `incident PDF ${((performance.now() - p0) / 1000).toFixed(2)} s, ${(pdf.length / 1024).toFixed(0)} KiB`;
    }
    const s = (a: number, b: number) => ((b - a) / 1000).toFixed(2);
    return benchResult({
      name,
      items: total,
      bytes,
      seconds: (t3 - t0) / 1000,
      peakRssMb,
      notes:
        `store report ${s(t0, t1)} s; incident #${biggest?.id ?? '-'} (${biggest?.findingIds.length ?? 0} findings) ` +
        `report ${s(t1, t2)} s; exports of ${data.findings.length} findings / ${data.iocs.length} IOCs ${s(t2, t3)} s; ` +
        `${incidents.length} incidents; ${pdfNote}`,
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
