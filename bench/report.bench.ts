/**
 * Reports and exports over a store of 10,000 findings (BENCH_FINDINGS overrides) on 50 hosts: mail and
 * document findings with extracted URLs/IPs, hunt findings with C2 addresses, correlated into incidents.
 * Measures, in one process and through the functions `emoguard report` and `emoguard export` run
 * (`runReport`, `runExport`: store opening, model, rendering, output): the store-wide report in HTML,
 * Markdown and JSON (one command each), the biggest incident's report (HTML, Markdown, its STIX export),
 * and the four exports of the whole store (OCSF, STIX, Navigator, Timesketch). The coverage simulation
 * is left out (`--no-coverage`). Filling the store and correlating are not measured. With Chromium
 * present the incident PDF time is added to the notes (a child process; not in the RSS figure).
 */
import { existsSync } from 'node:fs';
import { htmlToPdf } from '../src/apps/pdf/index.js';
import { runExport, EXPORT_FORMATS } from '../src/apps/cli/commands/export.js';
import { runReport } from '../src/apps/cli/commands/report.js';
import {
  emptyExtracted,
  mergeExtracted,
  type Finding,
  type ScanResult,
} from '../src/core/index.js';
import { correlate } from '../src/correlate/index.js';
import type { Store } from '../src/store/index.js';
import { fakeIO } from '../test/support/cli-io.js';
import {
  benchResult,
  fakeSha256 as hex,
  measure,
  positiveIntEnv,
  seededRandom,
  timeSeconds,
  withScratchStore,
  type BenchResult,
} from './lib.js';

export const name = 'report';

const DEFAULT_FINDINGS = 10_000;
const HOSTS = 50;
const PER_RESULT = 10;

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

/** Runs a CLI command function with streams that collect its output; returns what it wrote. */
async function cliOutput(command: (io: ReturnType<typeof fakeIO>['io']) => Promise<number>) {
  const { io, out, err } = fakeIO();
  const code = await command(io);
  if (code !== 0) throw new Error(`exit ${code}: ${err()}`);
  return out();
}

const REPORT_FORMATS = ['html', 'md', 'json'] as const;

export async function run(): Promise<BenchResult> {
  const total = positiveIntEnv('BENCH_FINDINGS', DEFAULT_FINDINGS);
  return withScratchStore('report', async (store, db) => {
    await fill(store, total);
    await correlate(store);
    const incidents = await store.listIncidents();
    const biggest = [...incidents].sort((a, b) => b.findingIds.length - a.findingIds.length)[0];
    // The code `emoguard report` and `emoguard export` run, store opening and output included; the
    // coverage simulation is left out (`--no-coverage`): it does not depend on the store.
    const report = (format: (typeof REPORT_FORMATS)[number], incident?: number) =>
      cliOutput((io) =>
        runReport(
          { format, db, lang: 'ja', coverage: false, ...(incident ? { incident } : {}) },
          io,
        ),
      );
    let bytes = 0;
    let incidentHtml = '';
    let storeSeconds = 0;
    let incidentSeconds = 0;
    let exportSeconds = 0;
    const { seconds, peakRssMb } = await measure(async () => {
      storeSeconds = await timeSeconds(async () => {
        for (const format of REPORT_FORMATS) bytes += (await report(format)).length;
      });
      if (biggest !== undefined) {
        incidentSeconds = await timeSeconds(async () => {
          incidentHtml = await report('html', biggest.id);
          bytes += incidentHtml.length + (await report('md', biggest.id)).length;
          const stix = await cliOutput((io) => runExport('stix', { db, incident: biggest.id }, io));
          bytes += stix.length;
        });
      }
      exportSeconds = await timeSeconds(async () => {
        for (const format of EXPORT_FORMATS)
          bytes += (await cliOutput((io) => runExport(format, { db }, io))).length;
      });
    });

    let pdfNote = 'no Chromium: PDF not measured';
    if (incidentHtml !== '' && existsSync('/usr/bin/chromium')) {
      const p0 = performance.now();
      const pdf = await htmlToPdf(incidentHtml);
      pdfNote = `incident PDF ${((performance.now() - p0) / 1000).toFixed(2)} s, ${(pdf.length / 1024).toFixed(0)} KiB`;
    }
    return benchResult({
      name,
      items: total,
      bytes,
      seconds,
      peakRssMb,
      notes:
        `store report (html+md+json) ${storeSeconds.toFixed(2)} s; incident #${biggest?.id ?? '-'} ` +
        `(${biggest?.findingIds.length ?? 0} findings) report ${incidentSeconds.toFixed(2)} s; ` +
        `4 exports of the store ${exportSeconds.toFixed(2)} s; ${incidents.length} incidents; ${pdfNote}`,
    });
  });
}
