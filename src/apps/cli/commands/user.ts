import { userInfo } from 'node:os';
import type { Readable } from 'node:stream';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../../core/index.js';
import { ROLES, type Role, type Store } from '../../../store/index.js';
import { checkPasswordPolicy, hashPassword } from '../../api/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { resolveDbPath } from '../options.js';
import { oneLine } from '../output/terminal.js';
import { openStore } from './scan.js';

/** Where passwords are read from; tests pass their own stream. */
export interface PasswordSource {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
}

const defaultSource = (): PasswordSource => ({ stdin: process.stdin });
export const actor = () => `cli:${userInfo().username}`;

export async function withStore<T>(
  db: string | undefined,
  io: CliIO,
  fn: (s: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(resolveDbPath(db, io.env));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** First line of standard input (`--password-stdin`), at most 4 KiB. */
async function readLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** SECURITY: a terminal prompt with echo off, so the password is neither shown nor kept in shell history. */
async function prompt(source: PasswordSource, io: CliIO, question: string): Promise<string> {
  const { stdin } = source;
  if (!stdin.isTTY || !stdin.setRawMode) {
    throw new ConfigError(
      'E_CLI_NO_TTY',
      'no terminal to ask for a password: use --password-stdin',
    );
  }
  await write(io.stderr, question);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    let text = '';
    for await (const chunk of stdin) {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return text;
        if (ch === '\u0003') throw new ConfigError('E_CLI_ABORTED', 'aborted');
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    }
    return text;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    await write(io.stderr, '\n');
  }
}

async function newPassword(
  flags: { passwordStdin?: boolean },
  io: CliIO,
  source: PasswordSource,
): Promise<string> {
  if (flags.passwordStdin) {
    const password = await readLine(source.stdin);
    checkPasswordPolicy(password);
    return password;
  }
  const first = await prompt(source, io, 'New password: ');
  checkPasswordPolicy(first);
  if ((await prompt(source, io, 'Repeat it: ')) !== first) {
    throw new ConfigError('E_AUTH_PASSWORD_MISMATCH', 'the passwords differ');
  }
  return first;
}

export async function userByName(store: Store, name: string) {
  const user = await store.auth.getUserByName(name);
  if (user === undefined) throw new ConfigError('E_AUTH_NO_USER', `no user ${name}`);
  return user;
}

export function registerUser(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
  source: PasswordSource = defaultSource(),
): void {
  const dbHelp = 'findings store (default: $EMOGUARD_DB or ./emoguard.db)';
  const user = program.command('user').description('dashboard users: add, list, delete, passwd');
  user
    .command('add')
    .description('add a dashboard user (password from a prompt, or the first line of stdin)')
    .argument('<name>')
    .addOption(
      new Option('--role <role>', 'what the user may do').choices([...ROLES]).makeOptionMandatory(),
    )
    .option('--password-stdin', 'read the password from standard input')
    .option('--db <path>', dbHelp)
    .action(async (name: string, flags: { role: Role; passwordStdin?: boolean; db?: string }) => {
      const password = await newPassword(flags, io, source);
      await withStore(flags.db, io, async (store) => {
        const created = await store.auth.createUser({
          name,
          role: flags.role,
          passwordHash: await hashPassword(password),
        });
        await store.auth.appendAudit({
          actor: actor(),
          action: 'user.add',
          target: `user:${name}`,
          detail: { role: flags.role },
        });
        await write(io.stdout, `added ${oneLine(created.name, 64)} (${created.role})\n`);
      });
      setExit(EXIT_OK);
    });
  user
    .command('passwd')
    .description("set a user's password and end the user's sessions")
    .argument('<name>')
    .option('--password-stdin', 'read the password from standard input')
    .option('--db <path>', dbHelp)
    .action(async (name: string, flags: { passwordStdin?: boolean; db?: string }) => {
      const password = await newPassword(flags, io, source);
      await withStore(flags.db, io, async (store) => {
        const u = await userByName(store, name);
        await store.auth.updateUser(u.id, { passwordHash: await hashPassword(password) });
        // A changed password also locks out whoever held a session with the old one.
        await store.auth.deleteUserSessions(u.id);
        await store.auth.appendAudit({
          actor: actor(),
          action: 'user.passwd',
          target: `user:${name}`,
        });
        await write(io.stdout, `password changed for ${oneLine(name, 64)}\n`);
      });
      setExit(EXIT_OK);
    });
  user
    .command('list')
    .description('dashboard users by name')
    .option('--json', 'one JSON object per line')
    .option('--db <path>', dbHelp)
    .action(async (flags: { json?: boolean; db?: string }) => {
      await withStore(flags.db, io, async (store) => {
        for (const u of await store.auth.listUsers()) {
          const row = { name: u.name, role: u.role, createdAt: u.createdAt.toISOString() };
          await write(
            io.stdout,
            flags.json
              ? `${JSON.stringify(row)}\n`
              : `${oneLine(u.name, 64).padEnd(24)} ${u.role.padEnd(8)} ${row.createdAt}\n`,
          );
        }
      });
      setExit(EXIT_OK);
    });
  user
    .command('delete')
    .description('delete a user with its sessions and tokens')
    .argument('<name>')
    .option('--db <path>', dbHelp)
    .action(async (name: string, flags: { db?: string }) => {
      await withStore(flags.db, io, async (store) => {
        await store.auth.deleteUser((await userByName(store, name)).id);
        await store.auth.appendAudit({
          actor: actor(),
          action: 'user.delete',
          target: `user:${name}`,
        });
        await write(io.stdout, `deleted ${oneLine(name, 64)}\n`);
      });
      setExit(EXIT_OK);
    });
}
