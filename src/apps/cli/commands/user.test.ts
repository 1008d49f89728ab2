import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { Command } from 'commander';
import { fakeIO, runCli } from '../../../../test/support/cli-io.js';
import { openSqliteStore } from '../../../store/index.js';
import { verifyPassword } from '../../api/index.js';
import { runServe } from './serve.js';
import { registerUser } from './user.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-users-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `store-${++n}.db`);

/** `emoguard user …` with the password on a fake standard input. */
async function userCli(args: string[], stdin: string) {
  const f = fakeIO();
  let code = 0;
  const program = new Command('emoguard')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerUser(program, f.io, (c) => (code = c), { stdin: Readable.from([stdin]) });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    return { code: 2, stdout: f.out(), error: error as Error & { code?: string } };
  }
  return { code, stdout: f.out(), error: undefined };
}

describe('cli: user and token', () => {
  test('user add reads the password from stdin, stores only its scrypt hash, and refuses a taken name', async () => {
    const db = dbPath();
    const added = await userCli(
      ['user', 'add', 'alice', '--role', 'admin', '--password-stdin', '--db', db],
      'correct horse battery\n',
    );
    assert.equal(added.code, 0);
    assert.match(added.stdout, /added alice \(admin\)/);
    const store = openSqliteStore(db);
    await store.migrate();
    const user = await store.auth.getUserByName('alice');
    assert.match(user!.passwordHash, /^scrypt\$32768\$8\$1\$/);
    assert.equal(user!.passwordHash.includes('correct horse'), false);
    assert.equal(await verifyPassword('correct horse battery', user!.passwordHash), true);
    assert.equal(await verifyPassword('wrong', user!.passwordHash), false);
    await store.close();
    const again = await userCli(
      ['user', 'add', 'alice', '--role', 'viewer', '--password-stdin', '--db', db],
      'another password\n',
    );
    assert.equal(again.error?.code, 'E_STORE_USER_EXISTS');
    const list = await runCli(['user', 'list', '--json', '--db', db]);
    assert.equal(JSON.parse(list.stdout).name, 'alice');
    assert.equal(list.stdout.includes('scrypt'), false);
  });

  test('user add refuses a password shorter than 8 characters and a missing --role', async () => {
    const db = dbPath();
    const weak = await userCli(
      ['user', 'add', 'bob', '--role', 'viewer', '--password-stdin', '--db', db],
      'short\n',
    );
    assert.equal(weak.error?.code, 'E_AUTH_WEAK_PASSWORD');
    const noRole = await userCli(
      ['user', 'add', 'bob', '--password-stdin', '--db', db],
      'long enough pw\n',
    );
    assert.equal(noRole.code, 2);
  });

  test('token create prints the token once; list shows its prefix only; revoke ends it', async () => {
    const db = dbPath();
    await userCli(
      ['user', 'add', 'ci', '--role', 'viewer', '--password-stdin', '--db', db],
      'ci-password-123\n',
    );
    const created = await runCli([
      'token',
      'create',
      '--user',
      'ci',
      '--name',
      'nightly',
      '--db',
      db,
    ]);
    assert.equal(created.code, 0);
    const token = created.stdout.trim();
    assert.match(token, /^eg_[A-Za-z0-9_-]{43}$/);
    const list = await runCli(['token', 'list', '--json', '--db', db]);
    assert.equal(list.stdout.includes(token), false);
    const row = JSON.parse(list.stdout);
    assert.equal(row.name, 'nightly');
    assert.equal(token.startsWith(row.prefix), true);
    assert.equal((await runCli(['token', 'revoke', String(row.id), '--db', db])).code, 0);
    assert.equal((await runCli(['token', 'revoke', String(row.id), '--db', db])).code, 2);
    const deleted = await runCli(['user', 'delete', 'ci', '--db', db]);
    assert.equal(deleted.code, 0);
    assert.equal((await runCli(['token', 'list', '--db', db])).stdout, '');
  });

  test('serve refuses to start without users and says how to create the first admin', async () => {
    const db = dbPath();
    const store = openSqliteStore(db);
    await store.migrate();
    await store.close();
    const res = await runCli(['serve', '--listen', '127.0.0.1:0', '--db', db]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /E_SERVE_NO_USERS|no dashboard users/);
    assert.match(res.stderr, /emoguard user add NAME --role admin/);
  });

  test('serve listens on loopback by default and stops cleanly', async () => {
    const db = dbPath();
    await userCli(
      ['user', 'add', 'root', '--role', 'admin', '--password-stdin', '--db', db],
      'admin-password-1\n',
    );
    const f = fakeIO();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = runServe(
      { listen: '127.0.0.1:0', db, quarantine: join(dir, 'q'), idleMinutes: 30 },
      f.io,
      stopped,
    );
    for (let i = 0; i < 100 && !f.out().includes('http://'); i++)
      await new Promise((r) => setTimeout(r, 20));
    const url = /http:\/\/[^ ]+\//.exec(f.out())![0];
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${url}login`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<html lang="en">/);
    stop();
    assert.equal(await running, 0);
  });
});
