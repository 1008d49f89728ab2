import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../../core/index.js';
import { buildReport, renderHtml, renderJson, renderMarkdown } from '../../../report/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { parsePositiveInt, resolveDbPath } from '../options.js';
import { openStore } from './scan.js';

interface ReportFlags {
  format: 'html' | 'md' | 'json';
  out?: string;
  db?: string;
  scan?: number;
  lang: 'en' | 'ja';
}

export function registerReport(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('write a report of the findings in the store')
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['html', 'md', 'json'])
        .default('md'),
    )
    .addOption(new Option('--lang <lang>', 'report language').choices(['en', 'ja']).default('en'))
    .option('--out <file>', 'write to FILE instead of standard output')
    .option('--scan <id>', 'only this scan (default: every scan in the store)', parsePositiveInt)
    .option('--db <path>', 'findings store (default: $EMOGUARD_DB or ./emoguard.db)')
    .action(async (flags: ReportFlags) => setExit(await runReport(flags, io)));
}

export async function runReport(flags: ReportFlags, io: CliIO): Promise<number> {
  const dbPath = resolveDbPath(flags.db, io.env);
  if (!existsSync(dbPath)) {
    throw new ConfigError(
      'E_STORE_MISSING',
      `no findings store at ${dbPath}: run \`emoguard scan\` first, or pass --db`,
    );
  }
  const store = await openStore(dbPath);
  try {
    const model = await buildReport(store, {
      lang: flags.lang,
      ...(flags.scan ? { scanId: flags.scan } : {}),
    });
    const text =
      flags.format === 'html'
        ? renderHtml(model)
        : flags.format === 'json'
          ? renderJson(model)
          : renderMarkdown(model);
    if (flags.out) {
      await writeFile(flags.out, text);
      await write(io.stderr, `report written to ${flags.out}\n`);
    } else {
      await write(io.stdout, text.endsWith('\n') ? text : `${text}\n`);
    }
  } finally {
    await store.close();
  }
  return EXIT_OK;
}
