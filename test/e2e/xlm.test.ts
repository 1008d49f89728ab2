/**
 * Excel 4.0 macro droppers through the whole pipeline: content sniffing picks the container (.xls,
 * .xlsm, .xlsb, SYLK), the xlm engine decodes and emulates the macro, and the PowerShell command it
 * recovers comes back as a child that the PowerShell engine analyses in turn.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walkResults } from '../../src/core/index.js';
import { scanInput } from '../../src/pipeline/index.js';
import { buildXls, emotetXlmSpec, EMOTET_URL } from '../builders/biff.js';
import { buildSylk, emotetSylkSpec } from '../builders/sylk.js';
import { buildXlsb, buildXlsm } from '../builders/xlsm.js';

test('e2e xlm: the Emotet-style .xls is malicious and its PowerShell command is scanned as a child', async () => {
  const result = await scanInput({ path: 'invoice.xls', bytes: buildXls(emotetXlmSpec()) });
  assert.equal(result.type, 'ole');
  assert.equal(result.verdict, 'malicious');
  assert.ok(
    result.extracted.xlm.some((c) => c.cell === 'A5' && c.formula.startsWith('=EXEC("powershell')),
  );
  assert.ok(result.extracted.iocs.urls.includes(EMOTET_URL));
  const child = result.children.find((c) => c.relation === 'command');
  assert.equal(child?.path, 'invoice.xls!command-1.ps1');
  assert.equal(child?.type, 'powershell', 'handed to the PowerShell engine');
});

test('e2e xlm: .xlsm, .xlsb and SYLK droppers are detected from content and reported malicious', async () => {
  const inputs: [string, Uint8Array, string][] = [
    ['invoice.xlsm', buildXlsm(emotetXlmSpec()), 'ooxml'],
    ['invoice.xlsb', buildXlsb(emotetXlmSpec()), 'ooxml'],
    ['invoice.csv', buildSylk(emotetSylkSpec()), 'sylk'],
  ];
  for (const [path, bytes, type] of inputs) {
    const result = await scanInput({ path, bytes });
    assert.equal(result.type, type, path);
    assert.equal(result.verdict, 'malicious', path);
    const ids = [...walkResults(result)].flatMap(([r]) => r.findings.map((f) => f.id));
    assert.ok(ids.includes('xlm.autoexec-download'), path);
  }
});
