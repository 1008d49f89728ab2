import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../../../../test/support/cli-io.js';
import { openSqliteStore } from '../../../store/index.js';
import { QuarantineDir } from '../../smtp/index.js';

const root = mkdtempSync(join(tmpdir(), 'emoguard-qcli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const db = join(root, 'store.db');
const folder = join(root, 'quarantine');

async function quarantineTwo(): Promise<string[]> {
  const store = openSqliteStore(db);
  await store.migrate();
  const dir = new QuarantineDir(folder, store.quarantine);
  const ids: string[] = [];
  for (const subject of ['請求書', 'invoice']) {
    const r = await dir.put(new TextEncoder().encode(`Subject: ${subject}\r\n\r\nx`), {
      receivedAt: new Date().toISOString(),
      envelope: { from: 'sender@example.net', to: ['tanaka@example.co.jp'] },
      subject,
      verdict: 'malicious',
      action: 'quarantine',
      reasons: [],
      findings: ['vba.autoexec-execution-chain'],
    });
    ids.push(r.id);
  }
  await store.close();
  return ids;
}

test('cli quarantine: list reads the store rows; delete records actor and reason there', async () => {
  const [first, second] = await quarantineTwo();
  const listed = await runCli(['quarantine', 'list', '--dir', folder, '--db', db, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(
    listed.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string; status: string }).status),
    ['held', 'held'],
  );
  const deleted = await runCli([
    'quarantine',
    'delete',
    first!,
    '--dir',
    folder,
    '--db',
    db,
    '--reason',
    'spam',
  ]);
  assert.equal(deleted.code, 0, deleted.stderr);
  const again = await runCli(['quarantine', 'delete', first!, '--dir', folder, '--db', db]);
  assert.equal(again.code, 2, 'a closed message cannot be deleted twice');
  const store = openSqliteStore(db);
  await store.migrate();
  const row = await store.quarantine.get(first!);
  await store.close();
  assert.deepEqual(
    [row?.status, row?.closedBy, row?.closeReason],
    ['deleted', userInfo().username, 'spam'],
  );
  const open = await runCli(['quarantine', 'list', '--dir', folder, '--db', db]);
  assert.ok(open.stdout.includes(second!) && !open.stdout.includes(first!), open.stdout);
  const all = await runCli(['quarantine', 'list', '--all', '--dir', folder, '--no-store']);
  assert.ok(all.stdout.includes(first!), 'the folder records alone still list everything');
});
