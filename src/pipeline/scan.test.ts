import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  defineFinding,
  FormatError,
  resolveLimits,
  walkResults,
  type Engine,
  type EngineOutput,
  type Limits,
  type ScanResult,
} from '../core/index.js';
import { scanInput } from './index.js';

const text = (s: string) => new TextEncoder().encode(s);
const critical = defineFinding({
  id: 'test.critical',
  title: 't',
  severity: 'critical',
  step: '4',
  attack: [],
  description: '',
});
const info = defineFinding({
  id: 'test.info',
  title: 't',
  severity: 'info',
  step: '2',
  attack: [],
  description: '',
});

function engine(analyze: Engine['analyze'], types: Engine['types'] = ['text']): Engine {
  return { name: 'test', types, findings: [], analyze };
}

async function scan(
  engines: Engine[],
  limits: Partial<Limits> = {},
  bytes = text('plain text'),
): Promise<ScanResult> {
  return scanInput({ path: 'in.txt', bytes }, { engines, limits: resolveLimits(limits) });
}

const limitCodes = (r: ScanResult) =>
  [...walkResults(r)].flatMap(([n]) =>
    n.findings
      .filter((f) => f.id === 'scan.limit-exceeded')
      .map((f) => f.evidence[0]?.text?.split(':')[0]),
  );
const nodes = (r: ScanResult) => [...walkResults(r)].length;

/** An engine that returns `n` children of `size` bytes each, at every level (a recursive container). */
const fanOut = (
  n: number,
  size = 4,
  extra: Partial<EngineOutput['children'] extends (infer C)[] | undefined ? C : never> = {},
) =>
  engine(() => ({
    children: Array.from({ length: n }, (_, i) => ({
      name: `c${i}`,
      bytes: text('x'.repeat(size - 1) + String(i % 10)),
      relation: 'member',
      ...extra,
    })),
  }));

describe('pipeline limits, each side', () => {
  test('maxDepth: a self-nesting container stops at the limit with E_LIMIT_DEPTH', async () => {
    const r = await scan([fanOut(1)], { maxDepth: 3 });
    assert.equal(nodes(r), 4); // depths 0..3
    assert.deepEqual(limitCodes(r), ['E_LIMIT_DEPTH']);
  });

  test('maxMembers: at the limit all children are scanned; one over reports E_LIMIT_MEMBERS', async () => {
    const flat = engine((ctx) =>
      ctx.artifact.depth === 0
        ? {
            children: Array.from({ length: 5 }, (_, i) => ({
              name: `m${i}`,
              bytes: text(`m${i}`),
              relation: 'member',
            })),
          }
        : {},
    );
    assert.equal(nodes(await scan([flat], { maxMembers: 5 })), 6);
    const over = await scan([flat], { maxMembers: 4 });
    assert.equal(nodes(over), 5);
    assert.deepEqual(limitCodes(over), ['E_LIMIT_MEMBERS']);
  });

  test('maxTotalBytes: children up to the budget are scanned, the next is reported', async () => {
    const flat = engine((ctx) =>
      ctx.artifact.depth === 0
        ? {
            children: [0, 1, 2].map((i) => ({
              name: `b${i}`,
              bytes: new Uint8Array(100).fill(65 + i),
              relation: 'member',
            })),
          }
        : {},
    );
    assert.equal(nodes(await scan([flat], { maxTotalBytes: 300 })), 4);
    const over = await scan([flat], { maxTotalBytes: 299 });
    assert.equal(nodes(over), 3);
    assert.deepEqual(limitCodes(over), ['E_LIMIT_TOTAL_BYTES']);
  });

  test('maxRatio: a member inflated exactly to the ratio passes; past it, it is skipped', async () => {
    const member = (size: number) =>
      engine((ctx) =>
        ctx.artifact.depth === 0
          ? {
              children: [
                { name: 'z', bytes: new Uint8Array(size), relation: 'member', compressedSize: 10 },
              ],
            }
          : {},
      );
    assert.deepEqual(limitCodes(await scan([member(2000)], { maxRatio: 200 })), []);
    assert.deepEqual(limitCodes(await scan([member(2010)], { maxRatio: 200 })), ['E_LIMIT_RATIO']);
  });

  test('maxTimePerArtifactMs: an async engine past the deadline is reported, a fast one is not', async () => {
    const slow = engine(
      () => new Promise<EngineOutput>((resolve) => setTimeout(() => resolve({}), 60)),
    );
    assert.deepEqual(limitCodes(await scan([slow], { maxTimePerArtifactMs: 1000 })), []);
    assert.deepEqual(limitCodes(await scan([slow], { maxTimePerArtifactMs: 10 })), [
      'E_LIMIT_TIME',
    ]);
  });

  test('maxTimePerArtifactMs: a sync loop that calls checkDeadline stops', async () => {
    const loop = engine((ctx) => {
      for (;;) ctx.checkDeadline();
    });
    assert.deepEqual(limitCodes(await scan([loop], { maxTimePerArtifactMs: 20 })), [
      'E_LIMIT_TIME',
    ]);
  });

  test('maxFindingsPerArtifact: at the limit all are kept; over it the rest are dropped and counted', async () => {
    const many = engine(() => ({ findings: Array.from({ length: 10 }, () => info()) }));
    assert.equal((await scan([many], { maxFindingsPerArtifact: 10 })).findings.length, 10);
    const cut = await scan([many], { maxFindingsPerArtifact: 9 });
    assert.equal(cut.findings.length, 10);
    assert.deepEqual(limitCodes(cut), ['E_LIMIT_FINDINGS']);
  });

  test('maxEvidenceChars: evidence at the limit is kept whole, longer evidence is clipped', async () => {
    const long = (n: number) => engine(() => ({ findings: [info({ text: 'e'.repeat(n) })] }));
    assert.equal(
      (await scan([long(100)], { maxEvidenceChars: 100 })).findings[0]!.evidence[0]!.text,
      'e'.repeat(100),
    );
    assert.match(
      (await scan([long(101)], { maxEvidenceChars: 100 })).findings[0]!.evidence[0]!.text!,
      /^e{100}…\[1 more\]$/,
    );
  });

  test('maxFileSize: an input cut by the reader is reported with its real size', async () => {
    const r = await scanInput({ path: 'big', bytes: text('head'), size: 10_000 }, { engines: [] });
    assert.equal(r.size, 10_000);
    assert.deepEqual(limitCodes(r), ['E_LIMIT_FILE_SIZE']);
  });
});

describe('pipeline behaviour', () => {
  test('a throwing engine becomes a finding and the other engines still run', async () => {
    const parse = engine(() => {
      throw new FormatError('E_TEST_BAD', 'bad bytes', { offset: 7 });
    });
    const crash = engine(() => {
      throw new TypeError('x is undefined');
    });
    const ok = engine(() => ({ findings: [info()] }));
    const r = await scan([parse, crash, ok]);
    assert.deepEqual(
      r.findings.map((f) => f.id),
      ['scan.parse-error', 'scan.engine-error', 'test.info'],
    );
    assert.equal(r.findings[0]!.evidence[0]!.offset, 7);
  });

  test('a container takes the verdict of its worst child', async () => {
    const parent = engine((ctx) =>
      ctx.artifact.depth === 0
        ? { children: [{ name: 'bad', bytes: text('bad'), relation: 'member' }] }
        : { findings: [critical()] },
    );
    const r = await scan([parent]);
    assert.equal(r.children[0]!.verdict, 'malicious');
    assert.equal(r.verdict, 'malicious');
    assert.equal(r.children[0]!.path, 'in.txt!bad');
  });

  test('type comes from content; a child hint only refines generic text', async () => {
    const seen: string[] = [];
    const record = engine((ctx) => {
      seen.push(ctx.artifact.type);
      return ctx.artifact.depth === 0
        ? {
            children: [
              { name: 'a', bytes: text('IEX $x'), relation: 'decoded', typeHint: 'powershell' },
              { name: 'b', bytes: text('%PDF-1.4'), relation: 'member', typeHint: 'powershell' },
            ],
          }
        : {};
    }, '*');
    await scan([record]);
    assert.deepEqual(seen, ['text', 'powershell', 'pdf']);
  });

  test('memo shares one parse between engines', async () => {
    let parses = 0;
    const parse = () => {
      parses++;
      return 1;
    };
    await scan([
      engine((ctx) => (ctx.memo('p', parse), {})),
      engine((ctx) => (ctx.memo('p', parse), {})),
    ]);
    assert.equal(parses, 1);
  });
});
