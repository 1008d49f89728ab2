import { mkdir, open } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import {
  ConfigError,
  describeError,
  sha256Hex,
  type FileType,
  type Limits,
} from '../../../core/index.js';
import type { Disarmer } from '../../../engines/disarm/index.js';
import { disarmInput, type DisarmReport } from '../../../pipeline/index.js';
import { readInputFile, walkInputs } from '../../scan-runner/index.js';
import { EXIT_ERROR, EXIT_MALICIOUS, EXIT_OK, write, type CliIO } from '../io.js';
import { collect, parseLimitFlags } from '../options.js';
import { oneLine, safeText } from '../output/terminal.js';

export interface DisarmFlags {
  out: string;
  json?: boolean;
  limit?: string[];
}

/** Seams for tests and benchmarks: stand-in format disarmers. */
export interface DisarmDeps {
  disarmers?: Readonly<Partial<Record<FileType, Disarmer>>>;
}

/** Names tried for one output before giving up (`a.disarmed.docx`, `a.disarmed-2.docx` …). */
const MAX_NAME_TRIES = 100;
const REMOVALS_SHOWN = 4;

export function registerDisarm(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('disarm')
    .description(
      'write a disarmed copy of Office documents (macros, ActiveX, OLE objects, external links, DDE removed)',
    )
    .argument('<paths...>', 'documents or directories (walked recursively)')
    .requiredOption(
      '--out <dir>',
      'folder for the copies: <name>.disarmed.<ext>; inputs are never overwritten',
    )
    .option('--json', 'one JSON object per input, one per line')
    .option(
      '--limit <name=value>',
      'override a limit, e.g. maxFileSize=10485760 (repeatable)',
      collect,
    )
    .addHelpText(
      'after',
      '\nEvery copy is scanned again and written only when it comes out clean. PDF and other\n' +
        'types are refused (unsupported), as are encrypted documents.\n' +
        'Exit status: 0 every input disarmed or already clean, 1 some input refused, 2 an error.',
    )
    .action(async (paths: string[], flags: DisarmFlags) =>
      setExit(await runDisarm(paths, flags, io)),
    );
}

export async function runDisarm(
  paths: string[],
  flags: DisarmFlags,
  io: CliIO,
  deps: DisarmDeps = {},
): Promise<number> {
  const limits = parseLimitFlags(flags.limit ?? []);
  const outDir = resolve(flags.out);
  await mkdir(outDir, { recursive: true });
  const tally = { disarmed: 0, unchanged: 0, refused: 0, errors: 0 };
  for (const root of paths) {
    if (root === '-') {
      throw new ConfigError('E_DISARM_STDIN', 'disarm reads files and folders, not standard input');
    }
    for await (const entry of walkInputs([root])) {
      if (entry.kind !== 'file') {
        tally.errors++;
        const message = entry.kind === 'error' ? `${entry.message} (${entry.code})` : 'not a file';
        await write(io.stderr, `emoguard: ${safeText(entry.path)}: ${message}\n`);
        continue;
      }
      try {
        const item = await disarmFile(entry.path, root, outDir, limits, deps);
        tally[item.report.status]++;
        await write(io.stdout, flags.json ? `${JSON.stringify(item.json)}\n` : humanLine(item));
      } catch (error) {
        tally.errors++;
        await write(io.stderr, `emoguard: ${safeText(entry.path)}: ${describeError(error)}\n`);
      }
    }
  }
  if (!flags.json) {
    await write(
      io.stdout,
      `\nDisarmed ${tally.disarmed}, unchanged ${tally.unchanged}, refused ${tally.refused}, ` +
        `${tally.errors} error(s); copies in ${safeText(outDir)}\n`,
    );
  }
  return tally.refused > 0 ? EXIT_MALICIOUS : tally.errors > 0 ? EXIT_ERROR : EXIT_OK;
}

interface DisarmedFile {
  report: DisarmReport;
  written?: string;
  json: Record<string, unknown>;
}

async function disarmFile(
  path: string,
  root: string,
  outDir: string,
  limits: Readonly<Limits>,
  deps: DisarmDeps,
): Promise<DisarmedFile> {
  const read = await readInputFile(path, limits.maxFileSize);
  let report: DisarmReport;
  if (read.size > read.bytes.length) {
    // Only the head was read: disarming it would write a truncated "safe" copy.
    report = {
      path,
      sha256: sha256Hex(read.bytes),
      size: read.size,
      inputType: 'unknown',
      status: 'refused',
      removed: [],
      refusal: 'limit',
      reason: `${read.size} bytes is over maxFileSize (${limits.maxFileSize})`,
      findings: [],
    };
  } else {
    report = await disarmInput(
      { path, bytes: read.bytes },
      { limits, ...(deps.disarmers ? { disarmers: deps.disarmers } : {}) },
    );
  }
  let written: string | undefined;
  if (report.output) {
    const rel = path === root ? basename(path) : relative(root, path);
    written = await writeExclusive(outDir, rel, report.outputExtension, report.output);
  }
  const { output: _bytes, ...rest } = report;
  return {
    report,
    ...(written ? { written } : {}),
    json: { ...rest, ...(written ? { output: written } : {}) },
  };
}

/** `sub/invoice.docm` + `.docx` → `<out>/sub/invoice.disarmed.docx`, never replacing an existing file. */
async function writeExclusive(
  outDir: string,
  rel: string,
  newExt: string | undefined,
  bytes: Uint8Array,
): Promise<string> {
  const ext = newExt ?? extname(rel);
  const stem = rel.slice(0, rel.length - extname(rel).length);
  // SECURITY: `rel` comes from a directory walk under the argument, so it stays inside `outDir`;
  // checked anyway, since an output written over an input would lose the original.
  const target = resolve(outDir, `${stem}.disarmed${ext}`);
  if (!target.startsWith(outDir + sep))
    throw new ConfigError('E_DISARM_OUT_PATH', `${rel} escapes --out`);
  await mkdir(dirname(target), { recursive: true });
  const base = target.slice(0, target.length - ext.length);
  for (let i = 1; i <= MAX_NAME_TRIES; i++) {
    const candidate = i === 1 ? target : `${base}-${i}${ext}`;
    try {
      const file = await open(candidate, 'wx', 0o644);
      try {
        await file.writeFile(bytes);
      } finally {
        await file.close();
      }
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new ConfigError(
    'E_DISARM_OUT_EXISTS',
    `${join(outDir, rel)}: ${MAX_NAME_TRIES} names taken`,
  );
}

function humanLine(item: DisarmedFile): string {
  const r = item.report;
  const where = safeText(r.path);
  if (r.status === 'refused') {
    return `REFUSED    ${where}  ${r.refusal ?? 'malformed'}: ${oneLine(r.reason ?? '', 200)}\n`;
  }
  const to = `${where} → ${safeText(item.written ?? '?')}`;
  if (r.status === 'unchanged') return `UNCHANGED  ${to}  nothing to remove\n`;
  const shown = r.removed
    .slice(0, REMOVALS_SHOWN)
    .map((x) => `${x.kind} (${oneLine(x.location, 60)})`);
  const more =
    r.removed.length > REMOVALS_SHOWN ? `, +${r.removed.length - REMOVALS_SHOWN} more` : '';
  return `DISARMED   ${to}  removed ${r.removed.length}: ${shown.join(', ')}${more}\n`;
}
