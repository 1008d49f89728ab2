import type { Command } from 'commander';
import { ConfigError } from '../../../core/index.js';
import { newApiToken } from '../../api/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';
import { parsePositiveInt } from '../options.js';
import { oneLine } from '../output/terminal.js';
import { actor, userByName, withStore } from './user.js';

export function registerToken(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const dbHelp = 'findings store (default: $EMOGUARD_DB or ./emoguard.db)';
  const token = program
    .command('token')
    .description('API tokens (Authorization: Bearer …): create, list, revoke');
  token
    .command('create')
    .description('create an API token for a user; it is printed once and stored only as a digest')
    .requiredOption('--user <name>', 'the user the token acts as')
    .option('--name <text>', 'what the token is for', '')
    .option('--db <path>', dbHelp)
    .action(async (flags: { user: string; name: string; db?: string }) => {
      await withStore(flags.db, io, async (store) => {
        const u = await userByName(store, flags.user);
        const { token: secret, tokenHash, prefix } = newApiToken();
        const record = await store.auth.createToken({
          userId: u.id,
          name: flags.name,
          tokenHash,
          prefix,
        });
        await store.auth.appendAudit({
          actor: actor(),
          action: 'token.create',
          target: `token:${record.id}`,
          detail: { user: u.name },
        });
        await write(
          io.stderr,
          `token ${record.id} for ${oneLine(u.name, 64)} (${u.role}); it is shown only now:\n`,
        );
        await write(io.stdout, `${secret}\n`);
      });
      setExit(EXIT_OK);
    });
  token
    .command('list')
    .description('API tokens, oldest first (never the tokens themselves)')
    .option('--user <name>', 'only this user’s tokens')
    .option('--json', 'one JSON object per line')
    .option('--db <path>', dbHelp)
    .action(async (flags: { user?: string; json?: boolean; db?: string }) => {
      await withStore(flags.db, io, async (store) => {
        const query = flags.user ? { userId: (await userByName(store, flags.user)).id } : {};
        for (const t of await store.auth.listTokens(query)) {
          const row = {
            id: t.id,
            user: t.userName,
            name: t.name,
            prefix: t.prefix,
            createdAt: t.createdAt.toISOString(),
            lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
            revokedAt: t.revokedAt?.toISOString() ?? null,
          };
          const state = row.revokedAt
            ? `revoked ${row.revokedAt}`
            : `last used ${row.lastUsedAt ?? 'never'}`;
          await write(
            io.stdout,
            flags.json
              ? `${JSON.stringify(row)}\n`
              : `${String(t.id).padStart(4)}  ${oneLine(t.userName, 24).padEnd(24)} ${t.prefix}…  ${oneLine(t.name, 40).padEnd(20)} ${state}\n`,
          );
        }
      });
      setExit(EXIT_OK);
    });
  token
    .command('revoke')
    .description('revoke an API token by id')
    .argument('<id>', 'token id (from token list)', parsePositiveInt)
    .option('--db <path>', dbHelp)
    .action(async (id: number, flags: { db?: string }) => {
      await withStore(flags.db, io, async (store) => {
        if (!(await store.auth.revokeToken(id)))
          throw new ConfigError('E_AUTH_NO_TOKEN', `no active token ${id}`);
        await store.auth.appendAudit({
          actor: actor(),
          action: 'token.revoke',
          target: `token:${id}`,
        });
        await write(io.stdout, `revoked ${id}\n`);
      });
      setExit(EXIT_OK);
    });
}
