/**
 * The BIFF2–4 builder: what it writes reads back through `parseLegacyWorkbook`, is sniffed as
 * `biff`, and is accepted by a real reader — LibreOffice converts the files to CSV with the values
 * and recalculated formulas the builder meant (skipped, with the reason, when soffice is missing).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { parseLegacyWorkbook } from '../../src/formats/biff/index.js';
import { sniffType } from '../../src/formats/sniff/index.js';
import {
  buildLegacySheet,
  legacyExternRef,
  legacyXlmSpec,
  type LegacySheetSpec,
} from './biff-legacy.js';

const VALUES: LegacySheetSpec = {
  cells: [
    { ref: 'A1', value: 'invoice' },
    { ref: 'B1', value: 42.5 },
    { ref: 'A2', formula: 'B1*2', value: 85 },
    { ref: 'B2', formula: 'IF(B1>1,"big","small")', value: 'big' },
    { ref: 'C2', formula: 'LEN(A1)&"x"', value: '7x' },
    { ref: 'A3', formula: 'SUM(B1,1,2)', value: 45.5 },
  ],
};

test('builder biff-legacy: every version reads back cell for cell and sniffs as biff', () => {
  for (const v of [2, 3, 4] as const) {
    const bytes = buildLegacySheet(v, VALUES);
    assert.equal(sniffType(bytes), 'biff', `BIFF${v}`);
    const cells = parseLegacyWorkbook(bytes).sheets[0]!.cells.map((c) => ({
      formula: c.formula,
      value: c.value,
    }));
    assert.deepEqual(
      cells,
      VALUES.cells.map((c) => ({ formula: c.formula, value: c.value })),
      `BIFF${v}`,
    );
    assert.equal(sniffType(buildLegacySheet(v, legacyXlmSpec())), 'biff', `BIFF${v} macro sheet`);
  }
});

const hasSoffice = spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0;

test(
  'builder biff-legacy: LibreOffice reads the BIFF2, BIFF3 and BIFF4 files with their values and formulas',
  {
    skip: hasSoffice ? false : 'soffice not installed (apt-get install libreoffice-calc-nogui)',
    timeout: 120_000,
  },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'emoguard-biff-legacy-'));
    try {
      const files = ([2, 3, 4] as const).map((v) => {
        const path = join(dir, `b${v}.xls`);
        writeFileSync(path, buildLegacySheet(v, VALUES));
        return path;
      });
      const profile = pathToFileURL(join(dir, 'profile')).href;
      const run = spawnSync(
        'soffice',
        [
          `-env:UserInstallation=${profile}`,
          '--headless',
          '--convert-to',
          'csv',
          '--outdir',
          dir,
        ].concat(files),
        { encoding: 'utf8', timeout: 110_000 },
      );
      assert.equal(run.status, 0, run.stderr);
      for (const v of [2, 3, 4]) {
        const csv = readFileSync(join(dir, `b${v}.csv`), 'utf8')
          .trim()
          .split(/\r?\n/);
        assert.deepEqual(csv, ['invoice,42.5,', '85,big,7x', '45.5,,'], `BIFF${v}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('builder biff-legacy: link tables (EXTERNSHEET + EXTERNNAME) and PtgSheet … PtgEndSheet read back in BIFF2, 3 and 4', () => {
  for (const v of [2, 3, 4] as const) {
    const bytes = buildLegacySheet(v, {
      externSheets: [
        {
          dde: { application: 'cmd', topic: '/c echo inert' },
          names: [{ name: 'A0' }, { name: 'B0' }],
        },
        { document: '\u0003Other' },
      ],
      cells: [
        { ref: 'A1', rgce: legacyExternRef(v, 1, { name: 2 }) },
        { ref: 'A2', rgce: legacyExternRef(v, 2, { rgce: Uint8Array.of(0x44, 0, 0xc0, 1) }) },
      ],
    });
    const book = parseLegacyWorkbook(bytes);
    assert.deepEqual(
      book.sheets[0]!.cells.map((c) => c.formula),
      ["cmd|'/c echo inert'!B0", 'Other!B1'],
      `BIFF${v}`,
    );
    assert.deepEqual(
      book.ddeLinks.map((l) => [l.item, l.cells]),
      [
        ['A0', []],
        ['B0', ['A1']],
      ],
      `BIFF${v}`,
    );
  }
});
