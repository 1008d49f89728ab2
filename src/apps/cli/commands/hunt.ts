import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import type { Command } from 'commander';
import {
  severityRank,
  STEP_INFO,
  type Anomaly,
  type Detection,
  type HuntEngine,
  type LogEvent,
} from '../../../core/index.js';
import { correlateAfterStore } from '../correlate-after.js';
import { createChainEngine } from '../../../engines/chain/index.js';
import { createIocHuntEngine, loadIocSet, type IocInput } from '../../../engines/ioc/index.js';
import {
  createSigmaEngine,
  DEFAULT_SIGMA_LIMITS,
  packSigmaRules,
  type LoadedRuleSet,
} from '../../../engines/sigma/index.js';
import { IntelParser } from '../../../formats/intel/index.js';
import { detectNetlogFormat, readNetlog } from '../../../formats/netlog/index.js';
import {
  huntResult,
  newHuntStats,
  ProcessTreeIndex,
  renderProcessTree,
  runHunt,
  type ProcessTree,
  type ProcessTreeNode,
} from '../../../pipeline/index.js';
import type { WinlogMappings } from '../../../formats/winlog-json/index.js';
import {
  createRelayedSigmaEngine,
  HuntPool,
  huntTasks,
  loadRulesCached,
  sigmaCacheDir,
  poolKind,
  workerRuleSet,
  type HuntRules,
  type HuntTask,
} from '../../hunt-runner/index.js';
import { walkInputs } from '../../scan-runner/index.js';
import {
  attachCaptureChildren,
  captureObjectLines,
  isCaptureFile,
  readCaptureEvents,
  scanCaptureObjects,
  worstChildRank,
  withCaptureVerdict,
  type CaptureObjects,
  type CaptureSummary,
} from '../../tshark/index.js';
import { EXIT_ERROR, EXIT_MALICIOUS, EXIT_OK, write, type CliIO } from '../io.js';
import { collect, resolveDbPath } from '../options.js';
import { oneLine, safeText } from '../output/terminal.js';
import { loadWinlogMappings, readLogEvents } from './evtx.js';
import {
  bundledSigmaMappingPath,
  bundledSigmaRulesDir,
  loadSigmaRuleFiles,
  readRuleSources,
} from './rules.js';
import { HuntLeases } from './hunt-dhcp.js';
import { openStore } from './scan.js';

interface HuntFlags {
  rules?: string[];
  intel?: string[];
  json?: boolean;
  tree?: boolean;
  workers?: string;
  db?: string;
  store: boolean;
  ruleCache?: boolean;
}

export function registerHunt(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('hunt')
    .description(
      'hunt logs: Windows (EVTX, JSON/XML) with Sigma and the Emotet chain detector; network (Zeek, Suricata, Squid, pcap/pcapng through tshark) with threat intel',
    )
    .argument('<paths...>', 'log files or directories')
    .option(
      '--rules <path>',
      'Sigma rule file or directory (repeatable); replaces the bundled rules',
      collect,
    )
    .option(
      '--intel <feed>',
      "threat-intel feed file used on the fly (repeatable), besides the store's active intel",
      collect,
    )
    .option('--json', 'one JSON object per detection')
    .option(
      '--tree',
      'show the process tree (Sysmon 1 / Security 4688) around each high or critical detection',
    )
    .option(
      '--workers <n>',
      'worker threads parsing EVTX chunks and JSON Lines ranges and matching Sigma (default: all cores from 64 MiB of such logs, else 1; 1: none)',
    )
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .option('--no-store', 'do not write detections to the store')
    .option(
      '--no-rule-cache',
      'load the Sigma rules from their YAML instead of the compiled-rule cache ($EMOGUARD_SIGMA_CACHE=off|DIR, default $XDG_CACHE_HOME/emoguard/sigma or ~/.cache/emoguard/sigma)',
    )
    .addHelpText(
      'after',
      '\nExit status: 0 no high/critical detection, 1 high or critical detections, 2 an error.',
    )
    .action(async (paths: string[], flags: HuntFlags) =>
      setExit(await runHuntCommand(paths, flags, io)),
    );
}

export async function runHuntCommand(
  paths: string[],
  flags: HuntFlags,
  io: CliIO,
): Promise<number> {
  const asked = flags.workers === undefined ? undefined : Number(flags.workers);
  if (
    asked !== undefined &&
    (!Number.isSafeInteger(asked) || asked < 1 || asked > MAX_HUNT_WORKERS)
  ) {
    await write(io.stderr, `emoguard: --workers must be 1..${MAX_HUNT_WORKERS}\n`);
    return EXIT_ERROR;
  }
  const rulePaths = flags.rules?.length ? flags.rules : [bundledSigmaRulesDir()];
  const set = loadHuntRules(rulePaths, flags.ruleCache === false ? undefined : io.env);
  for (const error of set.errors.slice(0, 20))
    await write(io.stderr, `emoguard: ${error.render()}\n`);
  if (set.errors.length > 20)
    await write(io.stderr, `emoguard: … and ${set.errors.length - 20} more rule errors\n`);
  if (set.rules.length === 0 && set.correlations.length === 0) {
    await write(io.stderr, 'emoguard: no usable rules\n');
    return EXIT_ERROR;
  }
  const iocs = await loadIntel(flags, io);
  const mappings = loadWinlogMappings();
  const files: string[] = [];
  let errors = 0;
  for await (const entry of walkInputs(paths)) {
    if (entry.kind === 'file') files.push(entry.path);
    else {
      errors++;
      await write(
        io.stderr,
        `emoguard: ${safeText(entry.path)}: ${entry.kind === 'error' ? entry.message : 'standard input is not supported by hunt'}\n`,
      );
    }
  }
  // What worker threads could split (EVTX, JSON Lines), by each file's head; the rest is read here.
  const kinds = asked === 1 ? [] : files.map(splitKind);
  const workers =
    asked ?? (splitBytes(files, kinds) >= AUTO_PARALLEL_BYTES ? availableParallelism() : 1);
  // One worker is no parallelism: the main thread parses and matches alone, without thread overhead.
  const pool =
    workers > 1
      ? new HuntPool(workers, huntRules(set, mappings), set.correlations.length > 0)
      : undefined;
  const plans = pool ? files.map((path, i) => tasksOf(path, kinds[i])) : [];
  const feed = pool?.feed(plans);
  const relayed = new WeakMap<LogEvent, Detection[]>();
  const engines: HuntEngine[] = [
    pool ? createRelayedSigmaEngine(set, relayed) : createSigmaEngine(set),
    createChainEngine(),
    createIocHuntEngine({ iocs }),
  ];
  const stats = newHuntStats();
  const byFile = new Map<string, Detection[]>(files.map((f) => [f, []]));
  const captures = new Map<string, CaptureObjects>();
  const leases = new HuntLeases();
  let worst = -1;
  const trees = flags.tree ? new ProcessTreeIndex() : undefined;
  const tapped = async function* (): AsyncGenerator<LogEvent> {
    for await (const event of events()) {
      // Before the engines see it, so a detection on a process start finds that process.
      trees?.add(event);
      yield event;
    }
  };
  const warn = (path: string, a: Anomaly) =>
    write(
      io.stderr,
      `emoguard: warning: ${safeText(a.location ?? path)}: ${a.code}: ${a.message}\n`,
    );
  const events = async function* (): AsyncGenerator<LogEvent> {
    for (const [i, path] of files.entries()) {
      try {
        if (isCaptureFile(path)) {
          const tshark = io.env.EMOGUARD_TSHARK ? { binary: io.env.EMOGUARD_TSHARK } : {};
          const summary: CaptureSummary = { packets: 0, events: 0, anomalies: [], anomalyCount: 0 };
          yield* readCaptureEvents(path, tshark, summary);
          // A capture cut at the timeout or the output cap is named, not fatal (its events stand).
          for (const a of summary.anomalies)
            if (a.code.startsWith('E_TSHARK_')) await warn(path, a);
          await write(
            io.stderr,
            `emoguard: note: ${safeText(path)}: tshark ran with ${(summary.protections ?? []).join(', ')}\n`,
          );
          captures.set(path, await scanCaptureObjects(path, {}, { ...tshark, iocs }));
          continue;
        }
        if (isNetworkLog(path)) {
          yield* leases.tap(
            readNetlog(createReadStream(path) as AsyncIterable<Uint8Array>, { path }),
          );
          continue;
        }
        if (feed && plans[i]) {
          for await (const item of feed.file(i)) {
            if (item.type === 'anomaly') {
              await warn(path, item.anomaly);
              continue;
            }
            relayed.set(item.event, item.detections);
            yield item.event;
          }
          continue;
        }
        for (const item of readLogEvents(path, mappings)) {
          if (item.type === 'event') yield item.event;
          // JSON and text logs: a bad line is named (file:line) and skipped, never fatal.
          else if (item.anomaly.code.startsWith('E_WINLOG_')) await warn(path, item.anomaly);
        }
      } catch (error) {
        errors++;
        await write(io.stderr, `emoguard: ${safeText(path)}: ${(error as Error).message}\n`);
      }
    }
  };
  try {
    await hunt();
  } finally {
    await pool?.close();
  }
  async function hunt(): Promise<void> {
    for await (const d of runHunt(tapped(), engines, stats)) {
      byFile.get(d.source.path)?.push(d);
      worst = Math.max(worst, severityRank(d.rule.level));
      const tree =
        trees && severityRank(d.rule.level) >= severityRank('high') ? trees.treeFor(d) : undefined;
      if (flags.json) {
        await write(io.stdout, `${JSON.stringify(tree ? { ...d, processTree: tree } : d)}\n`);
      } else {
        await write(io.stdout, `${humanLine(d)}\n`);
        if (tree) await write(io.stdout, `${treeText(tree)}\n`);
      }
    }
  }
  // Exported HTTP objects and SMTP mails of captures, scanned as the capture's children.
  for (const [path, found] of captures) {
    for (const line of captureObjectLines(found.children, flags.json === true)) {
      await write(io.stdout, `${line}\n`);
    }
    for (const note of found.notes)
      await write(io.stderr, `emoguard: ${safeText(path)}: ${note}\n`);
    worst = Math.max(worst, worstChildRank(found.children));
  }
  stats.events += pool?.skippedEvents ?? 0;
  for (const e of pool?.engineErrors ?? []) {
    stats.engineErrors++;
    if (stats.firstErrors.length < 20) stats.firstErrors.push(e);
  }
  for (const e of stats.firstErrors) await write(io.stderr, `emoguard: engine error: ${e}\n`);
  if (flags.store) await store(flags, io, byFile, captures, leases);
  if (!flags.json) {
    await write(
      io.stdout,
      `\nHunted ${files.length} file(s), ${stats.events} event(s) with ${set.rules.length} rule(s): ${stats.detections} detection(s)\n`,
    );
  }
  if (worst >= severityRank('high')) return EXIT_MALICIOUS;
  return errors > 0 ? EXIT_ERROR : EXIT_OK;
}

/**
 * The Sigma rules, from the compiled-rule cache when the rule files, the mapping and the pack format are
 * those it was built from (rule files are read either way: their bytes are the key).
 */
function loadHuntRules(
  paths: readonly string[],
  env: NodeJS.ProcessEnv | undefined,
): LoadedRuleSet {
  const dir = env ? sigmaCacheDir(env) : undefined;
  const load = () => loadSigmaRuleFiles(paths);
  if (dir === undefined) return load();
  let mappingText: string;
  try {
    mappingText = readFileSync(bundledSigmaMappingPath(), 'utf8');
  } catch {
    return load(); // reports the mapping error as the hunt always did
  }
  const { sources, errors } = readRuleSources(paths);
  const extra = { limits: DEFAULT_SIGMA_LIMITS, read: errors.map((e) => e.render()) };
  return loadRulesCached(dir, { mappingText, sources, extra }, load).set;
}

/** Worker threads a hunt may start. */
const MAX_HUNT_WORKERS = 256;
/**
 * Bytes of EVTX and JSON Lines from which a hunt uses all cores unless `--workers` says. Workers get
 * the rules packed by the main thread (no YAML parse, closures built on first use): with SigmaHQ's
 * 2,400 Windows rules, packing costs the main thread ~0.5 s and each worker ~0.2 s to start (it was
 * ~2.5 s of YAML and compiling), and sending events back ~20% more CPU per event. On 2 cores that is
 * paid back from about 20–30 MiB (0.04–0.06 CPU-s per MiB with SigmaHQ); 64 MiB keeps a margin
 * (bench/hunt-parallel.bench.ts).
 */
export const AUTO_PARALLEL_BYTES = 64 * 1024 * 1024;

type SplitKind = ReturnType<typeof poolKind>;

/** Whether worker threads can split the file; captures and network logs are read in the main thread. */
function splitKind(path: string): SplitKind {
  try {
    if (isCaptureFile(path) || isNetworkLog(path)) return undefined;
    return poolKind(path);
  } catch {
    return undefined; // unreadable: reported when the hunt reads it
  }
}

function splitBytes(files: readonly string[], kinds: readonly SplitKind[]): number {
  let total = 0;
  files.forEach((path, i) => {
    try {
      if (kinds[i]) total += statSync(path).size;
    } catch {
      // unreadable: reported when the hunt reads it
    }
  });
  return total;
}

function tasksOf(path: string, kind: SplitKind): HuntTask[] | undefined {
  try {
    return kind ? huntTasks(path, kind) : undefined;
  } catch {
    return undefined; // read (and its error reported) in the main thread
  }
}

/**
 * The worker rules, packed once here (loadSigmaRuleFiles already reported their errors), after the
 * threads were started: they load their code while this runs.
 */
function huntRules(set: LoadedRuleSet, mappings: WinlogMappings): Promise<HuntRules> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve({ pack: packSigmaRules(workerRuleSet(set)), mappings });
      } catch (error) {
        reject(error as Error);
      }
    }),
  );
}

/** Zeek, Suricata or Squid, by the first non-blank line (formats/netlog decides the dialect). */
function isNetworkLog(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(64 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    const first = new TextDecoder()
      .decode(head.subarray(0, n))
      .split(/\r?\n/)
      .find((l) => l.trim() !== '');
    return first !== undefined && detectNetlogFormat(first) !== undefined;
  } finally {
    closeSync(fd);
  }
}

/** Indicators from `--intel` feed files and, when the store exists, its active intel. */
async function loadIntel(flags: HuntFlags, io: CliIO) {
  const inputs: IocInput[] = [];
  for (const path of flags.intel ?? []) {
    const parser = new IntelParser({ name: path });
    inputs.push(...parser.push(new Uint8Array(await readFile(path))), ...parser.end());
  }
  const dbPath = resolveDbPath(flags.db, io.env);
  // --no-store only stops writing: the store's intel is still read when the store exists.
  if (!existsSync(dbPath)) return loadIocSet(inputs);
  const db = await openStore(dbPath);
  try {
    const all = async function* () {
      yield* inputs;
      yield* db.loadIntel();
    };
    return await loadIocSet(all());
  } finally {
    await db.close();
  }
}

function humanLine(d: Detection): string {
  const where =
    d.source.recordId !== undefined ? `#${d.source.recordId}` : `:${d.source.line ?? '?'}`;
  return [
    STEP_INFO[d.step].mark,
    d.rule.level.padEnd(8),
    oneLine(d.host ?? '-', 20).padEnd(20),
    (d.time ?? '').slice(0, 19).padEnd(19),
    oneLine(d.rule.title, 60).padEnd(60),
    oneLine(`${d.source.path}${where}`, 60),
  ].join(' ');
}

function treeText(tree: ProcessTree): string {
  const line = (n: ProcessTreeNode) =>
    [
      oneLine(n.image || '?', 120),
      n.pid !== undefined ? `[${n.pid}]` : '',
      n.user ? oneLine(n.user, 40) : '',
      n.commandLine ? oneLine(n.commandLine, 160) : '',
    ]
      .filter((s) => s !== '')
      .join('  ');
  return [
    `    process tree on ${oneLine(tree.host, 60)}${tree.truncated ? ' (cut)' : ''}:`,
    ...renderProcessTree(tree, line, '      '),
  ].join('\n');
}

async function store(
  flags: HuntFlags,
  io: CliIO,
  byFile: Map<string, Detection[]>,
  captures: ReadonlyMap<string, CaptureObjects> = new Map(),
  leases?: HuntLeases,
): Promise<void> {
  const db = await openStore(resolveDbPath(flags.db, io.env));
  try {
    const scanId = await db.beginScan({
      command: 'hunt',
      args: [...byFile.keys()],
      host: hostname(),
    });
    const counts = { inputs: 0, malicious: 0, suspicious: 0, clean: 0, errors: 0 };
    for (const [path, detections] of byFile) {
      const { sha256, size } = await hashFile(path);
      const capture = captures.get(path);
      const type = capture ? capture.type : path.toLowerCase().endsWith('.evtx') ? 'evtx' : 'jsonl';
      counts.inputs++;
      counts[
        withCaptureVerdict(huntResult({ path, sha256, size, type }, detections).verdict, capture)
      ]++;
      // One result per host in the log, so each finding is stored under the host it happened on.
      const byHost = new Map<string, Detection[]>();
      for (const d of detections) {
        const list = byHost.get(d.host ?? '') ?? [];
        list.push(d);
        byHost.set(d.host ?? '', list);
      }
      if (byHost.size === 0) byHost.set('', []);
      for (const [host, list] of byHost) {
        const result = huntResult({ path, sha256, size, type }, list);
        // The exported objects are stored once, under the capture's first result.
        if (capture && host === byHost.keys().next().value) {
          attachCaptureChildren(result, capture.children);
        }
        await db.saveResults(scanId, [result], host ? { host } : {});
      }
    }
    // DHCP leases first: correlation maps address-named findings to the hosts holding them then.
    await leases?.save(db);
    await db.finishScan(scanId, counts);
    await correlateAfterStore(db, io);
  } finally {
    await db.close();
  }
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
