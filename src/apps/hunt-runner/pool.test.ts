import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedDataPath, sharedDataSkip } from '../../../test/support/fixtures.js';
import {
  huntNoStore,
  POWERSHELL as PS,
  processCreator,
  writeTempEvtx,
} from '../../../test/support/hunt-evtx.js';

const guid = (pid: number) => `{5770385F-0000-0000-0000-${String(pid).padStart(12, '0')}}`;

/** Filler (pid ≥ 5000) is spread over three hosts; the chain runs on ws01. */
const proc = processCreator(guid, {
  options: (pid) => ({ computer: pid < 5000 ? 'ws01.example.com' : `ws${pid % 3}.example.com` }),
});

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
  return writeTempEvtx('emoguard-hunt-pool-', 'multi.evtx', chunks);
}

const hunt = (workers: number, ...args: string[]) =>
  huntNoStore('emoguard-hunt-pool-db-', '--workers', String(workers), ...args);

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
      const r = await huntNoStore('emoguard-hunt-pool-db-', '--workers', bad, 'x.evtx');
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
