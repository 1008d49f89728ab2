import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitError } from '../../core/index.js';
import {
  buildMinidump,
  MEM_IMAGE,
  MEM_PRIVATE,
  PAGE_EXECUTE_READ,
  PAGE_EXECUTE_READWRITE,
} from '../../../test/builders/minidump.js';
import { makeContext } from '../../../test/support/engine-context.js';
import {
  attackOf,
  createYaraEngine,
  scanChunked,
  severityOf,
  stepOf,
  type YaraRuleMatch,
  type YaraScanner,
  type YaraVariables,
} from './index.js';

interface FakeRule {
  rule: string;
  namespace?: string;
  meta?: YaraRuleMatch['meta'];
  tags?: string[];
  patterns: Record<string, string>;
}

/** A literal-string "YARA" in a few lines: every occurrence of every pattern, as YARA reports them. */
function fakeScanner(
  rules: FakeRule[],
  calls: { size: number; variables?: YaraVariables }[] = [],
): YaraScanner {
  return {
    scan(bytes, variables) {
      calls.push({ size: bytes.length, variables });
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
      const out: YaraRuleMatch[] = [];
      for (const r of rules) {
        const strings = Object.entries(r.patterns).flatMap(([identifier, needle]) => {
          const found = [];
          for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1))
            found.push({ identifier, offset: at, length: needle.length });
          return found;
        });
        if (strings.length > 0)
          out.push({
            rule: r.rule,
            namespace: r.namespace ?? 'test',
            tags: r.tags ?? [],
            meta: r.meta ?? {},
            strings,
          });
      }
      return out;
    },
  };
}

const ascii = (s: string) => new TextEncoder().encode(s);
const RULE: FakeRule = {
  rule: 'Emotet_Loader_Marker',
  namespace: 'emoguard',
  tags: ['emotet'],
  meta: { severity: 'critical', step: '6', attack: 'T1055, T9999' },
  patterns: { $a: 'MARKER' },
};

test('yara: a match becomes yara.match titled by the rule, severity/step/attack from meta, sliced evidence', async () => {
  const engine = createYaraEngine(fakeScanner([RULE]));
  const out = await engine.analyze(makeContext(ascii('xx\x01MARKER yy MARKER'), { name: 'a.bin' }));
  const [finding] = out.findings ?? [];
  assert.equal(finding?.id, 'yara.match');
  assert.equal(finding.title, 'Emotet_Loader_Marker');
  assert.equal(finding.severity, 'critical');
  assert.equal(finding.step, '6');
  assert.deepEqual(finding.attack, ['T1055']);
  assert.deepEqual(
    finding.evidence.slice(0, 2).map((e) => [e.location, e.text, e.offset]),
    [
      ['emoguard:Emotet_Loader_Marker', '$a MARKER', 3],
      ['emoguard:Emotet_Loader_Marker', '$a MARKER', 13],
    ],
  );
  const summary = finding.evidence.at(-1)!.note!;
  assert.match(summary, /tags: emotet/);
  assert.match(summary, /2 pattern match\(es\)/);
  assert.match(summary, /unknown ATT&CK ids ignored: T9999/);
});

test('yara: no match → no finding; externals carry the sniffed type and the name', async () => {
  const calls: { size: number; variables?: YaraVariables }[] = [];
  const engine = createYaraEngine(fakeScanner([RULE], calls));
  const out = await engine.analyze(makeContext(ascii('nothing here'), { name: 'Invoice.DOC' }));
  assert.deepEqual(out.findings, []);
  assert.deepEqual(calls[0]?.variables, {
    filename: 'Invoice.DOC',
    filepath: 'Invoice.DOC',
    extension: '.doc',
    filetype: 'text',
    owner: '',
  });
});

test('yara chunks: a pattern across a chunk edge is found once; overlap matches are not doubled', () => {
  const bytes = new Uint8Array(100).fill(0x2e);
  bytes.set(ascii('MARKER'), 37); // crosses the 40-byte edge of the first chunk
  bytes.set(ascii('MARKER'), 52); // inside the overlap of chunks 2 and 3
  const calls: { size: number }[] = [];
  const scanner = fakeScanner([RULE], calls);
  const whole = scanChunked(
    scanner,
    bytes,
    {},
    { chunkSize: 1000, overlap: 8, maxStringsPerRule: 10 },
  );
  const chunked = scanChunked(
    scanner,
    bytes,
    {},
    { chunkSize: 40, overlap: 8, maxStringsPerRule: 10 },
  );
  assert.ok(calls.length > 3);
  assert.deepEqual(
    chunked.map((m) => [m.rule, m.stringCount, m.strings.map((s) => s.offset)]),
    whole.map((m) => [m.rule, m.stringCount, m.strings.map((s) => s.offset)]),
  );
  assert.deepEqual(
    chunked[0]?.strings.map((s) => s.offset),
    [37, 52],
  );
});

test('yara chunks: the deadline is checked between chunks', () => {
  let checks = 0;
  const stop = () => {
    if (++checks > 2)
      throw new LimitError('E_LIMIT_TIME', 'spent', { limit: 'maxTimePerArtifactMs', max: 1 });
  };
  assert.throws(
    () =>
      scanChunked(
        fakeScanner([RULE]),
        new Uint8Array(1000),
        {},
        { chunkSize: 100, overlap: 10, maxStringsPerRule: 1, checkDeadline: stop },
      ),
    LimitError,
  );
});

test('yara: evidence per rule is capped at maxStringsPerRule; the count says how many there were', async () => {
  const engine = createYaraEngine(fakeScanner([RULE]), { maxStringsPerRule: 3 });
  const out = await engine.analyze(makeContext(ascii('MARKER '.repeat(50))));
  const finding = out.findings![0]!;
  assert.equal(finding.evidence.length, 4);
  assert.match(finding.evidence[3]!.note!, /50 pattern match\(es\), first 3 shown/);
});

test('yara: a minidump is scanned per region; evidence has the file offset, virtual address and protection', async () => {
  const heap = new Uint8Array(0x2000);
  heap.set(ascii('MARKER'), 0x123);
  const built = buildMinidump({
    regions: [
      {
        va: 0x7ff6_1000_0000n,
        data: ascii('image MARK'),
        protect: PAGE_EXECUTE_READ,
        type: MEM_IMAGE,
      },
      {
        va: 0x7ff6_1000_1000n,
        data: ascii('ER only when joined'),
        protect: PAGE_EXECUTE_READ,
        type: MEM_IMAGE,
      },
      { va: 0x1a_0000n, data: heap, protect: PAGE_EXECUTE_READWRITE, type: MEM_PRIVATE },
    ],
  });
  const engine = createYaraEngine(fakeScanner([RULE]));
  const out = await engine.analyze(makeContext(built.bytes));
  const finding = out.findings![0]!;
  assert.equal(finding.evidence.length, 2, 'MARK|ER across two regions is not a match');
  const [hit] = finding.evidence;
  assert.equal(hit?.offset, built.regionOffsets[2]! + 0x123);
  assert.equal(
    hit?.note,
    'va 0x1a0123, PAGE_EXECUTE_READWRITE MEM_PRIVATE, region 0x1a0000+0x2000',
  );
});

test('yara meta: severity names, scores and defaults; steps by meta or by type; ATT&CK ids filtered', () => {
  assert.equal(severityOf({ severity: 'HIGH' }), 'high');
  assert.equal(severityOf({ score: 100 }), 'critical');
  assert.equal(severityOf({ score: 80 }), 'high');
  assert.equal(severityOf({ score: '60' }), 'medium');
  assert.equal(severityOf({ score: 10 }), 'info');
  assert.equal(severityOf({ severity: 'bogus' }), 'medium');
  assert.equal(stepOf(4, 'ole'), '4');
  assert.equal(stepOf('post', 'pe'), 'post');
  assert.equal(stepOf(undefined, 'minidump'), '6');
  assert.equal(stepOf(undefined, 'pe'), '5');
  assert.equal(stepOf('9', 'ole'), '2');
  assert.deepEqual(attackOf('t1047;T1059.001 T1059.001 X'), {
    known: ['T1047', 'T1059.001'],
    unknown: ['X'],
  });
});

test('yara: a memory region larger than chunkSize is scanned in overlapping chunks, addresses stay exact', async () => {
  const region = new Uint8Array(1000).fill(0x2e);
  region.set(ascii('MARKER'), 97); // crosses the first 100-byte chunk's edge
  region.set(ascii('MARKER'), 900);
  const built = buildMinidump({
    regions: [{ va: 0x40_0000n, data: region, protect: PAGE_EXECUTE_READWRITE, type: MEM_PRIVATE }],
  });
  const calls: { size: number }[] = [];
  const engine = createYaraEngine(fakeScanner([RULE], calls), { chunkSize: 100, overlap: 10 });
  const out = await engine.analyze(makeContext(built.bytes));
  assert.ok(calls.every((c) => c.size <= 100));
  assert.deepEqual(
    out.findings![0]!.evidence.slice(0, 2).map((e) => [e.offset, e.note?.split(',')[0]]),
    [
      [built.regionOffsets[0]! + 97, 'va 0x400061'],
      [built.regionOffsets[0]! + 900, 'va 0x400384'],
    ],
  );
});
