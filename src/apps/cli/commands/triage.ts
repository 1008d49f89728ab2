import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { hostname } from 'node:os';
import { correlateAfterStore } from '../correlate-after.js';
import type { Command } from 'commander';
import {
  clipText,
  concatBytes,
  describeError,
  emptyExtracted,
  LimitError,
  sha256Hex,
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
  triageInput,
  type TriageReport,
} from '../../../engines/triage/index.js';
import { readInputFile, walkInputs } from '../../scan-runner/index.js';
import type { Store } from '../../../store/index.js';
import { EXIT_ERROR, EXIT_MALICIOUS, EXIT_OK, write, type CliIO } from '../io.js';
import { collect, parseLimitFlags, resolveDbPath } from '../options.js';
import { renderHumanResult } from '../output/human.js';
import { colorsFor, safeText, type Colors } from '../output/terminal.js';
import { openStore } from './scan.js';

export interface TriageFlags {
  json?: boolean;
  db?: string;
  store: boolean;
  emocheckReport?: string;
  limit?: string[];
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
  try {
    for await (const entry of walkInputs(paths)) {
      tally.inputs++;
      if (entry.kind === 'error') {
        await fail(io, entry.path, `${entry.message} (${entry.code})`, tally);
        continue;
      }
      try {
        const read =
          entry.kind === 'stdin'
            ? await readStdin(limits.maxFileSize)
            : await readInputFile(entry.path, limits.maxFileSize);
        await triageOne(entry.path, read, {
          flags,
          io,
          colors,
          limits,
          now,
          store,
          scanId,
          tally,
          written,
        });
      } catch (error) {
        await fail(io, entry.path, describeError(error), tally);
      }
    }
    if (store && scanId !== undefined) {
      const { malicious, suspicious, clean, errors } = tally;
      await store.finishScan(scanId, { inputs: tally.hosts, malicious, suspicious, clean, errors });
      await correlateAfterStore(store, io);
    }
  } finally {
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

async function triageOne(
  path: string,
  read: { bytes: Uint8Array; size: number },
  run: RunContext,
): Promise<void> {
  const { limits } = run;
  const started = Date.now();
  const deadline = started + limits.maxTimePerInputMs;
  const input = await triageInput(read.bytes, {
    maxEvidenceChars: limits.maxEvidenceChars,
    checkDeadline: () => {
      if (Date.now() > deadline) {
        throw new LimitError(
          'E_LIMIT_TIME',
          `triage took longer than ${limits.maxTimePerInputMs} ms`,
          {
            limit: 'maxTimePerInputMs',
            max: limits.maxTimePerInputMs,
          },
        );
      }
    },
  });
  if (!input.isHostData)
    throw new Error(
      'not a host snapshot, Velociraptor results file or collection (E_TRIAGE_NOT_SNAPSHOT)',
    );
  if (input.reports.length === 0) {
    throw new Error(
      `no host snapshot could be read: ${input.anomalies[0]?.message ?? 'empty input'}`,
    );
  }
  const sha256 = sha256Hex(read.bytes);
  const inputFindings = findingsForAnomalies(input.anomalies, basename(path));
  if (read.size > read.bytes.length) {
    inputFindings.push(
      ...findingsForAnomalies(
        [
          {
            code: 'E_LIMIT_FILE_SIZE',
            message: `only the first ${read.bytes.length} of ${read.size} bytes were read`,
          },
        ],
        basename(path),
      ),
    );
  }
  const isMany = input.reports.length > 1;
  for (const [i, report] of input.reports.entries()) {
    const label = isMany ? `${path}!${report.hostname || `#${i + 1}`}` : path;
    const findings = [...(i === 0 ? inputFindings : []), ...report.findings];
    const result = toScanResult(
      label,
      sha256,
      read.size,
      findings,
      report,
      limits,
      Date.now() - started,
    );
    await emit(run, label, result, report);
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
  }
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
      (report.volumeSerial ? `, volume serial ${report.volumeSerial}` : ''),
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
