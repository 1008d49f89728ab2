import { html, path, type Html, type Interpolation } from './html.js';
import { DASHBOARD_LABELS, type DashboardLabels, type DashboardLang } from './labels.js';

/** What every page needs besides its data. */
export interface PageContext {
  lang: DashboardLang;
  /** Undefined on the login page. */
  user?: { name: string; role: 'viewer' | 'analyst' | 'admin' };
  /** The session's synchronizer token, put in every form. */
  csrfToken?: string;
  /** Current path, for the language switch. */
  current?: string;
}

export function labelsOf(page: PageContext): DashboardLabels {
  return DASHBOARD_LABELS[page.lang];
}

/** SECURITY: the hidden synchronizer token every state-changing form carries (checked by api/auth.ts). */
export function csrfField(page: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${page.csrfToken ?? ''}" />`;
}

function nav(page: PageContext): Html {
  const L = labelsOf(page);
  if (page.user === undefined) return html``;
  const links: Array<[string, string]> = [
    ['/incidents', L.incidents],
    ['/findings', L.findings],
    ['/quarantine', L.quarantine],
    ['/intel', L.intel],
    ['/coverage', L.coverage],
    ['/audit', L.audit],
  ];
  if (page.user.role === 'admin') links.push(['/users', L.users]);
  const other = page.lang === 'ja' ? 'en' : 'ja';
  return html`<nav>
    <a class="brand" href="/incidents">emoguard</a>
    ${links.map(([href, text]) => html`<a href="${href}">${text}</a>`)}
    <span class="spacer"></span>
    <a href="${path(['lang', other], { next: page.current })}" lang="${other}"
      >${other === 'ja' ? '日本語' : 'English'}</a
    >
    <span class="who">${page.user.name} (${page.user.role})</span>
    <form method="post" action="/logout" class="inline">
      ${csrfField(page)}<button type="submit">${L.logout}</button>
    </form>
  </nav>`;
}

/** The page shell: UTF-8, the chosen `lang`, one stylesheet and one script from our origin, no inline code. */
export function layout(page: PageContext, title: string, body: Interpolation): string {
  return html`<!DOCTYPE html>
    <html lang="${page.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — emoguard</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/app.js" defer></script>
      </head>
      <body>
        <header>${nav(page)}</header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `.value;
}

export function table(headers: Interpolation[], rows: Html[], empty: string): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<table>
    <thead>
      <tr>
        ${headers.map((h) => html`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

export function severityBadge(severity: string | null | undefined): Html {
  if (!severity) return html``;
  return html`<span class="sev sev-${severity}">${severity}</span>`;
}

export const STEP_MARKS: Record<string, string> = {
  '1': '①',
  '2': '②',
  '3': '③',
  '4': '④',
  '5': '⑤',
  '6': '⑥',
  post: 'post',
};
