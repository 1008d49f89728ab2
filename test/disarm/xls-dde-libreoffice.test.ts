/**
 * A DDE link as LibreOffice itself writes it to Excel 97 (`=DDE("cmd";"/c …";"A0")` in a flat ODS
 * written here as text, converted to .xls: SUPBOOK, an OLE-flagged StdDocumentName EXTERNNAME and the
 * `A0` EXTERNNAME, a FORMULA cell with PtgNameX): found before, disarmed, re-scans clean, and the
 * disarmed copy converts back with LibreOffice to the same CSV and to a flat ODS without any DDE link.
 * Skipped, with the reason, when LibreOffice is missing (.ci/run installs libreoffice-calc-nogui).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { disarmInput, scanInput } from '../../src/pipeline/index.js';

const skip =
  spawnSync('libreoffice', ['--version'], { stdio: 'ignore' }).status === 0
    ? false
    : 'libreoffice not installed (apt-get install libreoffice-calc-nogui)';

const ODF = 'urn:oasis:names:tc:opendocument:xmlns';
const cell = (inner: string, attrs = 'office:value-type="string"') =>
  `<table:table-cell ${attrs}>${inner}</table:table-cell>`;
const FODS =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  `<office:document xmlns:office="${ODF}:office:1.0" xmlns:table="${ODF}:table:1.0" ` +
  `xmlns:text="${ODF}:text:1.0" xmlns:of="${ODF}:of:1.2" office:version="1.2" ` +
  'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet>' +
  '<table:table table:name="Sheet1"><table:table-row>' +
  cell('<text:p>emoguard fixture ledger 9</text:p>') +
  cell('<text:p>42</text:p>', 'office:value-type="float" office:value="42"') +
  cell(
    '<text:p>7</text:p>',
    'table:formula="of:=DDE(&quot;cmd&quot;;&quot;/c echo emoguard-test&quot;;&quot;A0&quot;)" ' +
      'office:value-type="float" office:value="7"',
  ) +
  cell(
    '<text:p>3</text:p>',
    'table:formula="of:=SUM(1;2)" office:value-type="float" office:value="3"',
  ) +
  '</table:table-row></table:table>' +
  '<table:table table:name="Data"><table:table-row>' +
  cell('<text:p>second sheet</text:p>') +
  '</table:table-row></table:table></office:spreadsheet></office:body></office:document>';

test(
  'a LibreOffice-written .xls DDE link is disarmed and the copy converts to the same CSV, without DDE',
  { skip, timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emoguard-xls-dde-'));
    try {
      const profile = pathToFileURL(join(dir, 'profile')).href;
      const convert = (to: string, files: string[]) =>
        execFileSync(
          'libreoffice',
          [
            `-env:UserInstallation=${profile}`,
            '--headless',
            '--convert-to',
            to,
            '--outdir',
            dir,
            ...files,
          ],
          { stdio: 'ignore', timeout: 120_000 },
        );
      writeFileSync(join(dir, 'book.fods'), FODS);
      convert('xls', [join(dir, 'book.fods')]);
      const bytes = new Uint8Array(readFileSync(join(dir, 'book.xls')));
      const before = await scanInput({ path: 'book.xls', bytes });
      assert.ok(
        before.findings.some((f) => f.id === 'office.dde-command-execution'),
        before.findings.map((f) => f.id).join(' '),
      );
      const report = await disarmInput({ path: 'book.xls', bytes });
      assert.equal(report.status, 'disarmed', `${report.refusal}: ${report.reason}`);
      assert.equal(report.rescan?.verdict, 'clean', 'the copy re-scans clean');
      assert.ok(
        report.removed.some(
          (r) => r.kind === 'dde-field' && r.detail === "=cmd|'/c echo emoguard-test'!A0",
        ),
        JSON.stringify(report.removed),
      );
      writeFileSync(join(dir, 'disarmed.xls'), report.output!);
      convert('csv', [join(dir, 'book.xls'), join(dir, 'disarmed.xls')]);
      convert('fods', [join(dir, 'disarmed.xls')]);
      const csv = (name: string) => readFileSync(join(dir, `${name}.csv`), 'utf8');
      assert.ok(csv('book').includes('emoguard fixture ledger 9'), csv('book'));
      assert.equal(csv('disarmed'), csv('book'), 'same cells and cached values');
      const flat = readFileSync(join(dir, 'disarmed.fods'), 'utf8');
      assert.ok(!/dde-|DDE\(|emoguard-test/.test(flat), 'LibreOffice sees no DDE link left');
      assert.ok(flat.includes('second sheet'), 'the second sheet opens');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
