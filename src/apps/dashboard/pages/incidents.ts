import type { IncidentView, ProcessNode } from '../../../correlate/types.js';
import { defangIoc } from '../../../report/index.js';
import { INCIDENT_STATUSES, type Incident } from '../../../store/index.js';
import { html, path, shown, type Html } from '../html.js';
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

const steps = (list: readonly string[]) => list.map((s) => STEP_MARKS[s] ?? s).join(' ');
const canChange = (page: PageContext) =>
  page.user?.role === 'analyst' || page.user?.role === 'admin';

/** Rows per page of the incident list. */
export const INCIDENTS_PER_PAGE = 100;

export function renderIncidentList(
  page: PageContext,
  all: readonly Incident[],
  filter: { status?: string; page?: number },
): string {
  const L = labelsOf(page);
  const pages = Math.max(1, Math.ceil(all.length / INCIDENTS_PER_PAGE));
  const current = Math.min(Math.max(1, filter.page ?? 1), pages);
  const incidents = all.slice((current - 1) * INCIDENTS_PER_PAGE, current * INCIDENTS_PER_PAGE);
  const pager =
    pages === 1
      ? html``
      : html`<p class="pager">
          ${current > 1 ? html`<a rel="prev" href="${path(['incidents'], { status: filter.status, page: current - 1 })}">←</a>` : ''}
          ${current} / ${pages} (${all.length})
          ${current < pages ? html`<a rel="next" href="${path(['incidents'], { status: filter.status, page: current + 1 })}">→</a>` : ''}
        </p>`;
  const rows = incidents.map(
    (i) =>
      html`<tr>
        <td><a href="${path(['incidents', i.id])}">#${i.id}</a></td>
        <td><a href="${path(['incidents', i.id])}">${shown(i.title)}</a></td>
        <td>${i.subject === null ? '' : shown(i.subject)}</td>
        <td>${severityBadge(i.severity)}</td>
        <td>${i.status}</td>
        <td>${steps(i.steps)}</td>
        <td>${i.owner ?? ''}</td>
        <td class="mono">${i.updatedAt.toISOString()}</td>
      </tr>`,
  );
  const filters = html`<form method="get" action="/incidents" class="filters">
    <label
      >${L.status}<select name="status">
        <option value="">*</option>
        ${INCIDENT_STATUSES.map(
          (s) =>
            html`<option value="${s}" ${filter.status === s ? html` selected` : ''}>${s}</option>`,
        )}
      </select></label
    >
    <button type="submit">${L.search}</button>
  </form>`;
  return layout(
    page,
    L.incidents,
    html`${filters}${table(
      [L.id, L.title, L.host, L.severity, L.status, L.steps, L.owner, L.updated],
      rows,
      L.none,
    )}${pager}`,
  );
}

function processTree(nodes: readonly ProcessNode[], depth = 0): Html {
  // Depth is bounded by correlation; the cap keeps a hostile tree from blowing the stack here too.
  if (nodes.length === 0 || depth > 64) return html``;
  return html`<ul class="tree">
    ${nodes.map(
      (n) =>
        html`<li>
          <span class="mono">${n.pid === null ? '' : `[${n.pid}] `}${shown(n.image)}</span>
          ${n.commandLine === null ? '' : html`<div class="ev">${shown(n.commandLine)}</div>`}
          ${n.user === null ? '' : html`<span class="meta">${n.user}</span>`}
          ${processTree(n.children, depth + 1)}
        </li>`,
    )}
  </ul>`;
}

function statusForm(page: PageContext, view: IncidentView): Html {
  const L = labelsOf(page);
  if (!canChange(page)) return html``;
  return html`<form
    method="post"
    action="${path(['incidents', view.incident.id, 'status'])}"
    class="filters"
    id="status-form"
  >
    ${csrfField(page)}
    <label
      >${L.changeStatus}<select name="status">
        ${INCIDENT_STATUSES.map(
          (s) =>
            html`<option value="${s}" ${view.incident.status === s ? html` selected` : ''}>
              ${s}
            </option>`,
        )}
      </select></label
    >
    <label>${L.reason}<input name="reason" maxlength="500" /></label>
    <button type="submit">${L.save}</button>
  </form>`;
}

function reportLinks(page: PageContext, id: number): Html {
  const L = labelsOf(page);
  const formats: Array<[string, string]> = [
    ['html', 'lang'],
    ['md', 'lang'],
    ['json', 'lang'],
  ];
  return html`<p class="report">
    ${L.report}:
    ${formats.map(
      ([format]) =>
        html`<a href="${path(['incidents', id, 'report'], { format, lang: page.lang })}" download
          >${format.toUpperCase()}</a
        > `,
    )}
  </p>`;
}

/**
 * `quarantined`: mail artifact id → id of the active quarantine record holding that very message (same
 * SHA-256), for a safe-view link on its row; the view shows the attachments below the mail.
 */
export function renderIncidentDetail(
  page: PageContext,
  view: IncidentView,
  notes: ReadonlyArray<{ at: string; author: string; text: string }> = [],
  quarantined: ReadonlyMap<number, string> = new Map(),
): string {
  const L = labelsOf(page);
  const i = view.incident;
  const byLayer = (layer: string) => view.timeline.filter((t) => t.layer === layer);
  const timelineRows = (entries: IncidentView['timeline']) =>
    entries.map(
      (t) =>
        html`<tr>
          <td class="mono">${t.at}${t.isEventTime ? '' : ' *'}</td>
          <td>${STEP_MARKS[t.step] ?? t.step}</td>
          <td>${t.layer}</td>
          <td>${severityBadge(t.severity)}</td>
          <td class="mono">${t.ruleId}</td>
          <td>${shown(t.title)}</td>
          <td>${t.host ?? ''}</td>
          <td class="ev"><div>${shown(t.summary)}</div></td>
        </tr>`,
    );
  const timelineHead = [L.when, L.step, 'layer', L.severity, L.rule, L.title, L.host, L.evidence];
  const body = html`<p class="meta">
      #${i.id} · ${severityBadge(i.severity)} · ${L.status}:
      <strong id="incident-status">${i.status}</strong> · ${L.host}:
      ${view.host?.name ?? i.subject ?? '—'} · ${L.owner}: ${i.owner ?? '—'} · ${L.updated}:
      ${i.updatedAt.toISOString()}
    </p>
    ${statusForm(page, view)} ${reportLinks(page, i.id)}
    <h2>${L.progression}</h2>
    <div class="steps">
      ${view.progression.map(
        (s) =>
          html`<div class="step${s.observed ? ' seen' : ''}${s.blocked ? ' blocked' : ''}">
            <strong>${STEP_MARKS[s.step] ?? s.step}</strong>
            ${s.observed ? L.observed : L.notObserved}${s.blocked ? ` · ${L.blocked}` : ''}
            <div class="meta">
              ${s.layers.join(', ')}${s.findings > 0 ? ` · ${s.findings}` : ''}
            </div>
          </div>`,
      )}
    </div>
    <h2>${L.timeline}</h2>
    ${table(timelineHead, timelineRows(view.timeline), L.none)}
    <h2>${L.processTree}</h2>
    ${view.processTree.length === 0 ? html`<p class="empty">${L.none}</p>` : processTree(view.processTree)}
    <h2>${L.mails}</h2>
    ${table(
      [L.subject, L.from, L.to, L.date, L.attachments],
      view.mails.map(
        (m) =>
          html`<tr>
            <td class="mail-subject">
              ${m.subject === null ? '' : shown(m.subject)}
              ${quarantined.has(m.artifactId) ? html` <a class="safe-view-link" href="${safeViewPath(quarantined.get(m.artifactId)!)}">${L.safeView}</a>` : ''}
            </td>
            <td>${m.from === null ? '' : shown(m.from)}</td>
            <td>${shown(m.to.join(', '))}</td>
            <td class="mono">${m.date ?? ''}</td>
            <td>
              <ul>
                ${m.attachments.map(
                  (a) =>
                    html`<li>
                      ${shown(a.name)} <span class="${a.verdict}">${a.verdict}</span>
                      <span class="mono meta">${a.sha256.slice(0, 16)}…</span>
                    </li>`,
                )}
              </ul>
            </td>
          </tr>`,
      ),
      L.none,
    )}
    <h2>${L.network}</h2>
    ${table(timelineHead, timelineRows(byLayer('network')), L.none)}
    <h2>${L.memory}</h2>
    ${table(timelineHead, timelineRows(byLayer('memory')), L.none)}
    <h2>${L.scope}</h2>
    <ul>
      <li>${L.hosts}: ${view.scope.hosts.join(', ') || '—'}</li>
      <li>${L.accounts}: ${view.scope.users.join(', ') || '—'}</li>
      <li>${L.mailboxes}: ${shown(view.scope.mailboxes.join(', ')) || '—'}</li>
    </ul>
    ${table(
      [L.contacts, L.reason, 'via'],
      view.scope.externalContacts.map(
        (c) =>
          html`<tr>
            <td>${shown(c.address)}</td>
            <td>${c.reasons.join(', ')}</td>
            <td>${c.via.join(', ')}</td>
          </tr>`,
      ),
      L.none,
    )}
    <h3>${L.lateral}</h3>
    ${table(
      [L.from, L.to, 'protocol', L.when],
      view.scope.lateral.map(
        (e) =>
          html`<tr>
            <td>${shown(e.from)}</td>
            <td>${shown(e.to)}</td>
            <td>${e.protocol}</td>
            <td class="mono">${e.firstSeen ?? ''}</td>
          </tr>`,
      ),
      L.none,
    )}
    <h3>${L.shared}</h3>
    ${table(
      ['kind', 'value', L.hosts],
      view.scope.shared.map(
        (x) =>
          html`<tr>
            <td>${x.kind}</td>
            <td class="mono">
              ${x.kind === 'domain' ? defangIoc('domains', x.value) : x.kind === 'url' ? defangIoc('urls', x.value) : shown(x.value)}
            </td>
            <td>${shown(x.others.join(', '))}</td>
          </tr>`,
      ),
      L.none,
    )}
    <h2>${L.iocs}</h2>
    ${table(
      ['kind', 'value', L.source, 'feeds'],
      view.iocs.map(
        (c) =>
          html`<tr>
            <td>${c.kind}</td>
            <td class="mono">${defanged(c.kind, c.value)}</td>
            <td class="mono">${c.sources.join(', ')}</td>
            <td>${c.feeds.join(', ')}</td>
          </tr>`,
      ),
      L.none,
    )}
    <h2>${L.techniques}</h2>
    ${table(
      ['ATT&CK', L.title, L.steps, L.findings],
      view.techniques.map(
        (t) =>
          html`<tr>
            <td class="mono">${t.id}</td>
            <td>${t.name}</td>
            <td>${steps(t.steps)}</td>
            <td>${t.findings}</td>
          </tr>`,
      ),
      L.none,
    )}
    <h2>${L.notes}</h2>
    ${
      notes.length === 0
        ? html`<p class="empty">${L.none}</p>`
        : html`<ul>
            ${notes.map((n) => html`<li><span class="mono">${n.at}</span> ${n.author}: ${shown(n.text)}</li>`)}
          </ul>`
    }
    ${
      canChange(page)
        ? html`<form
            method="post"
            action="${path(['incidents', i.id, 'notes'])}"
            class="filters"
            id="note-form"
          >
            ${csrfField(page)}<label
              >${L.notes}<input name="text" required maxlength="2000" /></label
            ><button type="submit">${L.save}</button>
          </form>`
        : ''
    }`;
  return layout(page, `#${i.id} ${shown(i.title)}`, body);
}

function defanged(kind: string, value: string): string {
  const k = ({ url: 'urls', domain: 'domains', ip: 'ips', email: 'emails' } as const)[
    kind as 'url' | 'domain' | 'ip' | 'email'
  ];
  return k === undefined ? shown(value) : defangIoc(k, value);
}
