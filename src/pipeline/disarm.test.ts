import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  cleanDocx,
  FAKE_DISARMERS,
  LAZY_DISARMERS,
  macroDocm,
} from '../../test/support/disarm-fakes.js';
import { buildRtf } from '../../test/builders/rtf.js';
import { disarmInput } from './disarm.js';

describe('disarmInput (disarm, then re-scan)', () => {
  test('a disarmed copy that re-scans clean is kept, with a finding per removal', async () => {
    const report = await disarmInput(
      { path: 'invoice.docm', bytes: macroDocm() },
      { disarmers: FAKE_DISARMERS },
    );
    assert.equal(report.status, 'disarmed');
    assert.equal(report.outputExtension, '.docx');
    assert.deepEqual(report.rescan, { verdict: 'clean', findings: [] });
    assert.deepEqual(report.output, cleanDocx());
    assert.equal(report.findings[0]!.id, 'disarm.active-content-removed');
    assert.deepEqual(report.findings[0]!.evidence, [
      { location: 'word/vbaProject.bin', text: 'vba-project', note: 'Module1' },
    ]);
  });

  test('a copy that still scans malicious → refused rescan-not-clean, no output', async () => {
    const report = await disarmInput(
      { path: 'invoice.docm', bytes: macroDocm() },
      { disarmers: LAZY_DISARMERS },
    );
    assert.equal(report.status, 'refused');
    assert.equal(report.refusal, 'rescan-not-clean');
    assert.equal(report.output, undefined);
    assert.equal(report.rescan!.verdict, 'malicious');
    assert.match(report.reason!, /still scans malicious \(.*vba\.autoexec-execution-chain/);
    assert.equal(report.findings[0]!.id, 'disarm.refused');
  });

  test('an unchanged clean document passes the re-scan as unchanged', async () => {
    const docx = cleanDocx();
    const report = await disarmInput(
      { path: 'memo.docx', bytes: docx },
      { disarmers: LAZY_DISARMERS },
    );
    assert.equal(report.status, 'unchanged');
    assert.deepEqual(report.output, docx);
    assert.deepEqual(report.findings, []);
  });

  test('encrypted → refused encrypted (the policy decides), not re-scanned', async () => {
    const report = await disarmInput(
      { path: 'locked.doc', bytes: buildRtfAsOle() },
      { disarmers: { rtf: FAKE_DISARMERS.ole! } },
    );
    assert.deepEqual([report.status, report.refusal], ['refused', 'encrypted']);
    assert.equal(report.rescan, undefined);
    assert.equal(report.findings[0]!.evidence[0]!.text, 'encrypted');
  });
});

function buildRtfAsOle(): Uint8Array {
  return buildRtf({ body: 'locked' });
}
