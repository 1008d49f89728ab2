import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HOSTILE_STRINGS } from '../../store/suite-fixtures.js';
import { escapeHtml, html, Html, path } from './html.js';
import type { CoverageMatrix } from '../../correlate/coverage/index.js';
import type { IncidentView } from '../../correlate/types.js';
import {
  renderAudit,
  renderCoverage,
  renderFindings,
  renderIncidentDetail,
  renderIncidentList,
  renderLogin,
  renderQuarantine,
} from './index.js';
import type { PageContext } from './layout.js';
import { normalizeQuarantineRecord } from '../smtp/index.js';

const page: PageContext = {
  lang: 'ja',
  user: { name: '<b>bob</b>', role: 'analyst' },
  csrfToken: '"><x',
};
const PROBE = '<img src=x onerror=alert(1)>';

/** No markup from input: after removing our own tags' text, no probe fragment survives unescaped. */
function assertInert(out: string): void {
  assert.equal(out.includes('<img'), false);
  assert.equal(out.includes('<script>'), false);
  // Input never contains a raw `"` (escaped to &quot;), so every quoted value here is ours: blank them,
  // then no tag may carry an on…= attribute.
  const tags = out.replace(/"[^"]*"/g, '""');
  assert.equal(/<[^>]*\son\w+=/i.test(tags), false, 'no event-handler attribute');
}

describe('dashboard: escaping', () => {
  test('html: interpolations are escaped in text and attributes; Html and arrays pass through', () => {
    const tag = html; // (not named `html`, so formatters leave the template's whitespace alone)
    const inner = tag`<i>${'&'}</i>`;
    const out = tag`<p title="${`"'<>&\``}">${PROBE}${[inner, 1, null, false, undefined]}</p>`;
    assert.equal(
      out.value,
      '<p title="&quot;&#39;&lt;&gt;&amp;&#96;">&lt;img src=x onerror=alert(1)&gt;<i>&amp;</i>1</p>',
    );
    assert.ok(out instanceof Html);
  });

  test('html: controls are made visible and lone surrogates replaced', () => {
    assert.equal(escapeHtml('a\u0000b\u001bc'), 'a\\x00b\\x1bc');
    assert.equal(escapeHtml('x\ud800y'), 'x\ufffdy');
    assert.equal(escapeHtml('😀'), '😀');
  });

  test('path: segments are percent-encoded and the result stays on this server', () => {
    assert.equal(path(['incidents', '../../x', 'a b']), '/incidents/..%2F..%2Fx/a%20b');
    assert.equal(path(['x'], { q: '"><', n: 2, empty: '' }), '/x?q=%22%3E%3C&n=2');
    assert.equal(path(['//evil.example']), '/%2F%2Fevil.example');
  });

  test('pages: hostile strings from every input field render inert', () => {
    const now = new Date('2026-11-25T00:00:00Z');
    for (const s of [...HOSTILE_STRINGS, PROBE]) {
      assertInert(renderLogin(page, { loginToken: s, name: s, error: s }));
      assertInert(
        renderIncidentList(
          page,
          [
            {
              id: 1,
              title: s,
              kind: 'mailbox',
              subject: s,
              owner: s,
              hostId: null,
              severity: 'high',
              status: 'new',
              steps: ['1'],
              createdAt: now,
              updatedAt: now,
              findingIds: [],
            },
          ],
          {},
        ),
      );
      assertInert(
        renderFindings(
          page,
          [
            {
              id: 1,
              ruleId: s,
              title: s,
              severity: 'high',
              step: '1',
              attack: [s],
              evidence: [{ text: s, location: s }],
              scanId: 1,
              artifactId: 1,
              artifactPath: s,
              artifactSha256: s,
              hostId: null,
              host: s,
              createdAt: now,
              observedAt: null,
            },
          ],
          { q: s, rule: s, host: s },
          false,
        ),
      );
      assertInert(
        renderQuarantine(
          page,
          [
            {
              id: '20261125000000-0123abcd',
              sha256: s,
              size: 1,
              receivedAt: s,
              envelope: { from: s, to: [s] },
              subject: s,
              verdict: 'malicious',
              action: s,
              reasons: [s],
              findings: [s],
            },
          ],
          { isConfigured: true, canRelease: true },
        ),
      );
      assertInert(
        renderAudit(page, [
          { id: 1, at: now, actor: s, action: s, target: s, reason: s, detail: { s } },
        ]),
      );
    }
  });

  test('incident detail: hostile strings in every field of the view render inert', () => {
    const now = new Date('2026-11-25T00:00:00Z');
    for (const s of [...HOSTILE_STRINGS, PROBE]) {
      const view = {
        incident: {
          id: 7,
          title: s,
          kind: 'mailbox',
          subject: s,
          owner: s,
          hostId: 1,
          severity: 'critical',
          status: 'new',
          steps: ['1'],
          createdAt: now,
          updatedAt: now,
          findingIds: [1],
        },
        host: { id: 1, name: s, ip: s, os: s, firstSeen: now, lastSeen: now },
        progression: [
          {
            step: '1',
            observed: true,
            layers: ['mail'],
            firstSeen: s,
            lastSeen: s,
            findings: 1,
            worstSeverity: 'high',
            blocked: true,
          },
        ],
        timeline: (['mail', 'network', 'memory'] as const).map((layer) => ({
          at: s,
          isEventTime: true,
          step: '1',
          layer,
          severity: 'high',
          findingId: 1,
          ruleId: s,
          title: s,
          host: s,
          artifactPath: s,
          artifactSha256: s,
          summary: s,
        })),
        scope: {
          hosts: [s],
          users: [s],
          mailboxes: [s],
          externalContacts: [{ address: s, reasons: ['correspondent'], via: [s] }],
          lateral: [{ from: s, to: s, protocol: 'smb', firstSeen: s, findingIds: [1] }],
          shared: [
            { kind: 'domain', value: s, others: [s] },
            { kind: 'c2', value: s, others: [s] },
          ],
        },
        processTree: [
          {
            pid: 1,
            image: s,
            commandLine: s,
            user: s,
            startedAt: s,
            findingIds: [],
            children: [
              {
                pid: 2,
                image: s,
                commandLine: s,
                user: s,
                startedAt: s,
                findingIds: [],
                children: [],
              },
            ],
          },
        ],
        iocs: [
          { kind: 'url', value: s, sources: [s], feeds: [s] },
          { kind: 'file', value: s, sources: [s], feeds: [] },
        ],
        techniques: [{ id: s, name: s, steps: ['1'], findings: 1 }],
        findings: [],
        mails: [
          {
            artifactId: 1,
            subject: s,
            from: s,
            to: [s],
            date: s,
            messageId: s,
            attachments: [{ name: s, sha256: s, verdict: s }],
          },
        ],
      } as unknown as IncidentView;
      const out = renderIncidentDetail(page, view, [{ at: s, author: s, text: s }]);
      assertInert(out);
      if (s === PROBE) assert.ok(out.includes('&lt;img src=x onerror=alert(1)&gt;'));
    }
  });

  test('incident list: 100 rows per page with prev/next links that keep the filter', () => {
    const now = new Date('2026-11-25T00:00:00Z');
    const all = Array.from({ length: 250 }, (_, i) => ({
      id: 250 - i,
      title: `t${i}`,
      kind: 'host' as const,
      subject: null,
      owner: null,
      hostId: null,
      severity: 'high' as const,
      status: 'new' as const,
      steps: [],
      createdAt: now,
      updatedAt: now,
      findingIds: [],
    }));
    const second = renderIncidentList(page, all, { status: 'new', page: 2 });
    assert.equal(second.match(/<tr>/g)?.length, 101, 'header + 100 rows');
    assert.match(second, /href="\/incidents\?status=new&amp;page=1"/);
    assert.match(second, /href="\/incidents\?status=new&amp;page=3"/);
    const last = renderIncidentList(page, all, { page: 99 });
    assert.equal(last.match(/<tr>/g)?.length, 51, 'clamped to the last page');
  });

  test('coverage: one row per sub-step with the advisory marks; a server without a matrix says so', () => {
    const cell = (category: 'technique' | 'none') => ({ category, inputs: [], findings: [] });
    const matrix = {
      schema: 'emoguard.coverage/1' as const,
      layers: ['mail', 'document'] as const,
      rows: [
        {
          scenario: {
            id: '1-mail',
            step: '1' as const,
            title: { en: 'Invoice mail', ja: PROBE },
            technique: 'T1566.001',
          },
          cells: {
            mail: { ...cell('technique'), blocked: { action: 'quarantine', reasons: [] } },
            document: cell('none'),
          },
        },
      ],
    } as unknown as CoverageMatrix;
    const out = renderCoverage(page, matrix);
    assertInert(out);
    assert.match(out, /◎ 技術\+B/);
    assert.match(out, /× /);
    assert.match(renderCoverage({ lang: 'en' }, undefined), /Not available/);
  });

  test('pages: the shell declares UTF-8 and the language, and loads only same-origin assets', () => {
    const out = renderLogin({ lang: 'ja' }, { loginToken: 't' });
    assert.match(out, /^<!doctype html>\s*<html lang="ja">/i);
    assert.match(out, /<meta charset="utf-8"/);
    assert.match(out, /ログイン/);
    assert.equal(/<script>|style=|<style/.test(out), false, 'no inline script or style');
    assert.deepEqual(
      [...out.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]),
      ['/static/app.css', '/static/app.js'],
    );
  });
});

describe('dashboard: quarantine page', () => {
  const base = {
    sha256: 'a'.repeat(64),
    size: 1,
    receivedAt: '2026-11-25T00:00:00.000Z',
    envelope: { from: 'a@example.com', to: ['b@example.com'] },
    subject: 'invoice',
    verdict: 'malicious' as const,
    action: 'quarantine',
    reasons: [],
    findings: [],
  };
  const en: PageContext = { ...page, lang: 'en' };

  test('status, time, actor and reason of released, deleted and held rows are shown, escaped', () => {
    const out = String(
      renderQuarantine(
        en,
        [
          {
            ...base,
            id: '20261125000000-0000000a',
            status: 'released',
            releasedAt: '2026-11-25T01:02:03.000Z',
            closedBy: 'al<i>ce',
            closeReason: `${PROBE} false positive`,
          },
          {
            ...base,
            id: '20261125000000-0000000b',
            status: 'deleted',
            releasedAt: '2026-11-25T04:05:06.000Z',
            closedBy: 'emoguard',
            closeReason: 'disarmed delivery failed; <b>retry</b>',
          },
          { ...base, id: '20261125000000-0000000c', status: 'held' },
        ],
        { isConfigured: true, canRelease: true },
      ),
    );
    assertInert(out);
    for (const header of ['Status', 'When', 'Actor', 'Reason'])
      assert.ok(out.includes(`>${header}<`), `column ${header}`);
    const row = (id: string) => out.slice(out.indexOf(id), out.indexOf('</tr>', out.indexOf(id)));
    const a = row('0000000a');
    assert.match(a, /status-released">released</);
    assert.ok(a.includes('2026-11-25T01:02:03.000Z'), 'release time');
    assert.ok(a.includes('al&lt;i&gt;ce'), 'actor escaped');
    assert.ok(a.includes('&lt;img src=x onerror=alert(1)&gt; false positive'), 'reason escaped');
    assert.equal(a.includes('Safe view'), false, 'no actions on a closed row');
    const b = row('0000000b');
    assert.match(b, /status-deleted">deleted</);
    assert.ok(b.includes('>emoguard<'), 'the filter is the actor of its own closes');
    assert.ok(b.includes('disarmed delivery failed; &lt;b&gt;retry&lt;/b&gt;'), 'its reason');
    const c = row('0000000c');
    assert.match(c, /status-held">held</);
    assert.ok(c.includes('Safe view'), 'a held row keeps its actions');
  });

  test('rows written before status existed, as the quarantine folder reads them: released by the record text, active ones held (ja labels)', () => {
    const legacy = [
      {
        ...base,
        id: '20261125000000-0000000d',
        releasedAt: '2026-11-25T00:00:00.000Z',
        releasedBy: 'released by bob',
      },
      { ...base, id: '20261125000000-0000000e' },
    ];
    const out = String(
      renderQuarantine(page, legacy.map(normalizeQuarantineRecord), {
        isConfigured: true,
        canRelease: false,
      }),
    );
    assert.match(out, /status-released">解放済み</);
    assert.match(out, /status-held">保留中</);
    const d = out.slice(out.indexOf('0000000d'), out.indexOf('</tr>', out.indexOf('0000000d')));
    assert.ok(d.includes('>bob<'), 'the actor from the old text');
  });
});
