import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCoverageMatrixFixture } from '../../../test/builders/coverage-matrix.js';
import { Client, PASSWORDS, startDashboard } from '../../../test/support/dashboard.js';

async function downloadMd(coverage: () => Promise<ReturnType<typeof buildCoverageMatrixFixture>>) {
  const d = await startDashboard({ app: { coverage } });
  try {
    const c = new Client(d.url);
    assert.equal((await c.login('viewer', PASSWORDS.viewer)).status, 303, 'login');
    const res = await c.request(`/incidents/${d.incidentId}/report?format=md&lang=ja`);
    assert.equal(res.status, 200, 'report status');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment;/);
    return await res.text();
  } finally {
    await d.close();
  }
}

test('dashboard report: the downloaded incident report ends with the server’s coverage matrix', async () => {
  const md = await downloadMd(async () => buildCoverageMatrixFixture());
  assert.match(md, /## 検知範囲マトリクス/);
  assert.match(md, /\| ④ \| WMI 経由で PowerShell 起動 \(T1047\) \|/);
});

test('dashboard report: a coverage run that fails leaves the section out, not the report', async () => {
  const md = await downloadMd(async () => {
    throw new Error('simulation failed');
  });
  assert.match(md, /^# /);
  assert.doesNotMatch(md, /検知範囲マトリクス/);
});
