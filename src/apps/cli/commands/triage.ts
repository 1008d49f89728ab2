import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { availableParallelism, hostname } from 'node:os';
import { correlateAfterStore } from '../correlate-after.js';
import type { Command } from 'commander';
import {
  clipText,
  concatBytes,
  describeError,
  emptyExtracted,
  verdictOf,
  type Finding,
  type Limits,
  type ScanResult,
} from '../../../core/index.js';
import {
  emocheckReportName,
  emocheckScanTime,
  findingsForAnomalies,
  renderEmoCheckJson,
  renderEmoCheckText,
  type TriageReport,
} from '../../../engines/triage/index.js';
import { walkInputs } from '../../scan-runner/index.js';
import {
  triageBytes,
  triageFile,
  TriagePool,
  type TriageOutcome,
  type TriageTaskLimits,
} from '../../triage-runner/index.js';
import type { HostAddressInput, Store } from '../../../store/index.js';
import { EXIT_ERROR, EXIT_MALICIOUS, EXIT_OK, write, type CliIO } from '../io.js';
import { collect, parseLimitFlags, parsePositiveInt, resolveDbPath } from '../options.js';
import { renderHumanResult } from '../output/human.js';
import { colorsFor, safeText, type Colors } from '../output/terminal.js';
import { openStore } from './scan.js';

export interface TriageFlags {
  json?: boolean;
  db?: string;
  store: boolean;
  emocheckReport?: string;
  limit?: string[];
  workers?: number;
}

const LINE_DELIMITER = '_'.repeat(52);

export function registerTriage(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('triage')
    .description(
      'EmoCheck-style Emotet triage of host snapshots (collect.ps1 JSON, Velociraptor JSONL results or collection ZIPs)',
    )
    .argument('<snapshots...>', 'snapshot files or directories of them; - reads standard input')
    .option(
      '--json',
      'print one JSON object per host snapshot, one per line (scan --json plus "triage")',
    )
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .option('--no-store', 'do not write results to the store')
    .option(
      '--emocheck-report <dir>',
      "also write EmoCheck's report files <COMPUTERNAME>_<yyyymmddhhmmss>_emocheck.txt and .json into DIR",
    )
    .option(
      '--limit <name=value>',
      'override a limit, e.g. maxFileSize=104857600 (repeatable)',
      collect,
    )
    .option(
      '--workers <n>',
      'worker threads that read and triage snapshots (default: all cores; 1 = in this thread)',
      parsePositiveInt,
    )
    .addHelpText(
      'after',
      '\nExit status: 0 Emotet not detected, 1 Emotet detected on some host, 2 an error.\n' +
        'Collect snapshots with collectors/windows/collect.ps1 or the Velociraptor artifact\n' +
        'Custom.Emoguard.HostSnapshot (collectors/velociraptor/).',
    )
    .action(async (paths: string[], flags: TriageFlags) =>
      setExit(await runTriage(paths, flags, io)),
    );
}

interface Tally {
  inputs: number;
  hosts: number;
  infected: number;
  malicious: number;
  suspicious: number;
  clean: number;
  errors: number;
}

/** Runs `emoguard triage`; `now` dates EmoCheck reports of snapshots without a collection time. */
export async function runTriage(
  paths: string[],
  flags: TriageFlags,
  io: CliIO,
  now: Date = new Date(),
): Promise<number> {
  const limits = parseLimitFlags(flags.limit ?? []);
  const colors = colorsFor(io.stdout, io.env);
  if (flags.emocheckReport !== undefined) await mkdir(flags.emocheckReport, { recursive: true });
  const store = flags.store ? await openStore(resolveDbPath(flags.db, io.env)) : undefined;
  const scanId = store
    ? await store.beginScan({ command: 'triage', args: paths, host: hostname() })
    : undefined;
  const tally: Tally = {
    inputs: 0,
    hosts: 0,
    infected: 0,
    malicious: 0,
    suspicious: 0,
    clean: 0,
    errors: 0,
  };
  const written = new Set<string>();
  const run: RunContext = { flags, io, colors, limits, now, store, scanId, tally, written };
  const task: TriageTaskLimits = {
    maxFileSize: limits.maxFileSize,
    maxEvidenceChars: limits.maxEvidenceChars,
    maxTimePerInputMs: limits.maxTimePerInputMs,
  };
  const workers = flags.workers ?? availableParallelism();
  let pool: TriagePool | undefined;
  let files = 0;
  // Outcomes are awaited in input order, so output, store rows and exit status are those of one thread.
  const window: { path: string; outcome: Promise<TriageOutcome> }[] = [];
  const drain = async (keep: number) => {
    while (window.length > keep) {
      const next = window.shift()!;
      await report(next.path, await next.outcome, run);
    }
  };
  try {
    for await (const entry of walkInputs(paths)) {
      tally.inputs++;
      let outcome: Promise<TriageOutcome>;
      if (entry.kind === 'error') {
        outcome = Promise.resolve({ ok: false, message: `${entry.message} (${entry.code})` });
      } else if (entry.kind === 'stdin') {
        outcome = readStdin(limits.maxFileSize).then(
          (read) => triageBytes(read, task),
          (error: unknown) => ({ ok: false, message: describeError(error) }) as const,
        );
      } else {
        // One snapshot is triaged here; from the second on, worker threads start (~0.1 s each).
        if (++files === 2 && workers > 1) pool = new TriagePool(workers, task);
        outcome = pool ? pool.triage(entry.path) : triageFile(entry.path, task);
      }
      window.push({ path: entry.path, outcome });
      await drain(pool ? pool.size * WINDOW_PER_WORKER : 0);
    }
    await drain(0);
    if (store && scanId !== undefined) {
      const { malicious, suspicious, clean, errors } = tally;
      await store.finishScan(scanId, { inputs: tally.hosts, malicious, suspicious, clean, errors });
      await correlateAfterStore(store, io);
    }
  } finally {
    await pool?.close();
    await store?.close();
  }
  if (!flags.json) {
    const stored = store ? `; stored as scan #${scanId} in ${resolveDbPath(flags.db, io.env)}` : '';
    await write(
      io.stdout,
      `\nTriaged ${tally.hosts} host snapshot(s) from ${tally.inputs} input(s): ${tally.infected} with Emotet, ` +
        `${tally.suspicious} suspicious, ${tally.clean} clean, ${tally.errors} error(s)${stored}\n`,
    );
  }
  return tally.infected > 0 || tally.malicious > 0
    ? EXIT_MALICIOUS
    : tally.errors > 0
      ? EXIT_ERROR
      : EXIT_OK;
}

interface RunContext {
  flags: TriageFlags;
  io: CliIO;
  colors: Colors;
  limits: Limits;
  now: Date;
  store: Store | undefined;
  scanId: number | undefined;
  tally: Tally;
  written: Set<string>;
}

/** Snapshots in flight per worker: enough to keep workers busy while this thread prints and stores. */
const WINDOW_PER_WORKER = 4;

/** Prints, stores and counts one input's outcome (in input order). */
async function report(path: string, outcome: TriageOutcome, run: RunContext): Promise<void> {
  if (!outcome.ok) {
    await fail(run.io, path, outcome.message, run.tally);
    return;
  }
  const { input } = outcome;
  if (!input.isHostData) {
    await fail(
      run.io,
      path,
      'not a host snapshot, Velociraptor results file or collection (E_TRIAGE_NOT_SNAPSHOT)',
      run.tally,
    );
    return;
  }
  if (input.reports.length === 0) {
    const why = input.anomalies[0]?.message ?? 'empty input';
    await fail(run.io, path, `no host snapshot could be read: ${why}`, run.tally);
    return;
  }
  const inputFindings = findingsForAnomalies(input.anomalies, basename(path));
  if (outcome.size > outcome.read) {
    inputFindings.push(
      ...findingsForAnomalies(
        [
          {
            code: 'E_LIMIT_FILE_SIZE',
            message: `only the first ${outcome.read} of ${outcome.size} bytes were read`,
          },
        ],
        basename(path),
      ),
    );
  }
  const isMany = input.reports.length > 1;
  for (const [i, host] of input.reports.entries()) {
    const label = isMany ? `${path}!${host.hostname || `#${i + 1}`}` : path;
    const findings = [...(i === 0 ? inputFindings : []), ...host.findings];
    const result = toScanResult(
      label,
      outcome.sha256,
      outcome.size,
      findings,
      host,
      run.limits,
      outcome.elapsedMs,
    );
    await emit(run, label, result, host);
  }
}

async function emit(
  run: RunContext,
  label: string,
  result: ScanResult,
  report: TriageReport,
): Promise<void> {
  const { io, flags, tally } = run;
  tally.hosts++;
  tally[result.verdict]++;
  if (report.isInfected) tally.infected++;
  if (flags.json) {
    await write(io.stdout, `${JSON.stringify({ ...result, triage: triageJson(report) })}\n`);
  } else {
    await write(io.stdout, renderTriageHuman(label, result, report, run.colors));
  }
  if (flags.emocheckReport !== undefined)
    await writeEmoCheckReports(run, report, flags.emocheckReport);
  if (run.store && run.scanId !== undefined) {
    await run.store.saveResults(
      run.scanId,
      [result],
      report.hostname ? { host: report.hostname } : {},
    );
    const addresses = hostAddressesOf(report, run.now);
    if (addresses.length > 0) await run.store.addHostAddresses(addresses);
  }
}

/** Link-local, loopback and unspecified addresses name no host on the network. */
const NOT_A_HOST_ADDRESS = /^(?:127\.|0\.0\.0\.0$|169\.254\.|::1?$|fe80:)/;

/**
 * The snapshot's addresses as (host, address, time) observations: proxy, Zeek and Suricata findings
 * name the client by address, and correlation maps it to the host that held it at the finding's time.
 */
export function hostAddressesOf(
  report: Pick<TriageReport, 'hostname' | 'collectedAt'> & { addresses: readonly { ip: string }[] },
  now: Date,
): HostAddressInput[] {
  if (report.hostname.trim() === '') return [];
  const collected = report.collectedAt ? new Date(report.collectedAt) : now;
  const seenAt = Number.isNaN(collected.getTime()) ? now : collected;
  return report.addresses
    .filter((a) => !NOT_A_HOST_ADDRESS.test(a.ip))
    .map((a) => ({ host: report.hostname, address: a.ip, seenAt, source: 'triage' }));
}

function toScanResult(
  path: string,
  sha256: string,
  size: number,
  findings: Finding[],
  report: TriageReport,
  limits: Limits,
  elapsedMs: number,
): ScanResult {
  const kept = findings.slice(0, limits.maxFindingsPerArtifact);
  const extracted = emptyExtracted();
  extracted.powershell = report.powershell;
  extracted.iocs.files = report.files;
  return {
    path,
    sha256,
    size,
    type: 'host-snapshot',
    verdict: verdictOf(kept),
    // The snapshot's collection time is when these findings were true of the host (timelines).
    findings: report.collectedAt
      ? kept.map((f) => ({ ...f, observedAt: report.collectedAt! }))
      : kept,
    extracted,
    children: [],
    elapsedMs,
  };
}

/** The `triage` member of `triage --json`: the host, EmoCheck's answer and what could not be checked. */
function triageJson(report: TriageReport): Record<string, unknown> {
  return {
    hostname: report.hostname,
    volumeSerial: report.volumeSerial,
    collectedAt: report.collectedAt,
    isInfected: report.isInfected,
    emotetProcesses: report.detections,
    skipped: report.skipped,
    addresses: report.addresses,
  };
}

/** EmoCheck's console report, then the findings table of `scan`. */
export function renderTriageHuman(
  label: string,
  result: ScanResult,
  report: TriageReport,
  colors: Colors,
): string {
  const host = safeText(report.hostname || '(unnamed host)');
  const about = colors.dim(
    `  ${safeText(label)}` +
      (report.collectedAt ? `, collected ${safeText(report.collectedAt)}` : '') +
      (report.volumeSerial ? `, volume serial ${report.volumeSerial}` : '') +
      (report.addresses.length > 0
        ? `, addresses ${report.addresses
            .slice(0, 4)
            .map((a) => a.ip)
            .join(' ')}`
        : ''),
  );
  const lines: string[] = [];
  if (report.isInfected) {
    lines.push(`${colors.red(colors.bold('[!!] Emotet was detected'))} on ${host}${about}`);
    for (const [i, d] of report.detections.entries()) {
      if (i > 0) lines.push('');
      lines.push(
        `     Process Name: ${safeText(d.processName)}`,
        `     PID         : ${d.pid}`,
        `     Image Path  : ${safeText(d.imagePath)}`,
        ...(d.registryKey ? [`     Registry Key: ${safeText(d.registryKey)}`] : []),
        ...(d.service ? [`     Service     : ${safeText(d.service)}`] : []),
        `     Method      : ${safeText(clipText(d.note, 200))}`,
      );
    }
    lines.push(LINE_DELIMITER, 'Please remove or isolate the suspicious execution file.');
  } else {
    lines.push(`${colors.green('Emotet was not detected')} on ${host}${about}`);
  }
  const table = result.findings.length > 0 ? renderHumanResult(result, colors) : '';
  return `${lines.join('\n')}\n${table}\n`;
}

async function writeEmoCheckReports(
  run: RunContext,
  report: TriageReport,
  dir: string,
): Promise<void> {
  const clock = emocheckScanTime(report, run.now);
  let host = report.hostname;
  for (let n = 2; run.written.has(emocheckReportName(host, clock, 'txt')); n++)
    host = `${report.hostname}-${n}`;
  const options = { scanTime: clock };
  const named = { ...report, hostname: host };
  const txt = emocheckReportName(host, clock, 'txt');
  run.written.add(txt);
  await writeFile(join(dir, txt), renderEmoCheckText(named, options));
  await writeFile(
    join(dir, emocheckReportName(host, clock, 'json')),
    renderEmoCheckJson(named, options),
  );
}

async function fail(io: CliIO, path: string, message: string, tally: Tally): Promise<void> {
  tally.errors++;
  await write(io.stderr, `emoguard: ${safeText(path)}: ${safeText(message)}\n`);
}

/** Standard input up to `maxBytes`; the rest is drained and counted. */
async function readStdin(maxBytes: number): Promise<{ bytes: Uint8Array; size: number }> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (kept >= maxBytes) continue;
    const part = chunk.subarray(0, maxBytes - kept);
    chunks.push(part);
    kept += part.length;
  }
  return { bytes: concatBytes(chunks), size };
}
