import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveLimits } from '../../core/index.js';
import { ScanPool } from './pool.js';

const WORKER = new URL('./testdata/misbehaving-worker.ts', import.meta.url);

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
