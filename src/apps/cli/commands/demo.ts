import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import {
  DEFAULT_LIMITS,
  STEP_INFO,
  STEPS,
  walkResults,
  type ScanResult,
  type Step,
} from '../../../core/index.js';
import { buildIncidentView, correlate } from '../../../correlate/index.js';
import { renderCoverageTable } from '../../../correlate/coverage/index.js';
import { DEFAULT_POLICY } from '../../../pipeline/index.js';
import { buildReport, renderHtml, renderMarkdown } from '../../../report/index.js';
import { parseHostInput } from '../../../formats/host-snapshot/index.js';
import type { Store } from '../../../store/index.js';
import { analyzeInput, buildDemoCorpus, loadDemoIntel, type DemoFile } from '../../demo/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { resolveDbPath } from '../options.js';
import { colorsFor, oneLine } from '../output/terminal.js';
import { simulateCoverage, simulationScanEngines } from './coverage.js';
import { bundledSigmaRulesDir, loadSigmaRuleFiles } from './rules.js';
import { openStore } from './scan.js';
import { hostAddressesOf } from './triage.js';

interface DemoFlags {
  out?: string;
  db?: string;
}

export function registerDemo(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description(
      'generate an inert simulated Emotet incident on one host, analyse it in every layer, store and correlate it, and print the coverage matrix',
    )
    .option('--out <dir>', 'where to write the demo files and reports (default: a new temp folder)')
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .action(async (flags: DemoFlags) => setExit(await runDemo(flags, io)));
}

export async function runDemo(flags: DemoFlags, io: CliIO): Promise<number> {
  const colors = colorsFor(io.stdout, io.env);
  const dir = flags.out ?? (await mkdtemp(join(tmpdir(), 'emoguard-demo-')));
  const files = await buildDemoCorpus();
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.bytes);
  }
  await write(
    io.stdout,
    `${colors.bold('emoguard demo')}: a simulated Emotet incident, inert by construction, in ${dir}\n`,
  );
  for (const file of files) await write(io.stdout, `  ${file.path.padEnd(40)} ${file.what}\n`);

  const dbPath = resolveDbPath(flags.db, io.env);
  const store = await openStore(dbPath);
  try {
    const { scanId, results } = await analyzeCorpus(store, files, dir, io);
    await write(io.stdout, `\n${renderSteps(results, dir)}`);
    for (const r of results) {
      await write(io.stdout, `  ${r.verdict.padEnd(11)} ${relative(dir, r.path)}\n`);
    }
    await write(io.stdout, `\n${await correlateDemo(store)}`);
    const model = await buildReport(store, { scanId });
    await writeFile(join(dir, 'report.html'), renderHtml(model));
    await writeFile(join(dir, 'report.md'), renderMarkdown(model));
    await write(
      io.stdout,
      `\nStored as scan #${scanId} in ${dbPath}.\nReports: ${join(dir, 'report.html')} and report.md` +
        `\nNext: emoguard incidents   emoguard report --format html --out report.html   emoguard coverage --navigator layer.json\n`,
    );
  } finally {
    await store.close();
  }
  const { run } = await simulateCoverage(io);
  await write(io.stdout, `\n${renderCoverageTable(run.matrix, 'en')}`);
  return EXIT_OK;
}

/**
 * Each file through its layer, as `scan`, `hunt --intel` and `triage` would: mails and documents and the
 * memory image scanned, the telemetry and network logs hunted (bundled Sigma rules, chain detector, the
 * demo's intel), the snapshot triaged. Host evidence is stored under the host it came from.
 */
async function analyzeCorpus(store: Store, files: readonly DemoFile[], dir: string, io: CliIO) {
  const scanId = await store.beginScan({ command: 'demo', args: [dir] });
  const options = {
    sigma: loadSigmaRuleFiles([bundledSigmaRulesDir()]),
    engines: simulationScanEngines(io),
    limits: DEFAULT_LIMITS,
    policy: DEFAULT_POLICY,
    intel: await loadDemoIntel(),
  };
  const results: ScanResult[] = [];
  for (const file of files) {
    if (file.kind === 'intel') continue;
    const input = { kind: file.kind, path: join(dir, file.path), bytes: file.bytes };
    const { result } = await analyzeInput(input, options);
    await store.saveResults(scanId, [result], file.host ? { host: file.host } : {});
    if (file.kind === 'snapshot') await storeSnapshotAddresses(store, file.bytes);
    results.push(result);
  }
  const count = (v: string) => results.filter((r) => r.verdict === v).length;
  await store.finishScan(scanId, {
    inputs: results.length,
    malicious: count('malicious'),
    suspicious: count('suspicious'),
    clean: count('clean'),
    errors: 0,
  });
  return { scanId, results };
}

/** As `triage` does: the snapshot's addresses become the host's, so network findings on them join its incident. */
async function storeSnapshotAddresses(store: Store, bytes: Uint8Array): Promise<void> {
  const { snapshots } = await parseHostInput(bytes);
  for (const s of snapshots) {
    const rows = hostAddressesOf({ ...s, addresses: s.network.addresses }, new Date());
    if (rows.length > 0) await store.addHostAddresses(rows);
  }
}

/** Correlates the store and prints one line per incident: subject, severity, steps and the layers that saw them. */
async function correlateDemo(store: Store): Promise<string> {
  const summary = await correlate(store);
  const ids = [...new Set([...summary.created, ...summary.updated])].sort((a, b) => a - b);
  const lines = [`Correlated: ${ids.length} incident(s), ${summary.linked} finding(s) linked`];
  for (const id of ids) {
    const view = await buildIncidentView(store, id);
    const seen = view.progression.filter((p) => p.observed);
    const steps = seen.map((p) => STEP_INFO[p.step].mark).join('');
    const layers = [...new Set(seen.flatMap((p) => p.layers))].join(', ');
    const { incident } = view;
    lines.push(
      `  incident #${incident.id} ${incident.kind} ${oneLine(incident.subject ?? '-', 40)}: ${incident.severity}, ` +
        `steps ${steps || '-'} seen by ${layers || '-'} (${incident.findingIds.length} findings)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Per kill-chain step: which findings evidence it, and in which file of the demo. */
function renderSteps(results: readonly ScanResult[], dir: string): string {
  const byStep = new Map<Step, Map<string, Set<string>>>();
  for (const result of results) {
    for (const [node] of walkResults(result)) {
      for (const f of node.findings) {
        const ids = byStep.get(f.step) ?? new Map<string, Set<string>>();
        const where = ids.get(f.id) ?? new Set<string>();
        where.add(relative(dir, node.path));
        ids.set(f.id, where);
        byStep.set(f.step, ids);
      }
    }
  }
  const lines = ['What emoguard found, step by step:'];
  for (const step of STEPS) {
    const info = STEP_INFO[step];
    const ids = byStep.get(step);
    lines.push(`${info.mark} ${info.en}`);
    if (!ids) {
      lines.push('    (nothing in this demo for this step)');
      continue;
    }
    for (const [id, where] of ids)
      lines.push(`    ${oneLine(id, 44).padEnd(44)} ${oneLine([...where].join(', '), 80)}`);
  }
  return `${lines.join('\n')}\n\nVerdicts:\n`;
}
