import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildEvtx, type EvtxRecordSpec, eventRoot } from '../../../test/builders/evtx.js';
import { runCli } from '../../../test/support/cli-io.js';
import { sharedDataPath, sharedDataSkip } from '../../../test/support/fixtures.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

function proc(
  id: number,
  pid: number,
  parent: number,
  image: string,
  parentImage: string,
  cmd: string,
) {
  const time = new Date(Date.UTC(2024, 4, 1, 10, 0, id)).toISOString().replace('Z', '000Z');
  return {
    recordId: id,
    time,
    event: eventRoot({
      System: {
        EventID: 1,
        TimeCreated: { '#attributes': { SystemTime: time } },
        EventRecordID: id,
        Channel: SYSMON,
        Computer: pid < 5000 ? 'ws01.example.com' : `ws${pid % 3}.example.com`,
      },
      EventData: {
        ProcessGuid: `{5770385F-0000-0000-0000-${String(pid).padStart(12, '0')}}`,
        ProcessId: String(pid),
        Image: image,
        CommandLine: cmd,
        ParentProcessGuid: `{5770385F-0000-0000-0000-${String(parent).padStart(12, '0')}}`,
        ParentProcessId: String(parent),
        ParentImage: parentImage,
      },
    }),
    types: { 'Event.System.TimeCreated.#attributes.SystemTime': 'filetime' },
  } satisfies EvtxRecordSpec;
}

/** The Emotet chain spread over several chunks (each parsed by whichever worker is free), with filler. */
function multiChunkLog(): string {
  let id = 1;
  const filler = (n: number) =>
    Array.from({ length: n }, () => {
      const i = id++;
      return proc(
        i,
        5000 + i,
        4,
        'C:\\Windows\\System32\\svchost.exe',
        'C:\\Windows\\System32\\services.exe',
        `svchost -k ${i}`,
      );
    });
  const word = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE';
  const chunks = [
    {
      records: [
        ...filler(20),
        proc(id++, 1003, 900, word, 'C:\\Windows\\explorer.exe', 'WINWORD.EXE /n a.doc'),
      ],
    },
    {
      records: [
        ...filler(20),
        proc(
          id++,
          2003,
          1500,
          PS,
          'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
          'powershell -nop -c (New-Object Net.WebClient).DownloadFile($u, $f)',
        ),
      ],
    },
    { records: filler(20) },
    {
      records: [
        proc(
          id++,
          3003,
          2003,
          'C:\\Windows\\System32\\rundll32.exe',
          PS,
          'rundll32.exe C:\\ProgramData\\a.dll,Control_RunDLL',
        ),
        ...filler(20),
      ],
    },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-hunt-pool-'));
  const path = join(dir, 'multi.evtx');
  writeFileSync(path, buildEvtx({ chunks }));
  return path;
}

const db = () => join(mkdtempSync(join(tmpdir(), 'emoguard-hunt-pool-db-')), 'none.db');
const hunt = (workers: number, ...args: string[]) =>
  runCli(['hunt', '--no-store', '--db', db(), '--workers', String(workers), ...args]);

describe('hunt on all cores', () => {
  test('--workers 2 gives the same output, in the same order, as one thread (chain across chunks)', async () => {
    const path = multiChunkLog();
    const one = await hunt(1, '--json', '--tree', path);
    const two = await hunt(2, '--json', '--tree', path);
    assert.equal(two.code, one.code, two.stderr);
    assert.equal(two.stdout, one.stdout);
    assert.match(
      one.stdout,
      /"id":"office-wmi-powershell-payload"/,
      'the chain joins events of different chunks',
    );
    const text = await hunt(2, path);
    assert.match(
      text.stdout,
      /Hunted 1 file\(s\), 83 event\(s\)/,
      'events left in the workers are counted',
    );
    assert.equal(text.stdout, (await hunt(1, path)).stdout);
  });

  test('--workers outside 1..256 is refused', async () => {
    for (const bad of ['0', '257', 'x']) {
      const r = await runCli(['hunt', '--no-store', '--db', db(), '--workers', bad, 'x.evtx']);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--workers must be 1\.\.256/);
    }
  });

  test(
    'real samples: the same detections with 2 workers as with one',
    { skip: sharedDataSkip('evtx') },
    async () => {
      const dir = sharedDataPath('evtx');
      const one = await hunt(1, '--json', dir);
      const two = await hunt(2, '--json', dir);
      assert.equal(two.stdout, one.stdout);
      assert.ok(one.stdout.split('\n').length > 5, 'the samples have detections');
    },
  );
});
