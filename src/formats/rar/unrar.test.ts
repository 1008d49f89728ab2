import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitError } from '../../core/index.js';
import { buildRar4, buildRar5 } from '../../../test/builders/rar.js';
import { decryptRar5Headers, extractRar, MAX_RAR_KDF_COUNT, parseRar, rar5Key } from './index.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const all = { select: () => true, maxBytes: () => 1 << 20 };

test('unrar: loading the WASM module leaves no process-wide exception listeners behind', async () => {
  const count = () => [
    process.listenerCount('uncaughtException'),
    process.listenerCount('unhandledRejection'),
  ];
  const before = count();
  await extractRar(buildRar5([{ name: 'a', data: 'x' }]), all);
  assert.deepEqual(count(), before);
});

test('unrar: RAR4 and RAR5 stored members come out byte for byte, in order', async () => {
  for (const build of [buildRar4, buildRar5]) {
    const r = await extractRar(
      build([
        { name: 'a.txt', data: 'A' },
        { name: 'd/b.txt', data: 'BB' },
      ]),
      all,
    );
    assert.deepEqual(r.anomalies, []);
    assert.deepEqual(
      r.members.map((m) => [m.name, text(m.bytes), m.isTruncated]),
      [
        ['a.txt', 'A', false],
        ['d/b.txt', 'BB', false],
      ],
    );
  }
});

test('unrar: maxBytes keeps exactly the cap and flags the member; at its size → whole, not flagged', async () => {
  const bytes = buildRar5([{ name: 'big', data: 'x'.repeat(70_000) }]);
  const cut = await extractRar(bytes, { select: () => true, maxBytes: () => 69_999 });
  assert.deepEqual([cut.members[0]!.bytes.length, cut.members[0]!.isTruncated], [69_999, true]);
  const whole = await extractRar(bytes, { select: () => true, maxBytes: () => 70_000 });
  assert.deepEqual(
    [whole.members[0]!.bytes.length, whole.members[0]!.isTruncated],
    [70_000, false],
  );
});

test('unrar: unselected members are skipped; a deadline between members stops the pass cleanly', async () => {
  const bytes = buildRar5([1, 2, 3].map((i) => ({ name: `${i}.txt`, data: `${i}` })));
  const some = await extractRar(bytes, { ...all, select: (h) => h.name !== '2.txt' });
  assert.deepEqual(
    some.members.map((m) => m.name),
    ['1.txt', '3.txt'],
  );
  let calls = 0;
  const stopped = await extractRar(bytes, {
    ...all,
    checkDeadline: () => {
      if (++calls > 1) throw new LimitError('E_LIMIT_TIME', 'late', { limit: 'x', max: 1 });
    },
  });
  assert.deepEqual(
    stopped.members.map((m) => m.name),
    ['1.txt'],
  );
  assert.ok(stopped.stoppedBy instanceof LimitError, 'stoppedBy is the deadline error');
  // The WASM singleton still works after an early stop (the archive object was released).
  assert.equal((await extractRar(bytes, all)).members.length, 3);
});

test('unrar: wrong, missing password and garbage → coded anomalies, never a throw', async () => {
  const locked = buildRar5([{ name: 'a', data: 'secret', password: 'pw' }]);
  const codes = async (b: Uint8Array, password?: string) =>
    (await extractRar(b, { ...all, ...(password ? { password } : {}) })).anomalies.map(
      (a) => a.code,
    );
  assert.deepEqual(await codes(locked, 'nope'), ['E_RAR_BAD_PASSWORD']);
  assert.deepEqual(await codes(locked), ['E_RAR_ENCRYPTED']);
  assert.equal(
    text((await extractRar(locked, { ...all, password: 'pw' })).members[0]!.bytes),
    'secret',
  );
  assert.deepEqual(await codes(Uint8Array.of(1, 2, 3)), ['E_RAR_TRUNCATED']);
  const bad = buildRar5([{ name: 'x', data: 'not lz data at all', compressed: true }]);
  assert.deepEqual(await codes(bad), ['E_RAR_BAD_DATA']);
});

test('unrar: two archives extracted concurrently each get their own members (the WASM singleton is re-pointed)', async () => {
  const [a, b] = await Promise.all([
    extractRar(buildRar5([{ name: 'a', data: 'from A' }]), all),
    extractRar(buildRar4([{ name: 'b', data: 'from B' }]), all),
  ]);
  assert.deepEqual([text(a.members[0]!.bytes), text(b.members[0]!.bytes)], ['from A', 'from B']);
});

test('rar5 crypto: the password check accepts the right password only; -hp headers decrypt to a listable archive', () => {
  const bytes = buildRar5([{ name: 'n.lnk', data: 'z', password: 'pw' }], { headerPassword: 'pw' });
  const a = parseRar(bytes);
  assert.equal(a.isHeaderEncrypted, true);
  assert.equal(rar5Key('wrong', a.headerCrypt!), undefined);
  const key = rar5Key('pw', a.headerCrypt!)!;
  const plain = parseRar(decryptRar5Headers(bytes, key)!);
  assert.deepEqual(plain.anomalies, []);
  assert.deepEqual(
    plain.entries.map((e) => [e.name, e.size, e.isEncrypted]),
    [['n.lnk', 1, true]],
  );
  assert.equal(decryptRar5Headers(bytes, new Uint8Array(32)), undefined);
});

test('rar5 crypto: KDF count at the cap is derived; one past it → LimitError before hashing', () => {
  const salt = new Uint8Array(16);
  assert.equal(rar5Key('pw', { kdfCount: 4, salt }, 4)?.length, 32);
  assert.throws(
    () => rar5Key('pw', { kdfCount: 5, salt }, 4),
    (e) => e instanceof LimitError && e.code === 'E_LIMIT_RAR_KDF',
  );
  assert.throws(() => rar5Key('pw', { kdfCount: MAX_RAR_KDF_COUNT + 1, salt }), LimitError);
});

test('unrar: every 5th truncation point of a RAR5 with an AES member and of a RAR4 → never a throw, never a made-up member', async () => {
  for (const bytes of [
    buildRar5([
      { name: 'a.txt', data: 'A'.repeat(40) },
      { name: 'b.txt', data: 'secret', password: 'pw' },
    ]),
    buildRar4([{ name: 'a.txt', data: 'A'.repeat(40) }]),
  ]) {
    for (let cut = 0; cut < bytes.length; cut += 5) {
      const r = await extractRar(bytes.slice(0, cut), { ...all, password: 'pw' });
      // A cut inside the first header reads as an empty archive to unrar; parseRar reports it.
      assert.ok(
        r.members.every((m) => ['A'.repeat(40), 'secret'].includes(text(m.bytes))),
        `cut ${cut}`,
      );
    }
  }
});
