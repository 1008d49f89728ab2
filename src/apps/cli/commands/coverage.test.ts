import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import {
  COVERAGE_LAYERS,
  renderCell,
  renderCoverageTable,
  type CoverageMatrix,
} from '../../../correlate/coverage/index.js';
import { runCli } from '../../../../test/support/cli-io.js';
import { assertGolden } from '../../../../test/support/golden.js';
import { simulateCoverage } from './coverage.js';

const GOLDEN = new URL('./testdata/', import.meta.url);
const io = { stdout: process.stdout, stderr: process.stderr, env: {} } as const;

/** One line per scenario: `id  mail=◎ Tech+B document=…`: the golden a reviewer reads cell by cell. */
function cellsOf(matrix: CoverageMatrix): string {
  return (
    matrix.rows
      .map(
        (row) =>
          `${row.scenario.id.padEnd(22)} ${COVERAGE_LAYERS.map(
            (l) => `${l}=${renderCell(row.cells[l], 'en')}`,
          ).join(' ')}`,
      )
      .join('\n') + '\n'
  );
}

describe('coverage: the simulation through every layer', () => {
  let matrix: CoverageMatrix;
  before(async () => {
    ({
      run: { matrix },
    } = await simulateCoverage(io));
  });

  test('each scenario yields its measured cells (golden: testdata/coverage-cells.out.txt)', () => {
    assertGolden(cellsOf(matrix), new URL('coverage-cells.out.txt', GOLDEN));
  });

  test('the table in English and Japanese (golden)', () => {
    assertGolden(renderCoverageTable(matrix, 'en'), new URL('coverage-table.en.out.txt', GOLDEN));
    assertGolden(renderCoverageTable(matrix, 'ja'), new URL('coverage-table.ja.out.txt', GOLDEN));
  });

  test('every sub-step of ①…⑥ and post is simulated, each in at least one layer', () => {
    const steps = new Set(matrix.rows.map((r) => r.scenario.step));
    assert.deepEqual([...steps], ['1', '2', '3', '4', '5', '6', 'post']);
    for (const row of matrix.rows) {
      assert.ok(
        COVERAGE_LAYERS.some((l) => row.cells[l].category !== 'n/a'),
        `${row.scenario.id} has no input in any layer`,
      );
    }
  });

  test('cells come from what the engines returned: the findings behind a technique cell name it', () => {
    for (const row of matrix.rows) {
      for (const layer of COVERAGE_LAYERS) {
        const cell = row.cells[layer];
        if (cell.category !== 'technique') continue;
        assert.ok(
          cell.findings.some((f) => f.category === 'technique'),
          `${row.scenario.id}/${layer}`,
        );
      }
    }
    const mail = matrix.rows.find((r) => r.scenario.id === '1-invoice-attachment')!.cells.mail;
    assert.equal(mail.blocked?.action, 'quarantine');
    assert.ok(mail.findings.some((f) => f.id === 'mail.office-attachment'));
  });
});

describe('cli: coverage', () => {
  test('--json, --navigator and --ocsf write the matrix, a 4.5 layer and OCSF 2004 lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emoguard-coverage-'));
    const nav = join(dir, 'layer.json');
    const ocsf = join(dir, 'findings.jsonl');
    const r = await runCli(['coverage', '--json', '--no-yara', '--navigator', nav, '--ocsf', ocsf]);
    assert.equal(r.code, 0, r.stderr);
    const matrix = JSON.parse(r.stdout) as CoverageMatrix;
    assert.equal(matrix.schema, 'emoguard.coverage/1');
    assert.ok(matrix.rows.length >= 15);
    const layer = JSON.parse(readFileSync(nav, 'utf8')) as Record<string, unknown>;
    assert.deepEqual((layer.versions as { layer: string }).layer, '4.5');
    assert.equal(layer.domain, 'enterprise-attack');
    const lines = readFileSync(ocsf, 'utf8').trim().split('\n');
    assert.ok(lines.length > 20);
    for (const line of lines)
      assert.equal((JSON.parse(line) as { class_uid: number }).class_uid, 2004);
  });

  test('an unknown --lang is an error (exit 2) before anything runs', async () => {
    const r = await runCli(['coverage', '--lang', 'fr']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_CONFIG_LANG|ja or en/);
  });
});
