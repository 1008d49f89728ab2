import type { Command } from 'commander';
import { learnMessageIds } from '../../msgid/index.js';
import { openMessageIdDb } from '../../../store/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { collect } from '../options.js';
import { safeText } from '../output/terminal.js';

interface LearnFlags {
  db?: string;
  domain?: string[];
}

/** Default Message-ID database file: $EMOGUARD_MSGID_DB or ./msgids.db. */
export function msgidDbPathOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? (env.EMOGUARD_MSGID_DB || 'msgids.db');
}

export function registerMail(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const mail = program
    .command('mail')
    .description("mail-layer tools: learn the organisation's sent Message-IDs (thread hijacking)");
  mail
    .command('learn-msgids')
    .description(
      "record the Message-IDs of the organisation's sent mail, for scan/filter --msgid-db",
    )
    .argument('<paths...>', '.eml files, mbox files, Maildirs or folders of them (sent mail)')
    .option('--db <file>', 'Message-ID database (default: $EMOGUARD_MSGID_DB or ./msgids.db)')
    .option(
      '--domain <domain>',
      "the organisation's domain, e.g. example.co.jp (repeatable); only mail From it is learned. " +
        'Without it every mail counts as sent by the organisation.',
      collect,
    )
    .addHelpText(
      'after',
      '\nRun it again with new sent mail at any time: known ids are kept, new ones added.\n' +
        'Then: emoguard scan --msgid-db msgids.db MAILS, or emoguard filter --msgid-db msgids.db …\n' +
        'Message-IDs the organisation generates under another domain (Exchange Online: …outlook.com)\n' +
        'are learned but cannot mark a forged reference as "in its thread"; give --domain for yours.',
    )
    .action(async (paths: string[], flags: LearnFlags) => {
      const path = msgidDbPathOf(flags.db, io.env);
      const db = openMessageIdDb(path);
      try {
        const summary = await learnMessageIds(paths, db, {
          domains: flags.domain ?? [],
          onError: (p, message) =>
            void write(io.stderr, `emoguard: ${safeText(p)}: ${safeText(message)}\n`),
        });
        await write(
          io.stdout,
          `Read ${summary.mails} mail(s) in ${summary.files} file(s): ${summary.learned} sent by ` +
            `${summary.orgDomains.join(', ') || 'nobody'}, ${summary.added} new Message-ID(s); ` +
            `${db.count()} in ${safeText(path)}\n`,
        );
      } finally {
        db.close();
      }
      setExit(EXIT_OK);
    });
}
