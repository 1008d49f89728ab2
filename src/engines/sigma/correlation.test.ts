import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Detection, LogEvent } from '../../core/index.js';
import { buildLogEvent, SECURITY, sysmonProcess } from '../../../test/builders/winevent.js';
import { engineFor, loadRuleTexts } from '../../../test/support/sigma.js';
import { MAX_QUOTED_EVENTS } from './correlation.js';
import { createSigmaEngine } from './engine.js';

const FAILED = `title: Failed logon\nid: 5638f7c0-ac70-491d-8465-2a65075e0d86\nname: failed_logon\nlevel: low\nlogsource: {product: windows, service: security}\ndetection:\n  selection:\n    EventID: 4625\n  condition: selection`;

const correlation = (body: string, extra = '') =>
  `title: Many failed logons\nid: 0e95725d-7320-415d-80f7-004da920fc11\nlevel: high\ntags: [attack.credential-access, attack.t1110]\n${extra}correlation:\n${body}`;

const at = (minute: number, second = 0) =>
  `2024-05-01T10:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000000Z`;

function failed(
  user: string,
  time: string,
  more: { ip?: string; computer?: string; path?: string } = {},
): LogEvent {
  return buildLogEvent(
    {
      channel: SECURITY,
      eventId: 4625,
      time,
      computer: more.computer ?? 'DC01.example.com',
      data: { TargetUserName: user, IpAddress: more.ip ?? '192.0.2.10' },
    },
    more.path,
  );
}

function run(rules: string[], events: LogEvent[]): { matched: Detection[]; finished: Detection[] } {
  const engine = engineFor(rules);
  const matched = events.flatMap((e) => engine.match(e));
  return { matched, finished: engine.finish?.() ?? [] };
}

describe('event_count', () => {
  const rule = correlation(
    '  type: event_count\n  rules: [failed_logon]\n  group-by: [TargetUserName]\n  timespan: 5m\n  condition:\n    gte: 3',
  );

  test('three failures of one user within 5 minutes → one correlation detection', () => {
    const { matched, finished } = run(
      [FAILED, rule],
      [failed('bob', at(0)), failed('bob', at(2)), failed('bob', at(4, 59))],
    );
    assert.equal(
      matched.length,
      0,
      'a referenced rule is not emitted on its own (generate: false)',
    );
    assert.equal(finished.length, 1);
    const d = finished[0]!;
    assert.deepEqual(d.rule, {
      id: '0e95725d-7320-415d-80f7-004da920fc11',
      title: 'Many failed logons',
      level: 'high',
      path: 'rule-2.yml',
    });
    assert.deepEqual(d.attack, ['T1110']);
    assert.equal(d.step, '6');
    assert.equal(d.events?.length, 3);
    assert.deepEqual(
      (d.event as { Correlation: { group: unknown; count: number } }).Correlation.group,
      { TargetUserName: 'bob' },
    );
    assert.equal(d.time, '2024-05-01T10:04:59.000Z');
  });

  test('spread over more than the timespan, or over several users → nothing', () => {
    assert.equal(
      run([FAILED, rule], [failed('bob', at(0)), failed('bob', at(3)), failed('bob', at(6))])
        .finished.length,
      0,
    );
    assert.equal(
      run([FAILED, rule], [failed('bob', at(0)), failed('eve', at(1)), failed('amy', at(2))])
        .finished.length,
      0,
    );
  });

  test('events from several files and hosts, out of order, correlate by time', () => {
    const events = [
      failed('bob', at(4), { path: 'b.evtx', computer: 'DC02.example.com' }),
      failed('bob', at(0), { path: 'a.evtx' }),
      failed('bob', at(2), { path: 'c.evtx' }),
    ];
    const { finished } = run([FAILED, rule], events);
    assert.equal(finished.length, 1);
    assert.deepEqual(
      (finished[0]!.event as { Correlation: { hosts: string[] } }).Correlation.hosts,
      ['DC01.example.com', 'DC02.example.com'],
    );
  });

  test('group-by Computer keeps hosts apart', () => {
    const byHost = correlation(
      '  type: event_count\n  rules: [failed_logon]\n  group-by: [Computer]\n  timespan: 5m\n  condition:\n    gte: 3',
    );
    const events = [
      failed('a', at(0)),
      failed('b', at(1), { computer: 'DC02.example.com' }),
      failed('c', at(2)),
    ];
    assert.equal(run([FAILED, byHost], events).finished.length, 0);
    assert.equal(run([FAILED, byHost], [...events, failed('d', at(3))]).finished.length, 1);
  });

  test('a burst is reported once; a later burst again', () => {
    const events = [0, 1, 2, 3, 20, 21, 22].map((m) => failed('bob', at(m)));
    assert.equal(run([FAILED, rule], events).finished.length, 2);
  });

  test('generate: true emits the referenced rule on its own too; reference by id works', () => {
    const r = correlation(
      '  type: event_count\n  rules: [5638f7c0-ac70-491d-8465-2a65075e0d86]\n  group-by: [TargetUserName]\n  timespan: 5m\n  generate: true\n  condition:\n    gte: 2',
    );
    const { matched, finished } = run([FAILED, r], [failed('bob', at(0)), failed('bob', at(1))]);
    assert.equal(matched.length, 2);
    assert.equal(finished.length, 1);
  });
});

describe('value_count', () => {
  test('distinct users failing from one address within the timespan', () => {
    const rule = correlation(
      '  type: value_count\n  rules: [failed_logon]\n  group-by: [IpAddress]\n  timespan: 10m\n  condition:\n    field: TargetUserName\n    gte: 3',
    );
    const same = [
      failed('bob', at(0)),
      failed('bob', at(1)),
      failed('bob', at(2)),
      failed('eve', at(3)),
    ];
    assert.equal(run([FAILED, rule], same).finished.length, 0);
    const spray = [
      failed('bob', at(0)),
      failed('eve', at(1)),
      failed('amy', at(2), { ip: '198.51.100.9' }),
      failed('amy', at(3)),
    ];
    const { finished } = run([FAILED, rule], spray);
    assert.equal(finished.length, 1);
    assert.deepEqual(
      (finished[0]!.event as { Correlation: { group: unknown; count: number } }).Correlation,
      {
        ...(finished[0]!.event as { Correlation: object }).Correlation,
        group: { IpAddress: '192.0.2.10' },
        count: 3,
      },
    );
  });
});

describe('temporal and temporal_ordered', () => {
  const whoami = `title: Whoami\nname: whoami\nlogsource: {product: windows, category: process_creation}\ndetection:\n  s:\n    Image|endswith: '\\whoami.exe'\n  condition: s`;
  const netUser = `title: Net user\nname: net_user\nlogsource: {product: windows, category: process_creation}\ndetection:\n  s:\n    CommandLine|contains: 'net user'\n  condition: s`;
  const who = (time: string, computer = 'WS01.example.com') =>
    sysmonProcess({ Image: 'C:\\Windows\\System32\\whoami.exe' }, { time, computer });
  const net = (time: string, computer = 'WS01.example.com') =>
    sysmonProcess({ CommandLine: 'net user /domain' }, { time, computer });

  test('temporal: both rules on one host within the timespan, in any order', () => {
    const rule = correlation(
      '  type: temporal\n  rules: [whoami, net_user]\n  group-by: [Computer]\n  timespan: 1m',
    );
    assert.equal(run([whoami, netUser, rule], [net(at(0)), who(at(0, 30))]).finished.length, 1);
    assert.equal(run([whoami, netUser, rule], [net(at(0)), who(at(2))]).finished.length, 0);
    assert.equal(
      run([whoami, netUser, rule], [net(at(0)), who(at(0, 30), 'WS02.example.com')]).finished
        .length,
      0,
    );
    assert.equal(run([whoami, netUser, rule], [net(at(0)), net(at(0, 10))]).finished.length, 0);
  });

  test('temporal_ordered: the rules must match in the order written', () => {
    const rule = correlation(
      '  type: temporal_ordered\n  rules: [whoami, net_user]\n  group-by: [Computer]\n  timespan: 1m',
    );
    assert.equal(run([whoami, netUser, rule], [who(at(0)), net(at(0, 30))]).finished.length, 1);
    assert.equal(run([whoami, netUser, rule], [net(at(0)), who(at(0, 30))]).finished.length, 0);
    assert.equal(run([whoami, netUser, rule], [who(at(0)), net(at(1, 30))]).finished.length, 0);
    assert.equal(
      run([whoami, netUser, rule], [who(at(0)), who(at(1)), net(at(1, 30))]).finished.length,
      1,
      'the later start still fits',
    );
  });

  test('aliases group different fields of different rules', () => {
    const rule = correlation(
      '  type: temporal\n  rules: [whoami, failed_logon]\n  group-by: [host]\n  timespan: 5m\n  aliases:\n    host:\n      whoami: Computer\n      failed_logon: WorkstationName',
    );
    const logon = buildLogEvent({
      channel: SECURITY,
      eventId: 4625,
      time: at(1),
      data: { TargetUserName: 'x', WorkstationName: 'WS01.example.com' },
    });
    assert.equal(run([whoami, FAILED, rule], [who(at(0)), logon]).finished.length, 1);
  });
});

describe('correlation limits', () => {
  const rule = correlation(
    '  type: event_count\n  rules: [failed_logon]\n  group-by: [TargetUserName]\n  timespan: 5m\n  condition:\n    gte: 1',
  );
  const limited = (limits: object, events: LogEvent[]) => {
    const engine = createSigmaEngine(loadRuleTexts([FAILED, rule], { limits }));
    for (const e of events) engine.match(e);
    return engine.finish!();
  };

  test('maxCorrelationGroups: at the cap no loss; over it the extra groups are dropped and reported', () => {
    const two = [failed('a', at(0)), failed('b', at(0))];
    assert.deepEqual(
      limited({ maxCorrelationGroups: 2 }, two).map((d) => d.rule.id),
      [rule.match(/id: (\S+)/)![1], rule.match(/id: (\S+)/)![1]],
    );
    const three = limited({ maxCorrelationGroups: 2 }, [...two, failed('c', at(0))]);
    const limit = three.find((d) => d.rule.id === 'sigma.correlation-limit');
    assert.ok(limit);
    assert.equal((limit.event as { droppedGroups: number }).droppedGroups, 1);
    assert.equal(limit.rule.level, 'medium');
  });

  test('maxCorrelationEvents: matches over the cap are dropped and reported', () => {
    assert.equal(
      limited({ maxCorrelationEvents: 2 }, [failed('a', at(0)), failed('a', at(1))]).filter(
        (d) => d.rule.id === 'sigma.correlation-limit',
      ).length,
      0,
    );
    const over = limited({ maxCorrelationEvents: 2 }, [
      failed('a', at(0)),
      failed('a', at(1)),
      failed('a', at(2)),
    ]);
    assert.equal(
      (
        over.find((d) => d.rule.id === 'sigma.correlation-limit')!.event as {
          droppedEvents: number;
        }
      ).droppedEvents,
      1,
    );
  });

  test('a correlation detection quotes at most MAX_QUOTED_EVENTS events and counts them all', () => {
    const many = Array.from({ length: MAX_QUOTED_EVENTS + 2 }, (_, i) => failed('bob', at(0, i)));
    const [d] = run(
      [FAILED, rule.replace('gte: 1', `gte: ${MAX_QUOTED_EVENTS + 2}`)],
      many,
    ).finished;
    assert.equal(d?.events?.length, MAX_QUOTED_EVENTS);
    assert.equal(
      (d?.event as { Correlation: { count: number } }).Correlation.count,
      MAX_QUOTED_EVENTS + 2,
    );
    const [exact] = run(
      [FAILED, rule.replace('gte: 1', `gte: ${MAX_QUOTED_EVENTS}`)],
      many.slice(0, MAX_QUOTED_EVENTS),
    ).finished;
    assert.equal(exact?.events?.length, MAX_QUOTED_EVENTS);
  });

  test('a correlation chained on another correlation is refused with a reason', () => {
    const chained = `title: chain\nid: c2\ncorrelation:\n  type: event_count\n  rules: [0e95725d-7320-415d-80f7-004da920fc11]\n  timespan: 1h\n  condition:\n    gte: 2`;
    const set = loadRuleTexts([FAILED, rule, chained]);
    assert.equal(set.errors[0]?.code, 'E_SIGMA_UNSUPPORTED_CORRELATION');
    assert.equal(set.correlations.length, 1);
  });
});
