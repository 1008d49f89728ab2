/**
 * The `Store` contract as tests (hono `common.case.test.ts` pattern): every backend runs this suite.
 * `makeStore` returns a fresh, empty, not yet migrated store; the suite migrates and closes it.
 *
 * @example
 * runStoreSuite('sqlite :memory:', async () => openSqliteStore(':memory:'));
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { ScanResult } from '../core/index.js';
import type { Store } from './store.js';
import {
  buildCleanNode,
  buildMailTree,
  buildNode,
  HOSTILE_EVIDENCE,
  HOSTILE_STRINGS,
  officeAttachment,
} from './suite-fixtures.js';
import { runCorrelationStoreSuite } from './correlation.suite.js';
import { runStoreQuerySuite } from './store-query.suite.js';

export function runStoreSuite(name: string, makeStore: () => Promise<Store>): void {
  describe(`store conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
    });
    const get = () => store;

    test('store: a query before migrate() → E_STORE_NOT_MIGRATED', async () => {
      const fresh = await makeStore();
      try {
        await assert.rejects(fresh.listScans(), { code: 'E_STORE_NOT_MIGRATED' });
      } finally {
        await fresh.close();
      }
    });

    test('store: migrate twice is harmless and keeps the data', async () => {
      const scanId = await store.beginScan({ command: 'scan', args: ['a'] });
      await store.saveResults(scanId, [buildMailTree()]);
      await store.migrate();
      await store.migrate();
      assert.equal((await store.stats()).totals.artifacts, 4);
    });

    test('store: scans begin, finish, list newest first, get', async () => {
      const t0 = new Date('2024-01-02T03:04:05.678Z');
      const first = await store.beginScan({
        command: 'scan',
        args: ['x.doc', '--json'],
        host: 'pc-1',
        startedAt: t0,
      });
      const second = await store.beginScan({ command: 'hunt', args: [] });
      assert.ok(second > first);
      const running = await store.getScan(first);
      assert.deepEqual(running, {
        id: first,
        command: 'scan',
        args: ['x.doc', '--json'],
        host: 'pc-1',
        startedAt: t0,
        finishedAt: null,
        summary: null,
      });
      const t1 = new Date('2024-01-02T03:05:00.000Z');
      const summary = { inputs: 3, malicious: 1, suspicious: 1, clean: 1, errors: 0 };
      await store.finishScan(first, { ...summary, finishedAt: t1 });
      const done = await store.getScan(first);
      assert.deepEqual(done?.finishedAt, t1);
      assert.deepEqual(done?.summary, summary);
      assert.deepEqual(
        (await store.listScans()).map((s) => s.id),
        [second, first],
      );
      assert.deepEqual(
        (await store.listScans({ limit: 1, offset: 1 })).map((s) => s.id),
        [first],
      );
      assert.equal(await store.getScan(9999), undefined);
    });

    test('store: unknown scan id → E_STORE_NOT_FOUND for finishScan and saveResults', async () => {
      const summary = { inputs: 0, malicious: 0, suspicious: 0, clean: 0, errors: 0 };
      await assert.rejects(store.finishScan(4242, summary), { code: 'E_STORE_NOT_FOUND' });
      await assert.rejects(store.saveResults(4242, [buildMailTree()]), {
        code: 'E_STORE_NOT_FOUND',
      });
    });

    test('store: a nested result round-trips: rows, parent links, depths, names, whole tree', async () => {
      const scanId = await store.beginScan({ command: 'scan', args: [] });
      const tree = buildMailTree();
      await store.saveResults(scanId, [tree]);
      const rows = await store.listArtifacts({ scanId });
      assert.deepEqual(
        rows.map((r) => [r.name, r.depth, r.relation, r.verdict, r.type]),
        [
          ['mail.eml', 0, null, 'malicious', 'eml'],
          ['invoice.doc', 1, 'attachment', 'malicious', 'ole'],
          ['Macros/VBA/ThisDocument', 2, 'macro', 'malicious', 'vba-source'],
          ['readme.txt', 1, 'attachment', 'clean', 'text'],
        ],
      );
      const [mail, doc, macro, readme] = rows;
      assert.equal(mail!.parentId, null);
      assert.equal(doc!.parentId, mail!.id);
      assert.equal(macro!.parentId, doc!.id);
      assert.equal(readme!.parentId, mail!.id);
      assert.ok(rows.every((r) => r.scanId === scanId));
      assert.equal(mail!.elapsedMs, 12.5);
      assert.deepEqual(macro!.extracted, tree.children[0]!.children[0]!.extracted);
      assert.deepEqual(await store.getArtifact(doc!.id), doc);
      assert.deepEqual(await store.getResult(mail!.id), tree);
      assert.deepEqual(await store.getResult(doc!.id), tree.children[0]);
      assert.equal(await store.getResult(999_999), undefined);
    });

    test('store: findings carry rule id, artifact path/sha256 and exact evidence (unicode, quotes, NUL, HTML)', async () => {
      const scanId = await store.beginScan({ command: 'scan', args: [] });
      const tree = buildMailTree();
      const before = Date.now();
      await store.saveResults(scanId, [tree]);
      const findings = await store.listFindings({ scanId });
      assert.deepEqual(
        findings.map((f) => f.ruleId),
        ['test.office-attachment', 'test.autoexec', 'test.wmi-process', 'test.info'],
      );
      const auto = findings[1]!;
      const macro = tree.children[0]!.children[0]!;
      assert.equal(auto.artifactPath, macro.path);
      assert.equal(auto.artifactSha256, macro.sha256);
      assert.deepEqual(auto.evidence, HOSTILE_EVIDENCE);
      assert.deepEqual(auto.attack, ['T1059.005', 'T1204.002']);
      assert.equal(auto.severity, 'critical');
      assert.equal(auto.step, '3');
      assert.equal(auto.title, 'Macro runs on open');
      assert.equal(auto.scanId, scanId);
      assert.ok(auto.createdAt instanceof Date && auto.createdAt.getTime() >= before - 1000);
    });

    test('store: hostile strings are data: stored and found exactly, never interpreted', async () => {
      const scanId = await store.beginScan({ command: 'scan', args: [...HOSTILE_STRINGS] });
      const results = HOSTILE_STRINGS.map((s) =>
        buildNode({
          path: s,
          type: 'unknown',
          verdict: 'suspicious',
          relation: s,
          findings: [{ ...officeAttachment({ text: s, location: s, note: s }), title: s }],
          extracted: { iocs: { urls: [s], domains: [s], files: [s] } },
        }),
      );
      const long = 'A'.repeat(100_000);
      results.push(buildNode({ path: long, type: 'text', verdict: 'clean' }));
      await store.saveResults(scanId, results, { host: HOSTILE_STRINGS[0]! });
      for (const [i, r] of results.entries()) {
        const [row] = await store.listArtifacts({ sha256: r.sha256 });
        assert.deepEqual(await store.getResult(row!.id), r, `result ${i}`);
      }
      assert.deepEqual((await store.getScan(scanId))?.args, HOSTILE_STRINGS);
      for (const s of HOSTILE_STRINGS) {
        assert.deepEqual((await store.listArtifacts({ sha256: s })).length, 0);
        assert.equal((await store.listFindings({ ruleId: s })).length, 0);
      }
      const byHost = await store.listFindings({ host: HOSTILE_STRINGS[0]! });
      assert.equal(byHost.length, HOSTILE_STRINGS.length);
      assert.deepEqual(
        byHost.map((f) => f.title),
        HOSTILE_STRINGS,
      );
      const urls = await store.listIocs({ scanId, kind: 'urls' });
      assert.deepEqual(urls.map((u) => u.value).sort(), [...HOSTILE_STRINGS].sort());
      assert.equal((await store.stats()).totals.artifacts, HOSTILE_STRINGS.length + 1);
    });

    test('store: a batch with one invalid result stores nothing (one transaction per call)', async () => {
      const scanId = await store.beginScan({ command: 'scan', args: [] });
      const bad = { ...buildCleanNode('bad'), verdict: 'evil' } as unknown as ScanResult;
      await assert.rejects(store.saveResults(scanId, [buildMailTree(), bad]), {
        code: 'E_STORE_INVALID_RESULT',
      });
      const stats = await store.stats({ scanId });
      assert.equal(stats.totals.artifacts, 0);
      assert.equal(stats.totals.findings, 0);
      assert.deepEqual(await store.listIocs({ scanId }), []);
    });

    test('store: a result tree that contains itself → E_STORE_RESULT_CYCLE, nothing stored', async () => {
      const scanId = await store.beginScan({ command: 'scan', args: [] });
      const loop = buildMailTree();
      loop.children[0]!.children.push(loop);
      await assert.rejects(store.saveResults(scanId, [loop]), { code: 'E_STORE_RESULT_CYCLE' });
      assert.equal((await store.stats()).totals.artifacts, 0);
    });

    test('store: batches of 1,000 results (with children and findings) store quickly', async () => {
      const scanId = await store.beginScan({ command: 'scan', args: [] });
      const started = Date.now();
      for (let batch = 0; batch < 2; batch++) {
        const results = Array.from({ length: 1000 }, (_, i) =>
          buildNode({
            path: `dir/${batch}/${i}.doc`,
            type: 'ole',
            verdict: 'suspicious',
            findings: [officeAttachment({ text: `${i}` })],
            children: [buildCleanNode(`dir/${batch}/${i}.doc!WordDocument`)],
            extracted: { iocs: { domains: [`d${i % 10}.example.com`] } },
          }),
        );
        await store.saveResults(scanId, results);
      }
      const elapsed = Date.now() - started;
      const stats = await store.stats({ scanId });
      assert.equal(stats.totals.inputs, 2000);
      assert.equal(stats.totals.artifacts, 4000);
      assert.equal(stats.totals.findings, 2000);
      assert.equal((await store.listIocs({ scanId })).length, 10);
      assert.equal((await store.listIocs({ scanId }))[0]!.artifacts, 200);
      assert.ok(elapsed < 15_000, `2,000 results took ${elapsed} ms`);
    });

    runStoreQuerySuite(get);
    runCorrelationStoreSuite(get);
  });
}
