import { SEVERITIES, STEPS } from '../../../core/index.js';

import type {
  AuditRecord,
  FindingRecord,
  IntelStats,
  TokenRecord,
  UserRecord,
} from '../../../store/index.js';
import type { QuarantineRecord } from '../../smtp/index.js';
import { evidenceText, html, path, shown } from '../html.js';
import {
  csrfField,
  labelsOf,
  layout,
  severityBadge,
  STEP_MARKS,
  table,
  type PageContext,
} from '../layout.js';
import { safeViewPath } from './safe-view.js';

export interface FindingSearch {
  q?: string;
  step?: string;
  severity?: string;
  rule?: string;
  host?: string;
}

export function renderFindings(
  page: PageContext,
  findings: readonly FindingRecord[],
  query: FindingSearch,
  truncated: boolean,
): string {
  const L = labelsOf(page);
  const select = (name: string, label: string, values: readonly string[], current?: string) =>
    html`<label
      >${label}<select name="${name}">
        <option value="">*</option>
        ${values.map(
          (v) =>
            html`<option value="${v}" ${current === v ? html` selected` : ''}>
              ${STEP_MARKS[v] && name === 'step' ? STEP_MARKS[v] : v}
            </option>`,
        )}
      </select></label
    >`;
  const form = html`<form method="get" action="/findings" class="filters">
    <label>${L.text}<input name="q" value="${query.q ?? ''}" maxlength="200" /></label>
    ${select('step', L.step, STEPS, query.step)}
    ${select('severity', `${L.severity} ≥`, SEVERITIES, query.severity)}
    <label>${L.rule}<input name="rule" value="${query.rule ?? ''}" maxlength="200" /></label>
    <label>${L.host}<input name="host" value="${query.host ?? ''}" maxlength="200" /></label>
    <button type="submit">${L.search}</button>
  </form>`;
  const rows = findings.map(
    (f) =>
      html`<tr>
        <td>${f.id}</td>
        <td>${STEP_MARKS[f.step] ?? f.step}</td>
        <td>${severityBadge(f.severity)}</td>
        <td class="mono">${f.ruleId}</td>
        <td>${shown(f.title)}</td>
        <td>${f.host ?? ''}</td>
        <td class="mono">${shown(f.artifactPath)}</td>
        <td class="ev">
          ${f.evidence.slice(0, 3).map((e) => html`<div>${shown(evidenceText(e))}</div>`)}
        </td>
      </tr>`,
  );
  return layout(
    page,
    L.findings,
    html`${form}${table(['#', L.step, L.severity, L.rule, L.title, L.host, L.artifact, L.evidence], rows, L.none)}
    ${truncated ? html`<p class="meta">…</p>` : ''}`,
  );
}

/**
 * Status, time, actor and reason of a release or delete, from the record's own fields (the quarantine
 * folder fills them for records written before they existed).
 */
function closeCells(r: QuarantineRecord, L: ReturnType<typeof labelsOf>): ReturnType<typeof html> {
  const status = r.status ?? (r.releasedAt ? 'deleted' : 'held');
  const actor = r.closedBy ?? '';
  const reason = r.closeReason ?? '';
  const label = status === 'released' ? L.released : status === 'deleted' ? L.deleted : L.held;
  return html`<td class="status-${status}">${label}</td>
    <td class="mono">${r.releasedAt ?? ''}</td>
    <td>${shown(actor)}</td>
    <td>${shown(reason)}</td>`;
}

export function renderQuarantine(
  page: PageContext,
  records: readonly QuarantineRecord[],
  options: { isConfigured: boolean; canRelease: boolean },
): string {
  const L = labelsOf(page);
  if (!options.isConfigured)
    return layout(page, L.quarantine, html`<p class="empty">${L.notAvailable}</p>`);
  const canChange = page.user?.role === 'analyst' || page.user?.role === 'admin';
  const action = (r: QuarantineRecord, verb: 'release' | 'delete', label: string) =>
    html`<form method="post" action="${path(['quarantine', r.id, verb])}" class="filters">
      ${csrfField(page)}
      <input
        name="reason"
        required
        maxlength="500"
        placeholder="${L.reason}"
        aria-label="${L.reason}"
      /><button type="submit">${label}</button>
    </form>`;
  const rows = records.map(
    (r) =>
      html`<tr>
        <td class="mono">${r.id}</td>
        <td class="mono">${r.receivedAt}</td>
        <td>${shown(r.envelope.from)}</td>
        <td>${shown(r.envelope.to.join(', '))}</td>
        <td>${shown(r.subject)}</td>
        <td class="${r.verdict}">${r.verdict}</td>
        <td class="mono">${r.findings.slice(0, 5).join(', ')}</td>
        ${closeCells(r, L)}
        <td class="actions">
          ${r.releasedAt ? '' : html`<a class="safe-view-link" href="${safeViewPath(r.id)}">${L.safeView}</a>`}
          ${
            r.releasedAt || !canChange
              ? ''
              : html`${options.canRelease ? action(r, 'release', L.release) : ''}${action(r, 'delete', L.delete)}
                  <form
                    method="post"
                    action="${path(['quarantine', r.id, 'download'])}"
                    class="filters"
                  >
                    ${csrfField(page)}
                    <input
                      name="password"
                      required
                      minlength="8"
                      maxlength="100"
                      value="infected-${r.id.slice(-4)}"
                      aria-label="${L.zipPassword}"
                    /><button type="submit">${L.download}</button>
                  </form>`
          }
        </td>
      </tr>`,
  );
  return layout(
    page,
    L.quarantine,
    table(
      [
        L.id,
        L.received,
        L.from,
        L.to,
        L.subject,
        L.verdict,
        L.findings,
        L.status,
        L.when,
        L.actor,
        L.reason,
        '',
      ],
      rows,
      L.none,
    ),
  );
}

export function renderIntel(page: PageContext, stats: IntelStats): string {
  const L = labelsOf(page);
  const rows = stats.bySource.map(
    (s) =>
      html`<tr>
        <td>${s.source}</td>
        <td>${s.total}</td>
        <td>${s.active}</td>
        <td>${s.expired}</td>
        <td class="mono">
          ${Object.entries(s.byType)
            .map(([k, v]) => `${k}:${v}`)
            .join(' ')}
        </td>
        <td class="mono">${s.lastImport?.toISOString() ?? ''}</td>
      </tr>`,
  );
  return layout(
    page,
    L.intel,
    html`<p>
        ${L.total}: ${stats.total} · ${L.active}: ${stats.active} · ${L.expired}: ${stats.expired}
      </p>
      ${table([L.source, L.total, L.active, L.expired, 'types', L.lastImport], rows, L.none)}`,
  );
}

export function renderAudit(page: PageContext, records: readonly AuditRecord[]): string {
  const L = labelsOf(page);
  const rows = records.map(
    (a) =>
      html`<tr>
        <td class="mono">${a.at.toISOString()}</td>
        <td>${a.actor}</td>
        <td class="mono">${a.action}</td>
        <td class="mono">${a.target}</td>
        <td>${a.reason === null ? '' : shown(a.reason)}</td>
        <td class="mono">${JSON.stringify(a.detail)}</td>
      </tr>`,
  );
  return layout(
    page,
    L.audit,
    table([L.when, L.actor, L.action, L.target, L.reason, ''], rows, L.none),
  );
}

export function renderUsers(
  page: PageContext,
  users: readonly UserRecord[],
  tokens: readonly TokenRecord[],
): string {
  const L = labelsOf(page);
  const userRows = users.map(
    (u) =>
      html`<tr>
        <td>${u.name}</td>
        <td>${u.role}</td>
        <td class="mono">${u.createdAt.toISOString()}</td>
      </tr>`,
  );
  const tokenRows = tokens.map(
    (t) =>
      html`<tr>
        <td>${t.id}</td>
        <td>${t.userName}</td>
        <td>${t.name}</td>
        <td class="mono">${t.prefix}…</td>
        <td class="mono">${t.lastUsedAt?.toISOString() ?? ''}</td>
        <td>
          ${t.revokedAt ? t.revokedAt.toISOString() : html`<form method="post" action="${path(['tokens', t.id, 'revoke'])}" class="inline">${csrfField(page)}<button type="submit">revoke</button></form>`}
        </td>
      </tr>`,
  );
  return layout(
    page,
    L.users,
    html`${table([L.user, L.role, L.created], userRows, L.none)}
      <h2>${L.tokens}</h2>
      ${table([L.id, L.user, L.title, 'prefix', 'last used', 'revoked'], tokenRows, L.none)}
      <p class="meta">
        emoguard user add NAME --role viewer|analyst|admin · emoguard token create --user NAME
      </p>`,
  );
}
