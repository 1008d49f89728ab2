import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDemoCorpus } from '../../src/apps/demo/index.js';
import { SCAN_FINDINGS, walkResults, type ScanResult } from '../../src/core/index.js';
import { ENGINES, scanInput } from '../../src/pipeline/index.js';

// Every finding id the pipeline may emit: the registered engines' catalogues plus scan.*.
const KNOWN_IDS = new Set(
  [...ENGINES.flatMap((e) => e.findings), ...SCAN_FINDINGS].map((f) => f.def.id),
);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutations(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 1; i <= 8; i++) out.push(bytes.slice(0, Math.floor((bytes.length * i) / 9)));
  for (let i = 0; i < 24; i++) {
    const copy = bytes.slice();
    const flips = 1 + Math.floor(random() * 16);
    for (let f = 0; f < flips; f++)
      copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
    out.push(copy);
  }
  return out;
}

function assertWellFormed(result: ScanResult): void {
  for (const [node] of walkResults(result)) {
    assert.match(node.sha256, /^[0-9a-f]{64}$/);
    for (const f of node.findings) assert.ok(KNOWN_IDS.has(f.id), `undeclared finding id ${f.id}`);
  }
}

test('hostile: truncated and byte-flipped demo files never crash the pipeline', async () => {
  const random = seeded(0xe307e7);
  let scans = 0;
  for (const file of await buildDemoCorpus()) {
    for (const bytes of mutations(file.bytes, random)) {
      const result = await scanInput({ path: file.path, bytes });
      assertWellFormed(result);
      scans++;
    }
  }
  assert.ok(scans >= 90);
});

test('hostile: the unmodified demo files give the expected verdicts', async () => {
  const verdicts: Record<string, string> = {};
  // The files `scan` reads: the mail and documents (logs are hunted, snapshots triaged).
  const scanned = (await buildDemoCorpus()).filter(
    (f) => f.kind === 'mail' || f.kind === 'document',
  );
  for (const file of scanned) {
    const result = await scanInput({ path: file.path, bytes: file.bytes });
    assertWellFormed(result);
    verdicts[file.path] = result.verdict;
  }
  assert.deepEqual(Object.values(verdicts), ['malicious', 'malicious', 'clean']);
});
