/**
 * A process-memory dump through the whole pipeline with the bundled YARA rules: an injected loader in
 * private RWX memory holding its C2 table and P-256 keys, and dropper macro text in the heap. Every
 * layer reports with virtual addresses: memory.rwx-pe-region, emotet-config.c2-table (+ extracted
 * config), yara.match for the key pair and the macro.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatBytes } from '../../core/index.js';
import { createEmotetConfigEngine, emotetConfigEngine } from '../../engines/emotet-config/index.js';
import { createYaraEngine } from '../../engines/yara/index.js';
import { ENGINES, scanInput } from '../../pipeline/index.js';
import {
  buildC2Table,
  buildEccKeyBlob,
  seededBytes,
  testNetC2,
} from '../../../test/builders/emotet-config.js';
import {
  buildMinidump,
  buildPeHeader,
  MEM_IMAGE,
  MEM_PRIVATE,
  PAGE_EXECUTE_READ,
  PAGE_EXECUTE_READWRITE,
  PAGE_READWRITE,
} from '../../../test/builders/minidump.js';
import { loadYaraRules } from './index.js';

const MACRO =
  'Set p = GetObject("winmgmts:Win32_Process")\r\n' +
  'p.Create "powershell -nop -enc VwByAGkAdABlAC0ASABvAHMAdAAgAGgAaQA=", Null, Null, pid\r\n';

test('memory dump: injected loader, C2 table, keys and macro text are all reported with addresses', async () => {
  const loader = concatBytes([
    buildPeHeader(0x1000),
    seededBytes(0x200, 1),
    buildC2Table(testNetC2(9)),
    seededBytes(0x40, 2),
    buildEccKeyBlob('ECK1', 3),
    buildEccKeyBlob('ECS1', 4),
    seededBytes(0x300, 5),
  ]);
  const heap = concatBytes([seededBytes(0x800, 6), new TextEncoder().encode(MACRO)]);
  const { bytes } = buildMinidump({
    regions: [
      {
        va: 0x7ffb_2000_0000n,
        data: buildPeHeader(0x2000),
        protect: PAGE_EXECUTE_READ,
        type: MEM_IMAGE,
      },
      { va: 0x0230_0000n, data: loader, protect: PAGE_EXECUTE_READWRITE, type: MEM_PRIVATE },
      { va: 0x0055_0000n, data: heap, protect: PAGE_READWRITE, type: MEM_PRIVATE },
    ],
    modules: [
      { base: 0x7ffb_2000_0000n, size: 0x2000, name: 'C:\\Program Files\\Office\\WINWORD.EXE' },
    ],
  });
  // TEST-NET C2 addresses need the test-only plausibility option (see engines/emotet-config).
  const engines = [
    ...ENGINES.map((e) =>
      e === emotetConfigEngine ? createEmotetConfigEngine({ allowDocumentationRanges: true }) : e,
    ),
    createYaraEngine(loadYaraRules({ cacheDir: null }).scanner),
  ];
  const result = await scanInput({ path: 'WINWORD.dmp', bytes }, { engines });
  assert.equal(result.type, 'minidump');
  assert.equal(result.verdict, 'malicious');
  const byId = (id: string) => result.findings.filter((f) => f.id === id);
  assert.equal(byId('memory.rwx-pe-region')[0]?.evidence[0]?.text, 'MZ/PE header at 0x2300000');
  const c2 = byId('emotet-config.c2-table')[0];
  assert.equal(c2?.evidence.length, 10);
  assert.equal(c2?.evidence[0]?.note, 'va 0x2301200');
  const yara = byId('yara.match');
  assert.deepEqual(yara.map((f) => f.title).sort(), [
    'Emoguard_Emotet_ECC_P256_Key_Pair',
    'Emoguard_Macro_WMI_Win32_Process_Encoded_PowerShell',
  ]);
  const keys = yara.find((f) => f.title === 'Emoguard_Emotet_ECC_P256_Key_Pair')!;
  assert.equal(keys.step, '6');
  assert.match(
    keys.evidence[0]!.note!,
    /^va 0x23012\w+, PAGE_EXECUTE_READWRITE MEM_PRIVATE, region 0x2300000\+0x/,
  );
  const config = result.extracted.config[0] as { c2: string[]; epoch: string; keys: unknown[] };
  assert.equal(config.c2.length, 9);
  assert.equal(config.epoch, '4-5');
  assert.equal(config.keys.length, 2);
  assert.equal(result.extracted.iocs.ips.length, 9);
});
