import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildIncidentViewFixture,
  CSV_INJECTION,
  HOSTILE_SUBJECT,
  JA_SUBJECT,
} from '../../test/builders/incident-view.js';
import { buildCoverageMatrixFixture } from '../../test/builders/coverage-matrix.js';
import { assertGolden } from '../../test/support/golden.js';
import {
  buildChecklist,
  buildIncidentReport,
  CHECKLIST_TASK_IDS,
  MAX_INCIDENT_TIMELINE,
  MAX_TASK_EVIDENCE,
  renderIncidentHtml,
  renderIncidentMarkdown,
  type ChecklistContext,
} from './index.js';

const now = new Date('2026-11-22T00:00:00.000Z');
const ctx: ChecklistContext = {
  runs: [
    {
      scanId: 3,
      command: 'hunt',
      startedAt: '2026-11-21T00:00:00.000Z',
      inputs: 2,
      hosts: ['pc-1'],
      kinds: ['hunt'],
    },
    {
      scanId: 4,
      command: 'triage',
      startedAt: '2026-11-21T01:00:00.000Z',
      inputs: 1,
      hosts: ['pc-1'],
      kinds: ['triage'],
    },
  ],
  allHosts: ['pc-1', 'pc-2'],
};
const statusOf = (tasks: ReturnType<typeof buildChecklist>) =>
  Object.fromEntries(tasks.map((t) => [t.id, t.status]));

describe('incident report', () => {
  test('model: summary numbers, progression in order, layers and ATT&CK per step', () => {
    const r = buildIncidentReport(buildIncidentViewFixture(), ctx, { now });
    assert.equal(r.kind, 'incident');
    assert.equal(r.generatedAt, now.toISOString());
    assert.deepEqual(r.summary, {
      findings: 5,
      worstSeverity: 'critical',
      firstSeen: '2026-11-20T01:00:00.000Z',
      lastSeen: '2026-11-21T00:00:00.000Z',
      stepsObserved: ['1', '4', '6'],
      hosts: 1,
      users: 1,
      mailboxes: 1,
      externalContacts: 2,
      lateralEdges: 1,
      iocs: 5,
      sharedIndicators: 1,
    });
    assert.deepEqual(
      r.progression.map((p) => [p.mark, p.observed]),
      [
        ['①', true],
        ['②', false],
        ['③', false],
        ['④', true],
        ['⑤', false],
        ['⑥', true],
        ['⑦', false],
      ],
    );
    assert.deepEqual(
      r.layers.map((l) => [l.layer, l.findings, l.steps]),
      [
        ['mail', 1, ['1']],
        ['document', 1, ['4']],
        ['endpoint', 2, ['4', '6']],
        ['network', 1, ['6']],
      ],
    );
    const step4 = r.attackByStep.find((s) => s.step === '4')!;
    assert.deepEqual(
      step4.techniques.map((t) => [t.id, t.findings, t.tactics]),
      [
        ['T1047', 2, ['Execution']],
        ['T1059.001', 2, ['Execution']],
        ['T1204.002', 1, ['Execution']],
      ],
    );
  });

  test('checklist: every JPCERT/CC task once, in order, statuses derived from the evidence', () => {
    const tasks = buildChecklist(buildIncidentViewFixture(), ctx, 'en');
    assert.deepEqual(
      tasks.map((t) => t.id),
      [...CHECKLIST_TASK_IDS],
    );
    assert.deepEqual(statusOf(tasks), {
      isolate: 'todo', // still investigating
      emocheck: 'todo', // triage ran but found the loader and nothing is remediated yet
      'mail-password': 'todo',
      credentials: 'todo',
      sweep: 'todo', // pc-2 not triaged
      'c2-logs': 'done', // a hunt ran for pc-1 and found C2 traffic
      secondary: 'done', // triage ran, no secondary family named
      'outbound-mail': 'todo',
      notify: 'todo',
      reimage: 'todo',
      prevention: 'todo',
      privacy: 'todo',
    });
    const c2 = tasks.find((t) => t.id === 'c2-logs')!;
    assert.ok(
      c2.evidence.some((e) => e.startsWith('hunt #3')),
      "expected: c2.evidence.some((e) => e.startsWith('hunt #3'))",
    );
    assert.ok(
      c2.evidence.some((e) => e.includes('#4 ioc.c2-match')),
      "expected: c2.evidence.some((e) => e.includes('#4 ioc.c2-match'))",
    );
    assert.ok(
      c2.evidence.some((e) => e.includes('198.51.100.7 also seen by pc-2')),
      "expected: c2.evidence.some((e) => e.includes('198.51.100.7 also seen by pc-2'))",
    );
    const sweep = tasks.find((t) => t.id === 'sweep')!;
    assert.deepEqual(sweep.evidence.slice(0, 2), [
      '1 of 2 known host(s) triaged.',
      'Not triaged yet: pc-2',
    ]);
    const notify = tasks.find((t) => t.id === 'notify')!;
    assert.ok(
      notify.evidence.includes('ceo@example.org (used as the sender of attack mail)'),
      "expected: notify.evidence.includes('ceo@example.org (used as the sender of attac",
    );
  });

  test('checklist: contained/remediated incidents close the tasks a person confirmed', () => {
    const contained = statusOf(
      buildChecklist(buildIncidentViewFixture({ status: 'contained' }), ctx, 'en'),
    );
    assert.equal(contained.isolate, 'done');
    assert.equal(contained['mail-password'], 'todo');
    const fixed = statusOf(
      buildChecklist(buildIncidentViewFixture({ status: 'remediated' }), ctx, 'en'),
    );
    for (const id of ['isolate', 'emocheck', 'mail-password', 'credentials', 'reimage']) {
      assert.equal(fixed[id], 'done', id);
    }
    const swept = statusOf(
      buildChecklist(buildIncidentViewFixture(), { ...ctx, allHosts: ['pc-1'] }, 'en'),
    );
    assert.equal(swept.sweep, 'done');
  });

  test('checklist: an attack stopped at delivery makes host tasks n/a; no hunt leaves the C2 check to do', () => {
    const blocked = buildChecklist(
      buildIncidentViewFixture({ steps: ['1'], blockedAt: '1' }),
      { runs: [], allHosts: ['pc-1'] },
      'en',
    );
    const s = statusOf(blocked);
    for (const id of [
      'isolate',
      'emocheck',
      'mail-password',
      'credentials',
      'c2-logs',
      'secondary',
      'reimage',
      'privacy',
    ]) {
      assert.equal(s[id], 'na', id);
    }
    assert.equal(s.notify, 'todo'); // an impersonated sender is still worth a warning
    assert.match(blocked.find((t) => t.id === 'prevention')!.evidence[0]!, /Stopped at ① by Mail/);
    const executed = statusOf(
      buildChecklist(
        buildIncidentViewFixture({ steps: ['1', '4'] }),
        { runs: [], allHosts: [] },
        'en',
      ),
    );
    assert.equal(executed['c2-logs'], 'todo');
    assert.equal(executed.emocheck, 'todo');
    assert.equal(executed['mail-password'], 'na'); // code ran, but nothing shows an infection yet
  });

  test('checklist: a secondary family named by a finding is a task to do, with that evidence', () => {
    const view = buildIncidentViewFixture();
    view.findings[0]!.evidence.push({ note: 'YARA: QakBot loader config' });
    const task = buildChecklist(view, ctx, 'en').find((t) => t.id === 'secondary')!;
    assert.equal(task.status, 'todo');
    assert.match(task.evidence[0]!, /^QakBot: #1 mail\.office-attachment/);
  });

  test('checklist: evidence is capped per task, and the cap says how many more', () => {
    const view = buildIncidentViewFixture();
    view.scope.externalContacts = Array.from({ length: 40 }, (_, i) => ({
      address: `p${i}@example.net`,
      reasons: ['address-book' as const],
      via: [],
    }));
    const notify = buildChecklist(view, ctx, 'en').find((t) => t.id === 'notify')!;
    assert.equal(notify.evidence.length, MAX_TASK_EVIDENCE + 1);
    assert.equal(notify.evidence.at(-1), `… and ${41 - MAX_TASK_EVIDENCE} more`);
    const short = buildChecklist(buildIncidentViewFixture(), ctx, 'en').find(
      (t) => t.id === 'notify',
    )!;
    assert.ok(
      short.evidence.length <= MAX_TASK_EVIDENCE,
      'expected: short.evidence.length <= MAX_TASK_EVIDENCE',
    );
  });

  test('model: the timeline is cut at its limit, with the rest counted', () => {
    const view = buildIncidentViewFixture();
    const one = view.timeline[0]!;
    view.timeline = Array.from({ length: MAX_INCIDENT_TIMELINE + 5 }, () => one);
    const r = buildIncidentReport(view, ctx, { now });
    assert.equal(r.timeline.length, MAX_INCIDENT_TIMELINE);
    assert.equal(r.timelineOmitted, 5);
    view.timeline = view.timeline.slice(0, MAX_INCIDENT_TIMELINE);
    assert.equal(buildIncidentReport(view, ctx, { now }).timelineOmitted, 0);
    assert.throws(() => buildIncidentReport(view, ctx, { lang: 'fr' as 'en' }), {
      code: 'E_REPORT_LANG',
    });
  });

  test('html: a hostile subject renders as text, links are defanged, no script, CSP present', () => {
    const html = renderIncidentHtml(buildIncidentReport(buildIncidentViewFixture(), ctx, { now }));
    assert.ok(!html.includes(HOSTILE_SUBJECT), 'expected: !html.includes(HOSTILE_SUBJECT)');
    assert.ok(
      html.includes('&lt;img src=x onerror=alert(1)&gt;'),
      "expected: html.includes('&lt;img src=x onerror=alert(1)&gt;')",
    );
    assert.doesNotMatch(html, /<script|<img|onerror=(?!alert\(1\)&gt;)/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.doesNotMatch(html, /https?:\/\/203\.0\.113/);
    assert.ok(
      html.includes('hxxp://203[.]0[.]113[.]5/loader.dll'),
      "expected: html.includes('hxxp://203[.]0[.]113[.]5/loader.dll')",
    );
    assert.ok(
      html.includes('198[.]51[.]100[.]7:8080'),
      "expected: html.includes('198[.]51[.]100[.]7[:]8080')",
    );
    assert.ok(
      html.includes('ceo[@]example[.]org'),
      "expected: html.includes('ceo[@]example[.]org')",
    );
    assert.ok(
      html.includes('Response checklist (JPCERT/CC Emotet guidance)'),
      "expected: html.includes('Response checklist (JPCERT/CC Emotet guidance)')",
    );
  });

  test('html and markdown in Japanese: labels, statuses, checklist wording, Japanese input kept', () => {
    const r = buildIncidentReport(buildIncidentViewFixture(), ctx, { now, lang: 'ja' });
    const html = renderIncidentHtml(r);
    assert.match(html, /<html lang="ja">/);
    for (const text of [
      'emoguard インシデント報告書',
      '感染端末の隔離と証拠保全',
      'EmoCheck による感染確認と、実行ファイル・自動起動設定の削除',
      '個人情報漏えいに関する報告要否の判断',
      '未対応',
      '完了',
      JA_SUBJECT,
      '調査中',
    ]) {
      assert.ok(html.includes(text), text);
    }
    const md = renderIncidentMarkdown(r);
    assert.ok(
      md.includes('## 対応チェックリスト (JPCERT/CC の Emotet 対応に基づく)'),
      "expected: md.includes('## 対応チェックリスト (JPCERT/CC の Emotet 対応に基づく)')",
    );
    assert.ok(
      md.includes('1. **感染端末の隔離と証拠保全** — 未対応'),
      "expected: md.includes('1. **感染端末の隔離と証拠保全** — 未対応')",
    );
  });

  test('markdown: hostile strings are escaped, a CSV-injection title is inert text', () => {
    const md = renderIncidentMarkdown(
      buildIncidentReport(buildIncidentViewFixture(), ctx, { now }),
    );
    assert.doesNotMatch(md, /(?<!\\)<img/); // only as escaped text
    assert.ok(
      md.includes('\\<img src=x onerror=alert(1)\\>'),
      "expected: md.includes('\\\\<img src=x onerror=alert(1)\\\\>')",
    );
    assert.ok(
      md.includes(CSV_INJECTION.replace('|', '\\|')),
      "expected: md.includes(CSV_INJECTION.replace('|', '\\\\|'))",
    );
    assert.doesNotMatch(md, /\]\(/); // no Markdown link can open
  });

  test('markdown and json: the whole English incident report with the coverage matrix, golden', () => {
    const coverage = buildCoverageMatrixFixture();
    const r = buildIncidentReport(buildIncidentViewFixture(), ctx, { now, coverage });
    assertGolden(renderIncidentMarkdown(r), 'src/report/testdata/incident.en.md');
    // JSON keeps input exact (not defanged), and parses back to the same model.
    const json = JSON.stringify(r);
    assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(r)));
    assert.ok(
      JSON.parse(json).incident.title.endsWith(HOSTILE_SUBJECT),
      'expected: JSON.parse(json).incident.title.endsWith(HOSTILE_SUBJECT)',
    );
  });
});
