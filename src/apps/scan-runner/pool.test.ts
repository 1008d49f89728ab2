import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveLimits } from '../../core/index.js';
import { ScanPool } from './pool.js';

const WORKER = new URL('./testdata/misbehaving-worker.ts', import.meta.url);
const BROKEN = new URL('./testdata/broken-worker.ts', import.meta.url);

test('pool: a worker stuck past maxTimePerInputMs is terminated, and the next task still runs', async () => {
  const pool = new ScanPool(1, resolveLimits({ maxTimePerInputMs: 2000 }), WORKER);
  try {
    const [stuck, next] = await Promise.all([
      pool.run({ path: 'hang' }),
      pool.run({ path: 'after' }),
    ]);
    assert.equal(stuck.ok, false);
    assert.equal(!stuck.ok && stuck.code, 'E_LIMIT_TIME');
    assert.equal(!next.ok && next.message, 'after');
  } finally {
    await pool.close();
  }
});

test('pool: a task that finishes within maxTimePerInputMs is not stopped', async () => {
  const pool = new ScanPool(1, resolveLimits({ maxTimePerInputMs: 10_000 }), WORKER);
  try {
    const reply = await pool.run({ path: 'quick' });
    assert.equal(!reply.ok && reply.code, 'E_TEST_ECHO');
  } finally {
    await pool.close();
  }
});

test('pool: a worker that exits or throws is reported and replaced', async () => {
  const pool = new ScanPool(2, resolveLimits(), WORKER);
  try {
    const replies = await Promise.all(
      ['exit', 'throw', 'a', 'b', 'c'].map((path) => pool.run({ path })),
    );
    assert.deepEqual(
      replies.map((r) => (r.ok ? 'ok' : r.code)),
      [
        'E_SCAN_WORKER_CRASHED',
        'E_SCAN_WORKER_CRASHED',
        'E_TEST_ECHO',
        'E_TEST_ECHO',
        'E_TEST_ECHO',
      ],
    );
  } finally {
    await pool.close();
  }
});

test('pool: tasks published behind a stuck one are run by its replacement', async () => {
  const pool = new ScanPool(1, resolveLimits({ maxTimePerInputMs: 3000 }), WORKER);
  try {
    await pool.run({ path: 'warm-up' }); // the watchdog also covers a new worker's start-up
    const replies = await Promise.all(['a', 'hang', 'b', 'c'].map((path) => pool.run({ path })));
    assert.deepEqual(
      replies.map((r) => (r.ok ? 'ok' : `${r.code} ${r.code === 'E_TEST_ECHO' ? r.message : ''}`)),
      ['E_TEST_ECHO a', 'E_LIMIT_TIME ', 'E_TEST_ECHO b', 'E_TEST_ECHO c'],
    );
  } finally {
    await pool.close();
  }
});

test('pool: each queued task gets the whole maxTimePerInputMs from when its worker starts it', async () => {
  // Four inputs of 1,000 ms each on one worker: 4,000 ms in all, but none is over 2,500 ms.
  const pool = new ScanPool(1, resolveLimits({ maxTimePerInputMs: 2500 }), WORKER);
  try {
    await pool.run({ path: 'warm-up' }); // the watchdog also covers a new worker's start-up
    const replies = await Promise.all(
      ['busy-1000', 'busy-1000', 'busy-1000', 'busy-1000'].map((path) => pool.run({ path })),
    );
    assert.deepEqual(
      replies.map((r) => (r.ok ? 'ok' : r.code)),
      ['E_TEST_ECHO', 'E_TEST_ECHO', 'E_TEST_ECHO', 'E_TEST_ECHO'],
    );
  } finally {
    await pool.close();
  }
});

test('pool: tasks still queued when the pool closes are answered, not left pending', async () => {
  const pool = new ScanPool(1, resolveLimits({ maxTimePerInputMs: 10_000 }), WORKER);
  const replies = ['busy-300', 'x', 'y'].map((path) => pool.run({ path }));
  await new Promise((done) => setTimeout(done, 100));
  await pool.close();
  const settled = await Promise.all(replies);
  assert.ok(
    settled.every((r) => !r.ok),
    'every task is answered with an error after close',
  );
});

test('pool: a hang among many inputs on two workers: every other input is still scanned and answered', async () => {
  const pool = new ScanPool(2, resolveLimits({ maxTimePerInputMs: 2000 }), WORKER);
  try {
    const paths = Array.from({ length: 40 }, (_, i) => (i === 7 ? 'hang' : `busy-5-${i}`));
    const replies = await Promise.all(paths.map((path) => pool.run({ path })));
    assert.deepEqual(
      replies.map((r) => (r.ok ? 'ok' : r.code === 'E_TEST_ECHO' ? r.message : r.code)),
      paths.map((p) => (p === 'hang' ? 'E_LIMIT_TIME' : p)),
    );
  } finally {
    await pool.close();
  }
});

test('pool: a worker idle for longer than maxTimePerInputMs is not stopped when it gets work', async () => {
  const pool = new ScanPool(1, resolveLimits({ maxTimePerInputMs: 1000 }), WORKER);
  try {
    await pool.run({ path: 'warm-up' });
    await new Promise((done) => setTimeout(done, 1500));
    const replies = await Promise.all(['busy-600', 'busy-600'].map((path) => pool.run({ path })));
    assert.deepEqual(
      replies.map((r) => (r.ok ? 'ok' : r.code)),
      ['E_TEST_ECHO', 'E_TEST_ECHO'],
    );
  } finally {
    await pool.close();
  }
});

test('pool: bytes (standard input, SMTP) reach the worker whole, and the caller keeps its buffer', async () => {
  const pool = new ScanPool(2, resolveLimits(), WORKER);
  try {
    const bytes = new TextEncoder().encode('bytes:hello');
    const reply = await pool.run({ path: '-', bytes, size: 99 });
    assert.equal(!reply.ok && reply.message, 'bytes hello 99');
    assert.equal(bytes.length, 11, 'not transferred away');
  } finally {
    await pool.close();
  }
});

test('pool: a worker that cannot start fails the inputs one by one instead of restarting for ever', async () => {
  const pool = new ScanPool(2, resolveLimits(), BROKEN);
  try {
    const replies = await Promise.all(['a', 'b', 'c'].map((path) => pool.run({ path })));
    assert.deepEqual(
      replies.map((r) => (r.ok ? 'ok' : r.code)),
      ['E_SCAN_WORKER_CRASHED', 'E_SCAN_WORKER_CRASHED', 'E_SCAN_WORKER_CRASHED'],
    );
  } finally {
    await pool.close();
  }
});
