import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertGolden } from '../../../test/support/golden.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { isKnownTechnique, verdictOf, type EngineOutput } from '../../core/index.js';
import { vbaEngine, VBA_FINDINGS } from './index.js';

const dir = new URL('./testdata/', import.meta.url);

const analyse = async (bytes: Uint8Array, name = 'sample.vba') =>
  vbaEngine.analyze(makeContext(bytes, { name }));

/** What a reviewer checks in a golden file: verdict, findings, extracted IOCs and PowerShell, children. */
function summarise(out: EngineOutput) {
  const findings = out.findings ?? [];
  return {
    verdict: verdictOf(findings),
    findings: findings.map((f) => `${f.step} ${f.severity} ${f.id}`),
    iocs: out.extracted?.iocs,
    powershell: out.extracted?.powershell?.map((p) => p.decoded),
    children: out.children?.map((c) => `${c.relation} ${c.typeHint ?? '-'} ${c.name}`),
  };
}

for (const name of readdirSync(dir)
  .filter((f) => f.endsWith('.in.vba'))
  .sort()) {
  test(`vba golden: ${name}`, async () => {
    const bytes = readFileSync(new URL(name, dir));
    assertGolden(
      summarise(await analyse(bytes, name)),
      new URL(name.replace('.in.vba', '.out.json'), dir),
    );
  });
}

test('vba: every finding kind has a known ATT&CK technique and an engine-prefixed id', () => {
  for (const f of VBA_FINDINGS) {
    assert.match(f.def.id, /^vba\.[a-z0-9-]+$/);
    for (const t of f.def.attack) assert.ok(isKnownTechnique(t), `${f.def.id}: ${t}`);
  }
});

test('vba: evidence names the exact line that triggered the finding', async () => {
  const bytes = readFileSync(new URL('emotet-wmi.in.vba', dir));
  const wmi = (await analyse(bytes)).findings?.find((f) => f.id === 'vba.wmi-process-create');
  assert.equal(wmi?.evidence[0]?.line, 3);
  assert.match(wmi?.evidence[0]?.text ?? '', /GetObject\("winmgmts:/);
});

test('vba: a module of 50,000 self-appending junk lines is analysed within its limits', async () => {
  const junk = `Sub AutoOpen()\n${'x = x & Chr(65) & "a"\n'.repeat(50_000)}End Sub\n`;
  const out = await analyse(new TextEncoder().encode(junk));
  assert.ok(out.findings?.some((f) => f.id === 'vba.obfuscation'));
});
