import { createHash } from 'node:crypto';
import { createReadStream, existsSync, openSync, readSync, closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import {
  severityRank,
  STEP_INFO,
  type Detection,
  type HuntEngine,
  type LogEvent,
} from '../../../core/index.js';
import { correlate } from '../../../correlate/index.js';
import { createChainEngine } from '../../../engines/chain/index.js';
import { createIocHuntEngine, loadIocSet, type IocInput } from '../../../engines/ioc/index.js';
import { createSigmaEngine } from '../../../engines/sigma/index.js';
import { IntelParser } from '../../../formats/intel/index.js';
import { detectNetlogFormat, readNetlog } from '../../../formats/netlog/index.js';
import { huntResult, newHuntStats, runHunt } from '../../../pipeline/index.js';
import { walkInputs } from '../../scan-runner/index.js';
import { EXIT_ERROR, EXIT_MALICIOUS, EXIT_OK, write, type CliIO } from '../io.js';
import { collect, resolveDbPath } from '../options.js';
import { oneLine, safeText } from '../output/terminal.js';
import { loadWinlogMappings, readLogEvents } from './evtx.js';
import { bundledSigmaRulesDir, loadSigmaRuleFiles } from './rules.js';
import { openStore } from './scan.js';

interface HuntFlags {
  rules?: string[];
  intel?: string[];
  json?: boolean;
  db?: string;
  store: boolean;
}

export function registerHunt(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('hunt')
    .description(
      'hunt logs: Windows (EVTX, JSON/XML) with Sigma and the Emotet chain detector; network (Zeek, Suricata, Squid) with threat intel',
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
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .option('--no-store', 'do not write detections to the store')
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
  const set = loadSigmaRuleFiles(flags.rules?.length ? flags.rules : [bundledSigmaRulesDir()]);
  for (const error of set.errors.slice(0, 20))
    await write(io.stderr, `emoguard: ${error.render()}\n`);
  if (set.errors.length > 20)
    await write(io.stderr, `emoguard: … and ${set.errors.length - 20} more rule errors\n`);
  if (set.rules.length === 0 && set.correlations.length === 0) {
    await write(io.stderr, 'emoguard: no usable rules\n');
    return EXIT_ERROR;
  }
  const iocs = await loadIntel(flags, io);
  const engines: HuntEngine[] = [
    createSigmaEngine(set),
    createChainEngine(),
    createIocHuntEngine({ iocs }),
  ];
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
  const stats = newHuntStats();
  const byFile = new Map<string, Detection[]>(files.map((f) => [f, []]));
  let worst = -1;
  const events = async function* (): AsyncGenerator<LogEvent> {
    for (const path of files) {
      try {
        if (isNetworkLog(path)) {
          yield* readNetlog(createReadStream(path) as AsyncIterable<Uint8Array>, { path });
          continue;
        }
        for (const item of readLogEvents(path, mappings)) {
          if (item.type === 'event') yield item.event;
        }
      } catch (error) {
        errors++;
        await write(io.stderr, `emoguard: ${safeText(path)}: ${(error as Error).message}\n`);
      }
    }
  };
  for await (const d of runHunt(events(), engines, stats)) {
    byFile.get(d.source.path)?.push(d);
    worst = Math.max(worst, severityRank(d.rule.level));
    await write(io.stdout, flags.json ? `${JSON.stringify(d)}\n` : `${humanLine(d)}\n`);
  }
  for (const e of stats.firstErrors) await write(io.stderr, `emoguard: engine error: ${e}\n`);
  if (flags.store) await store(flags, io, byFile);
  if (!flags.json) {
    await write(
      io.stdout,
      `\nHunted ${files.length} file(s), ${stats.events} event(s) with ${set.rules.length} rule(s): ${stats.detections} detection(s)\n`,
    );
  }
  if (worst >= severityRank('high')) return EXIT_MALICIOUS;
  return errors > 0 ? EXIT_ERROR : EXIT_OK;
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

async function store(flags: HuntFlags, io: CliIO, byFile: Map<string, Detection[]>): Promise<void> {
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
      const type = path.toLowerCase().endsWith('.evtx') ? 'evtx' : 'jsonl';
      counts.inputs++;
      counts[huntResult({ path, sha256, size, type }, detections).verdict]++;
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
        await db.saveResults(scanId, [result], host ? { host } : {});
      }
    }
    await db.finishScan(scanId, counts);
    await correlate(db);
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
