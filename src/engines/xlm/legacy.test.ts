import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMOTET_COMMAND, EMOTET_URL } from '../../../test/builders/biff.js';
import {
  buildLegacySheet,
  buildLegacyWorkbook,
  legacyXlmSpec,
} from '../../../test/builders/biff-legacy.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { assertGolden } from '../../../test/support/golden.js';
import { verdictOf, type EngineOutput } from '../../core/index.js';
import { xlmEngine } from './index.js';

const analyse = (bytes: Uint8Array, name: string) =>
  xlmEngine.analyze(makeContext(bytes, { name }));

const ids = (out: EngineOutput) => out.findings?.map((f) => f.id) ?? [];

function summarise(out: EngineOutput) {
  const findings = out.findings ?? [];
  return {
    verdict: verdictOf(findings),
    findings: findings.map((f) => `${f.step} ${f.severity} ${f.id} ${f.attack.join(',')}`),
    evidence: Object.fromEntries(
      findings.map((f) => [f.id, f.evidence.map((e) => `${e.location ?? ''} | ${e.text ?? ''}`)]),
    ),
    xlm: out.extracted?.xlm?.map((c) => `${c.sheet}!${c.cell} ${c.formula}`),
    iocs: out.extracted?.iocs,
    children: out.children?.map((c) => `${c.relation} ${c.typeHint ?? '-'} ${c.name}`),
  };
}

test('xlm golden: a BIFF4 .xlm macro sheet (Excel 4.0) → malicious, EXEC command and URL', async () => {
  const out = await analyse(buildLegacySheet(4, legacyXlmSpec()), 'invoice.xlm');
  assertGolden(summarise(out), new URL('./testdata/emotet-biff4.xlm.out.json', import.meta.url));
});

for (const version of [2, 3, 4] as const) {
  test(`xlm: a BIFF${version} macro sheet's Auto_Open + FORMULA-written EXEC + CALL URLDownloadToFileA are recovered`, async () => {
    const out = await analyse(buildLegacySheet(version, legacyXlmSpec()), `m${version}.xls`);
    assert.equal(verdictOf(out.findings ?? []), 'malicious', `BIFF${version}`);
    for (const id of [
      'xlm.autoexec-entrypoint',
      'xlm.autoexec-execution-chain',
      'xlm.autoexec-download',
    ]) {
      assert.ok(ids(out).includes(id), `BIFF${version}: ${id} in ${ids(out).join(' ')}`);
    }
    assert.deepEqual(out.extracted?.iocs?.urls, [EMOTET_URL], `BIFF${version}`);
    const chain = out.findings?.find((f) => f.id === 'xlm.autoexec-execution-chain');
    const texts = chain?.evidence.map((e) => e.text ?? '').join('\n') ?? '';
    assert.ok(texts.includes(EMOTET_COMMAND), `BIFF${version}: the EXEC command line in ${texts}`);
  });
}

test('xlm: a BIFF4W workbook with a hidden macro sheet names it and follows its Auto_Open', async () => {
  const bytes = buildLegacyWorkbook({
    version: 4,
    sheets: [
      { name: 'Invoice', cells: [{ ref: 'A1', value: 'Enable macros' }] },
      { name: 'Macro1', state: 'hidden', ...legacyXlmSpec() },
    ],
  });
  const out = await analyse(bytes, 'book.xlw');
  assert.equal(verdictOf(out.findings ?? []), 'malicious');
  const entry = out.findings?.find((f) => f.id === 'xlm.autoexec-entrypoint');
  assert.match(entry?.evidence[0]?.text ?? '', /Auto_Open → Macro1!\$A\$1/);
  assert.ok(ids(out).includes('xlm.hidden-macro-sheet'), ids(out).join(' '));
});

test('xlm: a BIFF3 worksheet with ordinary formulas is no macro', async () => {
  const bytes = buildLegacySheet(3, { cells: [{ ref: 'A1', formula: 'SUM(1,2)', value: 3 }] });
  assert.deepEqual(await analyse(bytes, 'sum.xls'), { findings: [] });
});

test('xlm: a file with a BIFF2–4 BOF but nothing after it is reported, not thrown', async () => {
  const bytes = Uint8Array.from([0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00]);
  const out = await analyse(bytes, 'cut.xlm');
  assert.ok(ids(out).includes('scan.parse-error'), ids(out).join(' '));
});
