/**
 * Cross-checks against images written by real tools (Debian genisoimage, mkfs.fat + mtools), when they
 * are installed (.ci/run installs them); skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseDiskImage, readExtents } from './index.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const skipIso = has('genisoimage')
  ? false
  : 'genisoimage not installed (apt-get install genisoimage)';
const skipFat =
  has('mkfs.fat') && has('mcopy')
    ? false
    : 'mkfs.fat/mcopy not installed (apt-get install dosfstools mtools)';
const dir = mkdtempSync(join(tmpdir(), 'emoguard-iso-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const tree = () => {
  const root = join(dir, 'tree');
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(root, 'Invoice 2022-04-25 long name.lnk'), 'shortcut');
  writeFileSync(join(root, 'sub', 'payload.dll'), 'inert'.repeat(1000));
  writeFileSync(join(root, 'sub', 'deeper', '請求書.txt'), 'テキスト');
  return root;
};

const listing = (bytes: Uint8Array) => {
  const image = parseDiskImage(bytes);
  const files = image.entries
    .filter((e) => !e.isDirectory)
    .map(
      (e) =>
        [e.path, new TextDecoder().decode(readExtents(bytes, e.extents, 1 << 20)).length] as const,
    )
    .sort((a, b) => a[0].localeCompare(b[0]));
  return { image, files };
};

const EXPECTED = [
  ['Invoice 2022-04-25 long name.lnk', 8],
  ['sub/deeper/請求書.txt', 4],
  ['sub/payload.dll', 5000],
];

for (const [label, flags, kind] of [
  ['Joliet', ['-J'], 'joliet'],
  ['Rock Ridge', ['-R'], 'rock-ridge'],
  ['Joliet + Rock Ridge + UDF bridge', ['-J', '-R', '-udf'], 'rock-ridge'],
] as const) {
  test(
    `iso peer: genisoimage ${label} image → every file with its content`,
    { skip: skipIso },
    () => {
      const out = join(dir, `${kind}-${flags.length}.iso`);
      execFileSync('genisoimage', [
        '-quiet',
        '-input-charset',
        'utf-8',
        '-V',
        'INVOICE',
        ...flags,
        '-o',
        out,
        tree(),
      ]);
      const { image, files } = listing(readFileSync(out));
      assert.equal(image.kind, kind);
      assert.deepEqual(image.anomalies, []);
      assert.deepEqual(files, EXPECTED);
      assert.equal(image.volumeLabel, 'INVOICE');
    },
  );
}

test(
  'iso peer: the UDF tree of a genisoimage bridge image, alone (ISO descriptors removed) → same files',
  { skip: skipIso },
  () => {
    const out = join(dir, 'udf.iso');
    execFileSync('genisoimage', [
      '-quiet',
      '-input-charset',
      'utf-8',
      '-V',
      'INVOICE',
      '-J',
      '-udf',
      '-o',
      out,
      tree(),
    ]);
    const bytes = new Uint8Array(readFileSync(out));
    // Sectors 16-18 are PVD, Joliet SVD and terminator; 19-21 BEA01/NSR02/TEA01. Keep only the UDF sequence.
    bytes.copyWithin(16 * 2048, 19 * 2048, 22 * 2048);
    bytes.fill(0, 19 * 2048, 22 * 2048);
    assert.equal(new TextDecoder().decode(bytes.subarray(0x8001, 0x8006)), 'BEA01'); // what sniffing keys on
    const { image, files } = listing(bytes);
    assert.equal(image.kind, 'udf');
    assert.deepEqual(image.filesystems, ['udf']);
    assert.deepEqual(image.anomalies, []);
    assert.deepEqual(files, EXPECTED);
  },
);

test(
  'fat peer: mkfs.fat FAT12 and FAT16 images filled by mcopy → every file with its content',
  { skip: skipFat },
  () => {
    for (const [size, kind] of [
      ['1440', 'fat12'],
      ['20480', 'fat16'],
    ] as const) {
      const img = join(dir, `${kind}.img`);
      rmSync(img, { force: true });
      execFileSync('mkfs.fat', ['-C', '-n', 'INVOICE', img, size], { stdio: 'ignore' });
      const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
      execFileSync(
        'mcopy',
        [
          '-s',
          '-i',
          img,
          join(tree(), 'Invoice 2022-04-25 long name.lnk'),
          join(tree(), 'sub'),
          '::/',
        ],
        { env },
      );
      const { image, files } = listing(readFileSync(img));
      assert.equal(image.kind, kind);
      assert.deepEqual(image.anomalies, []);
      assert.deepEqual(files, EXPECTED);
    }
  },
);
