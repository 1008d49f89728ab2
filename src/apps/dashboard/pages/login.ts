import { html } from '../html.js';
import { labelsOf, layout, type PageContext } from '../layout.js';

export interface LoginPage {
  /** The pre-session token of the login form (double-submitted with a cookie). */
  loginToken: string;
  name?: string;
  error?: string;
}

export function renderLogin(page: PageContext, data: LoginPage): string {
  const L = labelsOf(page);
  return layout(
    page,
    L.login,
    html`${data.error ? html`<p class="error" role="alert">${data.error}</p>` : ''}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="_login" value="${data.loginToken}" />
        <label
          >${L.user}<input
            name="name"
            autocomplete="username"
            required
            maxlength="64"
            value="${data.name ?? ''}"
            autofocus
        /></label>
        <label
          >${L.password}<input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxlength="1024"
        /></label>
        <button type="submit">${L.login}</button>
      </form>`,
  );
}

export function renderError(page: PageContext, status: number, message: string): string {
  return layout(page, `${status}`, html`<p class="error">${message}</p>`);
}
