import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Detection, HuntEngine, LogEvent } from '../core/index.js';
import { huntResult, newHuntStats, runHunt } from './index.js';

const event = (i: number, kind: LogEvent['kind'] = 'windows'): LogEvent => ({
  kind,
  source: { path: 'x.evtx', recordId: i },
  host: 'PC1',
  data: { Event: { EventData: { CommandLine: `cmd ${i}` } } },
});

const detection = (e: LogEvent, id = 'r1'): Detection => ({
  rule: { id, title: `rule ${id}`, level: 'high' },
  source: e.source,
  ...(e.host ? { host: e.host } : {}),
  step: '4',
  attack: ['T1059'],
  event: e.data,
});

test('hunt: engines see the events of their kind, finish runs last, detections are stamped', async () => {
  const seen: number[] = [];
  const engine: HuntEngine = {
    name: 'test',
    kinds: ['windows'],
    match: (e) => (seen.push(e.source.recordId!), e.source.recordId === 2 ? [detection(e)] : []),
    finish: () => [detection(event(99), 'corr')],
  };
  const out: Detection[] = [];
  for await (const d of runHunt([event(1), event(2), event(3, 'network')], [engine])) out.push(d);
  assert.deepEqual(seen, [1, 2]);
  assert.deepEqual(
    out.map((d) => [d.engine, d.rule.id]),
    [
      ['test', 'r1'],
      ['test', 'corr'],
    ],
  );
});

test('hunt: an engine that throws on one event is counted and the hunt goes on', async () => {
  const stats = newHuntStats();
  const engine: HuntEngine = {
    name: 'flaky',
    kinds: ['windows'],
    match: (e) => {
      if (e.source.recordId === 1) throw new TypeError('boom');
      return [detection(e)];
    },
  };
  const out: Detection[] = [];
  for await (const d of runHunt([event(1), event(2)], [engine], stats)) out.push(d);
  assert.equal(out.length, 1);
  assert.deepEqual([stats.events, stats.detections, stats.engineErrors], [2, 1, 1]);
  assert.match(stats.firstErrors[0]!, /flaky: boom/);
});

test('hunt results: one finding per rule and host, evidence capped, verdict from levels', () => {
  const detections = Array.from({ length: 30 }, (_, i) => ({
    ...detection(event(i)),
    engine: 'sigma',
  }));
  const r = huntResult(
    { path: 'x.evtx', sha256: 'a'.repeat(64), size: 1, type: 'evtx' },
    detections,
  );
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0]!.id, 'sigma.r1');
  assert.equal(r.findings[0]!.evidence.length, 21);
  assert.match(r.findings[0]!.evidence.at(-1)!.note!, /30 matches in all, 20 shown/);
  assert.equal(r.findings[0]!.evidence[0]!.text, 'CommandLine: cmd 0');
  assert.equal(r.verdict, 'suspicious');
});
