import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openSqliteStore } from '../../store/index.js';
import { fakeIO } from '../../../test/support/cli-io.js';
import { fillScenario } from '../../../test/support/incident-scenario.js';
import { correlateAfterStore } from './correlate-after.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-correlate-after-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('correlateAfterStore: opens incidents for stored findings and prints nothing', async () => {
  const store = openSqliteStore(join(dir, 'ok.db'));
  await store.migrate();
  await fillScenario(store);
  const { io, err } = fakeIO();
  await correlateAfterStore(store, io);
  assert.ok((await store.listIncidents()).length > 0, 'the pass opened incidents');
  assert.equal(err(), '');
  await store.close();
});

test('correlateAfterStore: a failing pass is reported on stderr, not thrown (the findings stay stored)', async () => {
  const store = openSqliteStore(join(dir, 'closed.db'));
  await store.migrate();
  await store.close(); // every query now fails
  const { io, err } = fakeIO();
  await correlateAfterStore(store, io);
  assert.match(err(), /correlation pass failed, findings are stored .*incident correlate/);
});
