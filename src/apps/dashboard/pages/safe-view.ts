import type { QuarantineRecord } from '../../smtp/index.js';
import { html, path, shown } from '../html.js';
import { labelsOf, layout, type PageContext } from '../layout.js';

/** Where the safe view of a quarantined message is framed from (api/routes/safe-view.ts serves it). */
export function safeViewFramePath(id: string): string {
  return path(['quarantine', id, 'view', 'frame']);
}

/** The page that holds the safe view: the record's envelope, then the view itself in a sandboxed frame. */
export function safeViewPath(id: string): string {
  return path(['quarantine', id, 'view']);
}

/**
 * SECURITY: the frame is `sandbox` with no allow-* token — no script, no same-origin access to the
 * dashboard (its cookies, its CSRF token), no forms, no popups, no top navigation — on top of the
 * frame's own CSP (`sandbox; default-src 'none'`). Attacker text outside the frame is escaped by `html`.
 */
export function renderSafeViewPage(page: PageContext, record: QuarantineRecord): string {
  const L = labelsOf(page);
  const body = html`<p class="meta">
      <span class="mono">${record.id}</span> · ${L.from}: ${shown(record.envelope.from)} · ${L.to}:
      ${shown(record.envelope.to.join(', '))} · ${L.subject}:
      <span class="safe-view-subject">${shown(record.subject)}</span> ·
      <span class="${record.verdict}">${record.verdict}</span>
    </p>
    <p class="meta">${L.safeViewNote}</p>
    <iframe
      class="safe-view"
      sandbox
      referrerpolicy="no-referrer"
      title="${L.safeView}"
      src="${safeViewFramePath(record.id)}"
    ></iframe>
    <p><a href="/quarantine">${L.back}</a></p>`;
  return layout(page, `${L.safeView}: ${record.id}`, body);
}
