/**
 * SYLK through the whole disarm path (`disarmInput`: disarm, then re-scan with every engine): the XLM
 * dropper in SYLK and a DDE cell come out as a values-only SYLK that re-scans clean.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../src/core/index.js';
import { MAX_LISTED_SYLK_FORMULAS } from '../../src/engines/disarm/sylk.js';
import { parseSylk } from '../../src/formats/sylk/index.js';
import { disarmInput, scanInput } from '../../src/pipeline/index.js';
import { buildSylk, emotetSylkSpec } from '../builders/sylk.js';

test('an XLM macro sheet in SYLK → values-only SYLK that re-scans clean, each removal listed', async () => {
  const input = buildSylk(emotetSylkSpec());
  const before = await scanInput({ path: 'invoice.slk', bytes: input });
  assert.equal(before.verdict, 'malicious', 'the input is the dropper the xlm engine knows');
  const report = await disarmInput({ path: 'invoice.slk', bytes: input });
  assert.equal(report.status, 'disarmed', `${report.refusal}: ${report.reason}`);
  assert.equal(report.inputType, 'sylk');
  assert.equal(report.outputType, 'sylk');
  assert.equal(report.rescan?.verdict, 'clean', JSON.stringify(report.rescan));
  assert.deepEqual(
    report.removed.map((r) => `${r.kind} ${r.location}`),
    [
      'macro-sheet line 2',
      'xlm-auto-name line 3',
      'macro-sheet line 4',
      'macro-sheet line 5',
      'macro-sheet line 6',
      'macro-sheet line 7',
    ],
  );
  assert.ok(
    report.findings.some((f) => f.id === 'disarm.active-content-removed'),
    'the outcome is reported as a finding',
  );
  const out = parseSylk(report.output!);
  assert.equal(out.cells.length, 6, 'every cell keeps its value');
});

test('a DDE formula in a SYLK worksheet → dde-field removed, cached value kept', async () => {
  const input = buildSylk({
    cells: [
      { y: 1, x: 1, value: 'Total' },
      { y: 1, x: 2, value: 0, formula: "cmd|'/c echo emoguard-inert'!A0" },
    ],
  });
  const report = await disarmInput({ path: 'table.slk', bytes: input });
  assert.equal(report.status, 'disarmed', report.reason);
  assert.equal(report.rescan?.verdict, 'clean', 'the copy re-scans clean');
  assert.deepEqual(
    report.removed.map((r) => r.kind),
    ['dde-field'],
  );
  assert.deepEqual(
    parseSylk(report.output!).cells.map((c) => c.value),
    ['Total', 0],
  );
});

test('a values-only SYLK → unchanged, the same bytes', async () => {
  const input = buildSylk({ cells: [{ y: 1, x: 1, value: 'plain' }] });
  const report = await disarmInput({ path: 'plain.slk', bytes: input });
  assert.equal(report.status, 'unchanged', report.reason);
  assert.deepEqual(report.output, input);
});

for (const count of [MAX_LISTED_SYLK_FORMULAS, MAX_LISTED_SYLK_FORMULAS + 5]) {
  test(`${count} formulas → ${Math.min(count, MAX_LISTED_SYLK_FORMULAS)} listed${count > MAX_LISTED_SYLK_FORMULAS ? ' and one summary' : ''}`, async () => {
    const cells = Array.from({ length: count }, (_, i) => ({
      y: i + 1,
      x: 1,
      value: i,
      formula: `R[-1]C+1`,
    }));
    const report = await disarmInput(
      { path: 'many.slk', bytes: buildSylk({ cells }) },
      { limits: DEFAULT_LIMITS },
    );
    assert.equal(report.status, 'disarmed', report.reason);
    const summary = report.removed.filter((r) => r.location === 'cells');
    assert.equal(report.removed.length, Math.min(count, MAX_LISTED_SYLK_FORMULAS) + summary.length);
    assert.equal(summary.length, count > MAX_LISTED_SYLK_FORMULAS ? 1 : 0);
    if (summary[0]) assert.equal(summary[0].detail, '5 more formulas removed (values kept)');
  });
}
