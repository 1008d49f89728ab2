import { writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import { ConfigError } from '../../../core/index.js';
import {
  createRelay,
  parseHostPort,
  QuarantineDir,
  type QuarantineRecord,
} from '../../smtp/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { oneLine, safeText } from '../output/terminal.js';
import { quarantineDirOf } from './filter.js';

interface DirFlags {
  dir?: string;
  json?: boolean;
  all?: boolean;
}

export function registerQuarantine(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
): void {
  const q = program
    .command('quarantine')
    .description('list, inspect, release or delete quarantined mail');
  const dirOption = '--dir <dir>';
  const dirHelp = 'quarantine folder (default: $EMOGUARD_QUARANTINE or ./quarantine)';
  const open = (flags: DirFlags) => new QuarantineDir(quarantineDirOf(flags.dir, io.env));
  q.command('list')
    .description('quarantined messages, oldest first (released/deleted ones with --all)')
    .option(dirOption, dirHelp)
    .option('--json', 'one JSON record per line')
    .option('--all', 'include released and deleted messages')
    .action(async (flags: DirFlags) => {
      const records = (await open(flags).list()).filter((r) => flags.all || !r.releasedAt);
      for (const r of records)
        await write(io.stdout, flags.json ? `${JSON.stringify(r)}\n` : `${summary(r)}\n`);
      setExit(EXIT_OK);
    });
  q.command('show')
    .description(
      "a quarantined message's record: envelope, subject, verdict, why (never its content)",
    )
    .argument('<id>')
    .option(dirOption, dirHelp)
    .action(async (id: string, flags: DirFlags) => {
      const r = await open(flags).get(id);
      await write(io.stdout, `${safeText(JSON.stringify(r, null, 2))}\n`);
      setExit(EXIT_OK);
    });
  q.command('release')
    .description(
      're-inject a quarantined message to its original recipients (or --to) through --next-hop',
    )
    .argument('<id>')
    .requiredOption(
      '--next-hop <host:port>',
      'SMTP server that delivers it (e.g. Postfix on 127.0.0.1:10026)',
    )
    .option('--to <address...>', 'deliver to these addresses instead of the original recipients')
    .option(dirOption, dirHelp)
    .action(async (id: string, flags: DirFlags & { nextHop: string; to?: string[] }) => {
      const dir = open(flags);
      const record = await dir.get(id);
      if (record.releasedAt)
        throw new ConfigError(
          'E_QUARANTINE_CLOSED',
          `${id} was already released or deleted at ${record.releasedAt}`,
        );
      const relay = createRelay(parseHostPort(flags.nextHop, '--next-hop'), hostname());
      try {
        const response = await relay.send(
          { from: record.envelope.from, to: flags.to ?? record.envelope.to },
          await dir.message(record),
        );
        await dir.close(record, `released by ${userInfo().username}`, true);
        await write(io.stdout, `released ${id}: ${oneLine(response, 200)}\n`);
      } finally {
        relay.close();
      }
      setExit(EXIT_OK);
    });
  q.command('export')
    .description(
      'write a quarantined message to a file for analysis (it is malware: handle with care)',
    )
    .argument('<id>')
    .requiredOption('--out <file>', 'where to write the .eml')
    .option(dirOption, dirHelp)
    .action(async (id: string, flags: DirFlags & { out: string }) => {
      const dir = open(flags);
      await writeFile(flags.out, await dir.message(await dir.get(id)), { mode: 0o600 });
      setExit(EXIT_OK);
    });
  q.command('delete')
    .description('delete a quarantined message (its record stays as the audit trail)')
    .argument('<id>')
    .option(dirOption, dirHelp)
    .action(async (id: string, flags: DirFlags) => {
      const dir = open(flags);
      await dir.close(await dir.get(id), `deleted by ${userInfo().username}`, true);
      await write(io.stdout, `deleted ${id}\n`);
      setExit(EXIT_OK);
    });
}

function summary(r: QuarantineRecord): string {
  const state = r.releasedAt ? ` [${r.releasedBy ?? 'closed'}]` : '';
  return `${r.id}  ${r.verdict.padEnd(10)} ${oneLine(r.envelope.from, 40)} → ${oneLine(r.envelope.to.join(','), 40)}  ${oneLine(r.subject, 60)}${state}`;
}
