import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCoverageMatrixFixture,
  HOSTILE_SCENARIO_TITLE,
} from '../../test/builders/coverage-matrix.js';
import { buildIncidentViewFixture } from '../../test/builders/incident-view.js';
import { assertGolden } from '../../test/support/golden.js';
import {
  buildIncidentReport,
  coverageHtml,
  coverageMarkdown,
  buildReport,
  renderHtml,
  renderIncidentHtml,
  renderIncidentMarkdown,
  renderJson,
  renderMarkdown,
} from './index.js';
import { openSqliteStore } from '../store/index.js';

const matrix = buildCoverageMatrixFixture();

describe('report: coverage matrix section', () => {
  test('coverage fixture: every category and a blocked cell occur (so the goldens show each mark)', () => {
    const cells = matrix.rows.flatMap((r) => matrix.layers.map((l) => r.cells[l]));
    for (const c of ['technique', 'tactic', 'general', 'telemetry', 'none', 'n/a'])
      assert.ok(
        cells.some((cell) => cell.category === c),
        c,
      );
    assert.ok(
      cells.some((cell) => cell.blocked),
      'a blocked cell',
    );
  });

  for (const lang of ['en', 'ja'] as const) {
    test(`coverage ${lang}: Markdown and HTML sections, golden`, () => {
      assertGolden(
        `${coverageMarkdown(matrix, lang).join('\n')}\n`,
        `src/report/testdata/coverage.${lang}.md`,
      );
      assertGolden(`${coverageHtml(matrix, lang)}\n`, `src/report/testdata/coverage.${lang}.html`);
    });
  }

  test('coverage: marks as the advisory (◎/○/△/×, +B) with the legend; hostile text is escaped', () => {
    const html = coverageHtml(matrix, 'en');
    for (const mark of ['◎ Tech', '○ Tact', '△ Gen', '△ Tele', '× None', '+B'])
      assert.ok(html.includes(mark), mark);
    assert.match(html, /Legend/);
    assert.equal(html.includes(HOSTILE_SCENARIO_TITLE), false, 'no raw markup in HTML');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'shown as text');
    const md = coverageMarkdown(matrix, 'en').join('\n');
    assert.ok(md.includes('\\<img src=x onerror=alert(1)\\> \\| thread hijack'), 'escaped in md');
    // Every table row has the same number of cells: the pipe in the title did not split its cell.
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    const cellsOf = (l: string) => l.split(/(?<!\\)\|/).length;
    assert.ok(
      rows.every((r) => cellsOf(r) === cellsOf(rows[0]!)),
      'aligned rows',
    );
  });

  test('coverage: without a matrix the reports have no coverage section', () => {
    assert.equal(coverageHtml(undefined, 'en'), '');
    assert.deepEqual(coverageMarkdown(undefined, 'ja'), []);
    const r = buildIncidentReport(buildIncidentViewFixture(), { runs: [], allHosts: [] }, {});
    assert.equal(r.coverage, undefined);
    assert.doesNotMatch(renderIncidentMarkdown(r), /Coverage matrix/);
    assert.doesNotMatch(renderIncidentHtml(r), /class="coverage"/);
  });

  test('coverage: the store-wide report shows the matrix after the techniques, in every format', async () => {
    const store = openSqliteStore(':memory:');
    try {
      await store.migrate();
      const model = await buildReport(store, { coverage: matrix });
      const md = renderMarkdown(model);
      assert.ok(md.indexOf('## Coverage matrix') > md.indexOf('## ATT&CK'), 'after the techniques');
      assert.match(renderHtml(model), /<section class="coverage"><h2>Coverage matrix<\/h2>/);
      assert.equal(JSON.parse(renderJson(model)).coverage.schema, 'emoguard.coverage/1');
      const without = await buildReport(store, {});
      assert.equal('coverage' in without, false, 'no matrix, no field');
    } finally {
      await store.close();
    }
  });

  test('coverage: the incident report carries the matrix in JSON and renders it in Japanese', () => {
    const r = buildIncidentReport(
      buildIncidentViewFixture(),
      { runs: [], allHosts: [] },
      {
        lang: 'ja',
        coverage: matrix,
      },
    );
    assert.deepEqual(JSON.parse(JSON.stringify(r)).coverage, JSON.parse(JSON.stringify(matrix)));
    assert.match(renderIncidentMarkdown(r), /## 検知範囲マトリクス/);
    assert.match(renderIncidentHtml(r), /<h2>検知範囲マトリクス<\/h2>/);
    assert.match(renderIncidentHtml(r), /凡例/);
  });
});
