import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openSqliteStore, type QuarantineStore } from '../../store/index.js';
import { QuarantineDir } from './quarantine.js';

const root = mkdtempSync(join(tmpdir(), 'emoguard-qstore-'));
const store = openSqliteStore(join(root, 'store.db'));
after(() => store.close());

const fields = (subject: string, receivedAt = '2024-01-15T00:30:00.000Z') => ({
  receivedAt,
  envelope: { from: 'sender@example.net', to: ['tanaka@example.co.jp'] },
  subject,
  verdict: 'malicious' as const,
  action: 'quarantine',
  reasons: ['malicious → quarantine'],
  findings: ['vba.autoexec-execution-chain'],
});
const bytes = (s: string) => new TextEncoder().encode(s);

describe('quarantine folder with store rows', () => {
  test('put writes the content-addressed file, the folder record and a held store row', async () => {
    await store.migrate();
    const dir = new QuarantineDir(join(root, 'q1'), store.quarantine);
    const record = await dir.put(bytes('Subject: a\r\n\r\nx'), fields('a'));
    assert.ok(readdirSync(dir.dir).includes(`${record.sha256}.eml`), 'bytes by sha256');
    const row = await store.quarantine.get(record.id);
    assert.deepEqual(
      [row?.status, row?.subject, row?.recipients, row?.verdict, row?.findings],
      ['held', 'a', ['tanaka@example.co.jp'], 'malicious', ['vba.autoexec-execution-chain']],
    );
    assert.deepEqual(
      (await dir.list()).map((r) => [r.id, r.status]),
      [[record.id, 'held']],
    );
  });

  test('release and delete record status, actor and reason in the row and in the folder record', async () => {
    const dir = new QuarantineDir(join(root, 'q2'), store.quarantine);
    const a = await dir.put(bytes('Subject: r\r\n\r\nr'), fields('r'));
    const b = await dir.put(bytes('Subject: d\r\n\r\nd'), fields('d'));
    await dir.close(a, 'released by alice: false positive', true);
    await dir.close(b, 'deleted by bob', true);
    const ra = await store.quarantine.get(a.id);
    const rb = await store.quarantine.get(b.id);
    assert.deepEqual(
      [ra?.status, ra?.closedBy, ra?.closeReason],
      ['released', 'alice', 'false positive'],
    );
    assert.deepEqual([rb?.status, rb?.closedBy, rb?.closeReason], ['deleted', 'bob', undefined]);
    const folder = JSON.parse(readFileSync(join(dir.dir, `${a.id}.json`), 'utf8')) as {
      status: string;
    };
    assert.equal(folder.status, 'released');
    assert.equal((await dir.get(a.id)).releasedBy, 'released by alice: false positive');
    assert.deepEqual(
      await store.quarantine
        .list({ status: 'held' })
        .then((r) => r.filter((x) => x.folder.endsWith('q2'))),
      [],
    );
  });

  test('a store that fails does not fail the quarantine: the folder record is listed anyway', async () => {
    const errors: string[] = [];
    const broken: QuarantineStore = {
      add: () => Promise.reject(new Error('database is locked')),
      get: () => Promise.resolve(undefined),
      list: () => Promise.resolve([]),
      close: () => Promise.reject(new Error('database is locked')),
    };
    const dir = new QuarantineDir(join(root, 'q3'), broken, (m) => errors.push(m));
    const record = await dir.put(bytes('Subject: b\r\n\r\nb'), fields('b'));
    assert.match(errors[0] ?? '', /quarantine store: .*database is locked/);
    assert.deepEqual(
      (await dir.list()).map((r) => r.id),
      [record.id],
    );
    await dir.close(record, 'deleted by carol', true);
    assert.equal(errors.length, 2, 'the failed close is reported too');
  });

  test('list merges store rows and folder-only records, oldest first; other folders’ rows are not shown', async () => {
    const plain = new QuarantineDir(join(root, 'q4'));
    const old = await plain.put(
      bytes('Subject: o\r\n\r\no'),
      fields('old', '2024-01-01T00:00:00.000Z'),
    );
    const dir = new QuarantineDir(join(root, 'q4'), store.quarantine);
    const fresh = await dir.put(
      bytes('Subject: n\r\n\r\nn'),
      fields('new', '2024-02-01T00:00:00.000Z'),
    );
    assert.deepEqual(
      (await dir.list()).map((r) => r.id),
      [old.id, fresh.id],
    );
  });
});

describe('quarantine records: closedBy and closeReason', () => {
  test('a structured close writes status, closedBy and closeReason to the folder record and the row', async () => {
    const dir = new QuarantineDir(join(root, 'q5'), store.quarantine);
    const a = await dir.put(bytes('Subject: s\r\n\r\ns'), fields('s'));
    await dir.close(
      a,
      { status: 'released', actor: 'alice', reason: 'vendor invoice: known sender' },
      true,
    );
    const folder = JSON.parse(readFileSync(join(dir.dir, `${a.id}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.deepEqual(
      [folder.status, folder.closedBy, folder.closeReason],
      ['released', 'alice', 'vendor invoice: known sender'],
    );
    assert.equal(
      folder.releasedBy,
      'released by alice: vendor invoice: known sender',
      'legacy text kept',
    );
    const row = await store.quarantine.get(a.id);
    assert.deepEqual(
      [row?.closedBy, row?.closeReason],
      ['alice', 'vendor invoice: known sender'],
      'a reason with a colon survives whole',
    );
    const read = await dir.get(a.id);
    assert.deepEqual(
      [read.status, read.closedBy, read.closeReason],
      ['released', 'alice', 'vendor invoice: known sender'],
    );
  });

  test('records written before closedBy (only releasedAt/releasedBy) are read with status, actor and reason filled', async () => {
    const folder = join(root, 'q6');
    const dir = new QuarantineDir(folder);
    const old = await dir.put(bytes('Subject: o\r\n\r\no'), fields('o'));
    const filterClose = await dir.put(bytes('Subject: f\r\n\r\nf'), fields('f'));
    const held = await dir.put(bytes('Subject: h\r\n\r\nh'), fields('h'));
    const legacy = (r: typeof old, releasedBy: string) => {
      const { status: _s, ...rest } = r;
      const text = JSON.stringify({ ...rest, releasedAt: '2024-01-16T00:00:00.000Z', releasedBy });
      writeFileSync(join(folder, `${r.id}.json`), text);
    };
    legacy(old, 'released by bob: false positive');
    legacy(filterClose, 'disarmed delivery failed; the sending MTA retries');
    const { status: _s, ...heldOld } = held;
    writeFileSync(join(folder, `${held.id}.json`), JSON.stringify(heldOld));
    const byId = new Map((await dir.list()).map((r) => [r.id, r]));
    const shape = (id: string) => {
      const r = byId.get(id)!;
      return [r.status, r.closedBy, r.closeReason];
    };
    assert.deepEqual(shape(old.id), ['released', 'bob', 'false positive']);
    assert.deepEqual(shape(filterClose.id), [
      'deleted',
      'emoguard',
      'disarmed delivery failed; the sending MTA retries',
    ]);
    assert.deepEqual(shape(held.id), ['held', undefined, undefined]);
    const got = await dir.get(old.id);
    assert.deepEqual(
      [got.status, got.closedBy, got.closeReason],
      ['released', 'bob', 'false positive'],
    );
  });

  test('a close given as text (the filter, older callers) is still read as status, actor and reason', async () => {
    const dir = new QuarantineDir(join(root, 'q7'), store.quarantine);
    const a = await dir.put(bytes('Subject: t\r\n\r\nt'), fields('t'));
    await dir.close(a, 'disarmed delivery failed; the sending MTA retries', true);
    const row = await store.quarantine.get(a.id);
    assert.deepEqual(
      [row?.status, row?.closedBy, row?.closeReason],
      ['deleted', 'emoguard', 'disarmed delivery failed; the sending MTA retries'],
    );
  });
});

test('store.quarantine: add is idempotent by id; close only closes held rows', async () => {
  await store.migrate();
  const row = {
    id: '20240115003000-0000abcd',
    sha256: 'a'.repeat(64),
    size: 1,
    receivedAt: new Date('2024-01-15T00:30:00Z'),
    sender: 's@example.net',
    recipients: ['r@example.co.jp'],
    subject: 'x',
    verdict: 'suspicious' as const,
    action: 'quarantine',
    reasons: [],
    findings: [],
    folder: '/q',
  };
  await store.quarantine.add(row);
  await store.quarantine.add({ ...row, subject: 'changed' });
  assert.equal((await store.quarantine.get(row.id))?.subject, 'x');
  assert.equal(await store.quarantine.close(row.id, { status: 'deleted', actor: 'a' }), true);
  assert.equal(await store.quarantine.close(row.id, { status: 'released', actor: 'b' }), false);
  assert.equal((await store.quarantine.get(row.id))?.status, 'deleted');
});

describe('quarantine folder under concurrency (issue 4: no loss)', () => {
  test('concurrent puts of the same message all succeed: one message file, one record each, no temp files left', async () => {
    const dir = new QuarantineDir(join(root, 'q-same'));
    const message = bytes(`Subject: campaign\r\n\r\n${'x'.repeat(512 * 1024)}`);
    const records = await Promise.all(
      Array.from({ length: 8 }, (_, i) => dir.put(message, fields(`copy ${i}`))),
    );
    const names = readdirSync(dir.dir);
    assert.deepEqual(
      names.filter((n) => n.endsWith('.eml')),
      [`${records[0]!.sha256}.eml`],
    );
    assert.equal(names.filter((n) => n.endsWith('.json')).length, 8, 'a record per put');
    assert.deepEqual(
      names.filter((n) => n.endsWith('.tmp')),
      [],
      'no temp file left behind',
    );
    assert.equal((await dir.message(records[7]!)).length, message.length, 'the message is whole');
  });

  test('closing one record with delete while a put of the same message is writing keeps the message file', async () => {
    const dir = new QuarantineDir(join(root, 'q-close-race'));
    const message = bytes('Subject: same\r\n\r\nsame body');
    const first = await dir.put(message, fields('first'));
    const second = dir.put(message, fields('second'));
    await dir.close(first, 'disarmed delivery failed; the sending MTA retries', true);
    const kept = await second;
    assert.deepEqual(
      Buffer.from(await dir.message(kept)).toString('latin1'),
      'Subject: same\r\n\r\nsame body',
      'the second record still has its message',
    );
  });
});
