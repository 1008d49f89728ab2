/**
 * `emoguard coverage`: runs the inert Emotet simulation (apps/demo) through every layer in process and
 * prints the measured coverage matrix like the advisory's vendor table (◎/○/△/×), or the full matrix as
 * JSON with the findings behind each cell; writes an ATT&CK Navigator layer (4.5) and the simulation's
 * findings as OCSF Detection Findings (JSON Lines) on request.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError, describeError, walkResults, type Engine } from '../../../core/index.js';
import { layerOf } from '../../../correlate/index.js';
import {
  renderCoverageTable,
  toCoverageNavigatorLayer,
  type CoverageLang,
} from '../../../correlate/coverage/index.js';
import { toOcsfFinding } from '../../../report/exports/index.js';
import { ENGINES } from '../../../pipeline/index.js';
import {
  DEMO_HOST,
  runSimulation,
  simulationEngines,
  type SimulationRun,
} from '../../demo/index.js';
import { prepareYara, yaraEngineFor } from '../../yara-backend/index.js';
import { EXIT_ERROR, EXIT_OK, write, type CliIO } from '../io.js';
import { bundledSigmaRulesDir, loadSigmaRuleFiles } from './rules.js';
import { emoguardVersion } from './version.js';

export interface CoverageFlags {
  json?: boolean;
  navigator?: string;
  ocsf?: string;
  lang?: string;
  yara?: boolean;
}

export function registerCoverage(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
): void {
  program
    .command('coverage')
    .description(
      'run the inert Emotet simulation through every layer and print the measured coverage matrix (sub-step × layer)',
    )
    .option('--json', 'print the full matrix as JSON, with the findings behind each cell')
    .option('--navigator <file>', 'also write an ATT&CK Navigator layer (format 4.5)')
    .option(
      '--ocsf <file>',
      "also write the simulation's findings as OCSF Detection Findings (JSON Lines)",
    )
    .option('--lang <lang>', 'ja or en (default: en)', 'en')
    .option('--no-yara', 'leave YARA out of the scan engines')
    .addHelpText(
      'after',
      '\nCategories (MITRE ATT&CK Evaluations): ◎ Technique, ○ Tactic, △ General / Telemetry, × None;\n' +
        '+B: the layer blocks the step. Nothing is written to the store; exit 0 unless an error.',
    )
    .action(async (flags: CoverageFlags) => setExit(await runCoverage(flags, io)));
}

/**
 * The simulation's scan engines: every registered engine plus YARA over the bundled rules when YARA-X
 * loads on this machine (`notes` gets the warning when it does not), with emotet-config accepting the
 * simulation's TEST-NET servers (see apps/demo simulationEngines).
 */
export function simulationScanEngines(io: CliIO, notes: string[] = [], isYara = true): Engine[] {
  let base: readonly Engine[] = ENGINES;
  if (isYara) {
    const yara = prepareYara([], io.env);
    notes.push(...yara.messages);
    if (yara.isActive) base = [...ENGINES, yaraEngineFor([], { env: io.env })];
  }
  return simulationEngines(base);
}

/** Runs the simulation with the bundled Sigma rules and, when YARA-X loads here, the bundled YARA rules. */
export async function simulateCoverage(
  io: CliIO,
  options: { yara?: boolean } = {},
): Promise<{ run: SimulationRun; notes: string[] }> {
  const sigma = loadSigmaRuleFiles([bundledSigmaRulesDir()]);
  const notes = sigma.errors.map((e) => e.render());
  const engines = simulationScanEngines(io, notes, options.yara !== false);
  const run = await runSimulation({ sigma, engines });
  return { run, notes };
}

export async function runCoverage(flags: CoverageFlags, io: CliIO): Promise<number> {
  const lang = flags.lang ?? 'en';
  if (lang !== 'en' && lang !== 'ja') {
    throw new ConfigError('E_CONFIG_LANG', `--lang wants ja or en, got "${lang}"`);
  }
  let simulated;
  try {
    simulated = await simulateCoverage(io, { yara: flags.yara !== false });
  } catch (error) {
    await write(io.stderr, `emoguard: coverage: ${describeError(error)}\n`);
    return EXIT_ERROR;
  }
  const { run, notes } = simulated;
  for (const note of notes) await write(io.stderr, `emoguard: ${note}\n`);
  if (flags.navigator !== undefined) {
    const layer = toCoverageNavigatorLayer(run.matrix, 'emoguard coverage (Emotet simulation)');
    await writeFile(flags.navigator, `${JSON.stringify(layer, null, 2)}\n`);
  }
  if (flags.ocsf !== undefined) await writeFile(flags.ocsf, ocsfLines(run));
  await write(
    io.stdout,
    flags.json
      ? `${JSON.stringify(run.matrix)}\n`
      : renderCoverageTable(run.matrix, lang as CoverageLang),
  );
  return EXIT_OK;
}

/**
 * Every finding of the run as one OCSF Detection Finding per line, through the report's exporter
 * (report/exports) so that `coverage --ocsf` and `report export` write the same shape. Host evidence
 * (logs, snapshots, memory) is attributed to the demo host; row ids count from 1 in run order.
 */
export function ocsfLines(run: SimulationRun, now = new Date()): string {
  const options = { productVersion: emoguardVersion() };
  const lines: string[] = [];
  let id = 0;
  for (const { input, result } of run.outcomes) {
    const host = HOST_KINDS.has(input.kind) ? DEMO_HOST.name : null;
    for (const [node] of walkResults(result)) {
      for (const f of node.findings) {
        const finding = {
          id: ++id,
          ruleId: f.id,
          title: f.title,
          severity: f.severity,
          step: f.step,
          attack: f.attack,
          evidence: f.evidence,
          host,
          artifactPath: node.path,
          artifactSha256: node.sha256,
          scanId: 0,
          time: now.toISOString(),
          isEventTime: false,
          layer: layerOf(f.id),
        };
        lines.push(JSON.stringify(toOcsfFinding(finding, options, { incidentId: null })));
      }
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const HOST_KINDS = new Set(['windows-log', 'network-log', 'memory', 'snapshot']);
