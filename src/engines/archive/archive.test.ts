import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import {
  LimitError,
  resolveLimits,
  sha256Hex,
  type AnalysisContext,
  type EngineOutput,
  type FileType,
  type Limits,
} from '../../core/index.js';
import {
  buildEncryptedZip,
  buildManyMembersZip,
  buildZip,
  buildZipBomb,
} from '../../../test/builders/zip.js';
import { listZip } from '../../formats/zip/index.js';
import { ARCHIVE_PASSWORDS_MEMO, archiveEngine } from './index.js';

interface CtxOptions {
  type?: FileType;
  name?: string;
  limits?: Partial<Limits>;
  remaining?: number;
  memo?: Record<string, unknown>;
}

/** A hand-built AnalysisContext: fixed byte budget, no deadline, memo seeded from `memo`. */
function makeCtx(bytes: Uint8Array, options: CtxOptions = {}): AnalysisContext {
  const limits = resolveLimits(options.limits ?? {});
  const memos = new Map<string, unknown>(Object.entries(options.memo ?? {}));
  return {
    artifact: {
      path: `/in/${options.name ?? 'a.zip'}`,
      name: options.name ?? 'a.zip',
      sha256: sha256Hex(bytes),
      size: bytes.length,
      type: options.type ?? 'zip',
      depth: 0,
    },
    bytes,
    limits,
    memo<T>(key: string, compute: () => T): T {
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
    checkDeadline() {},
    remainingBytes: () => options.remaining ?? limits.maxTotalBytes,
  };
}

const run = async (bytes: Uint8Array, options?: CtxOptions): Promise<EngineOutput> =>
  archiveEngine.analyze(makeCtx(bytes, options));
const ids = (out: EngineOutput) => (out.findings ?? []).map((f) => f.id);
const names = (out: EngineOutput) => (out.children ?? []).map((c) => c.name);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

test('archive: declares archive.* findings with known ATT&CK ids', () => {
  assert.deepEqual(
    archiveEngine.findings.map((f) => f.def.id),
    ['archive.encrypted-member', 'archive.padded-member'],
  );
  assert.deepEqual(archiveEngine.types, ['zip', 'gzip']);
});

test('archive: zip members become children (directories skipped), with relation and compressed size', async () => {
  const out = await run(
    buildZip([
      { name: 'docs/', data: '' },
      { name: 'docs/invoice.doc', data: 'inert document text' },
      { name: 'readme.txt', data: 'hi', method: 'store' },
    ]),
  );
  assert.deepEqual(ids(out), []);
  assert.deepEqual(names(out), ['docs/invoice.doc', 'readme.txt']);
  const [first] = out.children ?? [];
  assert.equal(first?.relation, 'member');
  assert.equal(text(first!.bytes), 'inert document text');
  assert.equal(out.children?.[1]?.compressedSize, 2);
});

// Stored 10-byte members whose directory declares `10 * ratio` bytes: the ratio check reads only the claim.
const ratioZip = (ratio: number) =>
  buildZip([
    {
      name: 'claim.bin',
      data: 'x'.repeat(10),
      method: 'store',
      declaredUncompressedSize: 10 * ratio,
    },
    { name: 'next.txt', data: 'still scanned' },
  ]);

test('archive: declared ratio exactly maxRatio → member extracted (its size lie is only a parse note)', async () => {
  const out = await run(ratioZip(50), { limits: { maxRatio: 50 } });
  assert.ok(!ids(out).includes('scan.limit-exceeded'), ids(out).join());
  assert.deepEqual(names(out), ['claim.bin', 'next.txt']);
});

test('archive: real deflate data, maxRatio just above / just below its ratio → extracted / skipped', async () => {
  const zip = buildZip([{ name: 'text.txt', data: 'emoguard '.repeat(2000) }]);
  const ratio = (2000 * 9) / (await listZip(zip)).entries[0]!.compressedSize;
  const under = await run(zip, { limits: { maxRatio: Math.ceil(ratio) } });
  assert.deepEqual([ids(under), names(under)], [[], ['text.txt']]);
  const over = await run(zip, { limits: { maxRatio: Math.floor(ratio) } });
  assert.deepEqual([ids(over), names(over)], [['scan.limit-exceeded'], []]);
});

test('archive: declared ratio just over maxRatio → the real bytes are read under the ratio cap, the lie noted', async () => {
  const out = await run(ratioZip(51), { limits: { maxRatio: 50 } });
  assert.deepEqual(ids(out), ['scan.parse-error']);
  assert.match(out.findings?.[0]?.evidence[0]?.text ?? '', /E_ZIP_SIZE_MISMATCH/);
  assert.deepEqual(names(out), ['claim.bin', 'next.txt']);
  assert.equal(out.children?.[0]?.bytes.length, 10);
});

test('archive: 50 MiB zip bomb of zeros → defused: the padding is cut, the member is flagged', async () => {
  const out = await run(buildZipBomb());
  assert.deepEqual(ids(out), ['archive.padded-member']);
  assert.deepEqual(names(out), ['zeros.bin']);
  assert.equal(out.children?.[0]?.bytes.length, 0);
  assert.match(out.findings?.[0]?.evidence[0]?.note ?? '', /^52428800 bytes of 0x00 padding cut/);
});

test('archive: a bomb that is not padding stops at compressedSize × maxRatio kept bytes', async () => {
  const out = await run(buildZip([{ name: 'ab.bin', data: 'AB'.repeat(2_000_000) }]));
  assert.deepEqual(ids(out), ['scan.limit-exceeded']);
  assert.deepEqual(names(out), []);
});

test('archive: a document padded with 5 MiB of zeros (Emotet 2023) → the document itself is the child', async () => {
  const doc = new TextEncoder().encode(
    'Sub AutoOpen()\r\n  Shell "cmd /c echo inert"\r\nEnd Sub\r\n',
  );
  const padded = new Uint8Array(doc.length + 5 * 1024 * 1024);
  padded.set(doc);
  const out = await run(buildZip([{ name: 'invoice.doc', data: padded }]));
  assert.deepEqual(ids(out), ['archive.padded-member']);
  assert.deepEqual(out.children?.[0]?.bytes, doc);
});

test('archive: member count at maxMembers → all extracted; one over → limit finding, rest skipped', async () => {
  const at = await run(buildManyMembersZip(5), { limits: { maxMembers: 5 } });
  assert.deepEqual([ids(at), names(at).length], [[], 5]);
  const over = await run(buildManyMembersZip(6), { limits: { maxMembers: 5 } });
  assert.deepEqual([ids(over), names(over).length], [['scan.limit-exceeded'], 5]);
  assert.match(over.findings?.[0]?.evidence[0]?.text ?? '', /E_LIMIT_MEMBERS/);
});

test('archive: member size at maxFileSize → extracted; one byte over → skipped, named maxFileSize', async () => {
  const zip = buildZip([
    { name: 'big.bin', data: 'y'.repeat(1000) },
    { name: 'small.txt', data: 'ok' },
  ]);
  const at = await run(zip, { limits: { maxFileSize: 1000 } });
  assert.deepEqual([ids(at), names(at)], [[], ['big.bin', 'small.txt']]);
  const over = await run(zip, { limits: { maxFileSize: 999 } });
  assert.deepEqual([ids(over), names(over)], [['scan.limit-exceeded'], ['small.txt']]);
  assert.equal(over.findings?.[0]?.evidence[0]?.note, 'maxFileSize = 999');
});

test('archive: the directory lies low about sizes → the cap holds on real output', async () => {
  const zip = buildZip([
    { name: 'liar.bin', data: new Uint8Array(2_000_000), declaredUncompressedSize: 10 },
  ]);
  const out = await run(zip, { limits: { maxFileSize: 1_000_000 } });
  assert.deepEqual([ids(out), names(out)], [['scan.limit-exceeded'], []]);
});

test('archive: remaining byte budget is shared by members; exhausted → one finding for the rest', async () => {
  const zip = buildZip([
    { name: 'a.txt', data: 'a'.repeat(60) },
    { name: 'b.txt', data: 'b'.repeat(60) },
    { name: 'c.txt', data: 'c'.repeat(60) },
  ]);
  const out = await run(zip, { remaining: 120 });
  assert.deepEqual(names(out), ['a.txt', 'b.txt']);
  assert.deepEqual(ids(out), ['scan.limit-exceeded']);
  assert.match(out.findings?.[0]?.evidence[0]?.text ?? '', /E_LIMIT_TOTAL_BYTES/);
  const tight = await run(zip, { remaining: 100 });
  assert.deepEqual(names(tight), ['a.txt']);
  // The member read is capped at what is left of the budget (40 bytes), named after maxTotalBytes.
  assert.equal(tight.findings?.[0]?.evidence[0]?.note, 'maxTotalBytes = 40');
});

for (const encryption of ['zipcrypto', 'aes'] as const) {
  test(`archive: ${encryption} members without a password → archive.encrypted-member, never clean`, async () => {
    const zip = await buildEncryptedZip(
      [
        { name: 'invoice.doc', data: 'locked' },
        { name: 'photo.jpg', data: 'locked too' },
      ],
      { password: 'infected', encryption },
    );
    const out = await run(zip);
    assert.deepEqual(ids(out), ['archive.encrypted-member']);
    const finding = out.findings![0]!;
    assert.deepEqual([finding.severity, finding.step, finding.attack], ['medium', '1', ['T1027']]);
    assert.deepEqual(
      finding.evidence.map((e) => e.location),
      ['invoice.doc', 'photo.jpg'],
    );
    assert.deepEqual(names(out), []);
  });

  test(`archive: ${encryption} members open with a candidate password from the memo`, async () => {
    const zip = await buildEncryptedZip([{ name: 'invoice.doc', data: 'unlocked' }], {
      password: 'infected',
      encryption,
    });
    const out = await run(zip, { memo: { [ARCHIVE_PASSWORDS_MEMO]: ['wrong', 'infected'] } });
    assert.deepEqual(ids(out), []);
    assert.equal(text(out.children![0]!.bytes), 'unlocked');
  });
}

test('archive: not a zip → scan.parse-error, no children, no throw', async () => {
  const out = await run(new TextEncoder().encode('MZ this is not an archive'));
  assert.deepEqual([ids(out), names(out)], [['scan.parse-error'], []]);
});

test('archive: truncated zip → members recovered, anomaly as scan.parse-error', async () => {
  const zip = buildZip([{ name: 'a.txt', data: 'recover me' }]);
  const out = await run(zip.slice(0, zip.length - 30));
  assert.deepEqual([ids(out), names(out)], [['scan.parse-error'], ['a.txt']]);
});

test('gzip: content becomes one child named from FNAME or the parent name', async () => {
  const plain = gzipSync(new TextEncoder().encode('inert payload'));
  const out = await run(plain, { type: 'gzip', name: 'report.txt.gz' });
  assert.deepEqual([ids(out), names(out)], [[], ['report.txt']]);
  assert.equal(text(out.children![0]!.bytes), 'inert payload');
  // FNAME (RFC 1952 §2.3.1): set flag bit 3 and insert a zero-terminated name after the header.
  const named = new Uint8Array([
    ...plain.subarray(0, 10),
    ...new TextEncoder().encode('inv.doc\0'),
    ...plain.subarray(10),
  ]);
  named[3] = 0x08;
  assert.deepEqual(names(await run(named, { type: 'gzip', name: 'x.gz' })), ['inv.doc']);
});

test('gzip: output at maxFileSize → extracted; one byte over → scan.limit-exceeded', async () => {
  const gz = gzipSync(new Uint8Array(1000).fill(1), { level: 1 });
  const limits = { maxRatio: 1000 };
  assert.equal(
    (await run(gz, { type: 'gzip', limits: { ...limits, maxFileSize: 1000 } })).children?.length,
    1,
  );
  const over = await run(gz, { type: 'gzip', limits: { ...limits, maxFileSize: 999 } });
  assert.deepEqual([ids(over), names(over)], [['scan.limit-exceeded'], []]);
});

test('gzip: bomb → stopped at maxRatio × its size of real output, whatever ISIZE claims', async () => {
  const bomb = gzipSync(new Uint8Array(20_000_000));
  const liar = bomb.slice();
  liar.set([1, 0, 0, 0], liar.length - 4); // ISIZE = 1
  for (const gz of [bomb, liar]) {
    const out = await run(gz, { type: 'gzip' });
    assert.deepEqual([ids(out), names(out)], [['scan.limit-exceeded'], []]);
    assert.match(out.findings![0]!.evidence[0]!.text ?? '', /E_LIMIT_RATIO/);
  }
});

test('gzip: real ratio just under maxRatio → extracted; just over → E_LIMIT_RATIO', async () => {
  const gz = gzipSync(new TextEncoder().encode('emoguard '.repeat(2000)));
  const ratio = (2000 * 9) / gz.length;
  assert.deepEqual(
    ids(await run(gz, { type: 'gzip', limits: { maxRatio: Math.ceil(ratio) } })),
    [],
  );
  const over = await run(gz, { type: 'gzip', limits: { maxRatio: Math.floor(ratio) } });
  assert.match(over.findings![0]!.evidence[0]!.text ?? '', /E_LIMIT_RATIO/);
});

test('gzip: concatenated members, trailing junk and truncation → content kept, anomalies reported', async () => {
  const a = gzipSync(new TextEncoder().encode('one '));
  const b = gzipSync(new TextEncoder().encode('two'));
  const multi = await run(new Uint8Array([...a, ...b]), { type: 'gzip' });
  assert.deepEqual([ids(multi), text(multi.children![0]!.bytes)], [[], 'one two']);
  const junk = await run(new Uint8Array([...a, ...new TextEncoder().encode('JUNK')]), {
    type: 'gzip',
  });
  assert.deepEqual([ids(junk), text(junk.children![0]!.bytes)], [['scan.parse-error'], 'one ']);
  const big = gzipSync(new TextEncoder().encode('abcdefgh'.repeat(200)));
  const cut = await run(big.slice(0, big.length - 12), { type: 'gzip' });
  assert.deepEqual(ids(cut), ['scan.parse-error']);
  assert.ok((cut.children?.[0]?.bytes.length ?? 0) > 0);
  const notGzip = await run(new Uint8Array([0x1f, 0x8b, 0x09, 0, 0, 0, 0, 0, 0, 0]), {
    type: 'gzip',
  });
  assert.deepEqual([ids(notGzip), names(notGzip)], [['scan.parse-error'], []]);
});

test('archive: deadline passed mid-archive → members read so far kept, E_LIMIT_TIME finding', async () => {
  const ctx = makeCtx(buildManyMembersZip(4));
  let calls = 0;
  const timed: AnalysisContext = {
    ...ctx,
    memo: ctx.memo.bind(ctx),
    checkDeadline() {
      if (++calls > 2)
        throw new LimitError('E_LIMIT_TIME', 'too slow', { limit: 'maxTimePerArtifactMs', max: 1 });
    },
  };
  const out = await archiveEngine.analyze(timed);
  assert.deepEqual([ids(out), names(out)], [['scan.limit-exceeded'], ['f0.txt', 'f1.txt']]);
  assert.match(out.findings![0]!.evidence[0]!.text ?? '', /E_LIMIT_TIME/);
});
