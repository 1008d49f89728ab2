import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import {
  resolveLimits,
  STEP_INFO,
  STEPS,
  walkResults,
  type ScanResult,
  type Step,
} from '../../../core/index.js';
import { buildReport, renderHtml, renderMarkdown } from '../../../report/index.js';
import { buildDemoCorpus } from '../../demo/index.js';
import { scanPaths } from '../../scan-runner/index.js';
import { EXIT_ERROR, EXIT_OK, write, type CliIO } from '../io.js';
import { resolveDbPath } from '../options.js';
import { colorsFor, oneLine } from '../output/terminal.js';
import { openStore } from './scan.js';

interface DemoFlags {
  out?: string;
  db?: string;
}

export function registerDemo(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description(
      'generate an inert simulated Emotet incident, scan and store it, and show each step found',
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
  for (const file of files) await write(io.stdout, `  ${file.path.padEnd(36)} ${file.what}\n`);

  const dbPath = resolveDbPath(flags.db, io.env);
  const store = await openStore(dbPath);
  const results: ScanResult[] = [];
  try {
    const scanId = await store.beginScan({ command: 'demo', args: [dir] });
    for await (const item of scanPaths([dir], { limits: resolveLimits() })) {
      if ('error' in item) {
        await write(io.stderr, `emoguard: ${item.path}: ${item.error.message}\n`);
        return EXIT_ERROR;
      }
      results.push(item.result);
    }
    await store.saveResults(scanId, results);
    const count = (v: string) => results.filter((r) => r.verdict === v).length;
    await store.finishScan(scanId, {
      inputs: results.length,
      malicious: count('malicious'),
      suspicious: count('suspicious'),
      clean: count('clean'),
      errors: 0,
    });
    await write(io.stdout, `\n${renderSteps(results, dir)}`);
    for (const r of results) {
      await write(io.stdout, `  ${r.verdict.padEnd(11)} ${relative(dir, r.path)}\n`);
    }
    const model = await buildReport(store, { scanId });
    await writeFile(join(dir, 'report.html'), renderHtml(model));
    await writeFile(join(dir, 'report.md'), renderMarkdown(model));
    await write(
      io.stdout,
      `\nStored as scan #${scanId} in ${dbPath}.\nReports: ${join(dir, 'report.html')} and report.md` +
        `\nNext: emoguard report --format html --out report.html   (or: emoguard scan --json ${join(dir, 'mail')})\n`,
    );
  } finally {
    await store.close();
  }
  return EXIT_OK;
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
      lines.push('    (nothing in this demo yet: the layer for this step adds its evidence here)');
      continue;
    }
    for (const [id, where] of ids)
      lines.push(`    ${id.padEnd(34)} ${oneLine([...where].join(', '), 90)}`);
  }
  return `${lines.join('\n')}\n\nVerdicts:\n`;
}
