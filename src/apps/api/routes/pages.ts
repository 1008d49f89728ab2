import {
  APP_CSS,
  APP_JS,
  DASHBOARD_LABELS,
  isDashboardLang,
  renderAudit,
  renderCoverage,
  renderError,
  renderFindings,
  renderIncidentDetail,
  renderIncidentList,
  renderIntel,
  renderLogin,
  renderQuarantine,
  renderUsers,
  type DashboardLang,
  type PageContext,
} from '../../dashboard/index.js';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../../store/index.js';
import type { Route } from '../app.js';
import { checkOrigin, LOGIN_CSRF_COOKIE, type Auth } from '../auth.js';
import {
  appendCookie,
  attachment,
  cookie,
  HttpError,
  queryParam,
  redirect,
  send,
  sendHtml,
  type RequestContext,
} from '../http.js';
import { randomSecret, safeEqual } from '../secrets.js';
import {
  addNote,
  deleteQuarantined,
  downloadQuarantined,
  getView,
  listQuarantine,
  parseId,
  releaseQuarantined,
  searchFindings,
  setStatus,
  type Services,
} from '../services.js';
import { quarantinedMails } from '../safe-view.js';

const LANG_COOKIE = 'eg_lang';

function langOf(ctx: RequestContext): DashboardLang {
  const c = ctx.cookies[LANG_COOKIE];
  return isDashboardLang(c) ? c : 'en';
}

export function pageOf(ctx: RequestContext): PageContext {
  const p = ctx.principal;
  return {
    lang: langOf(ctx),
    current: ctx.url.pathname + ctx.url.search,
    ...(p ? { user: { name: p.user.name, role: p.user.role } } : {}),
    ...(p?.csrfToken ? { csrfToken: p.csrfToken } : {}),
  };
}

export function renderErrorPage(ctx: RequestContext, status: number, message: string): string {
  return renderError(pageOf(ctx), status, message);
}

export function pageRoutes(s: Services, auth: Auth): Route[] {
  const page = (ctx: RequestContext, html: string) => sendHtml(ctx, 200, html);
  const loginForm = (ctx: RequestContext, status: number, error?: string, name?: string) => {
    const token = randomSecret();
    appendCookie(
      ctx.res,
      cookie(LOGIN_CSRF_COOKIE, token, { secure: auth.secureCookies, maxAgeSeconds: 900 }),
    );
    sendHtml(
      ctx,
      status,
      renderLogin(pageOf(ctx), {
        loginToken: token,
        ...(error ? { error } : {}),
        ...(name ? { name } : {}),
      }),
    );
  };
  return [
    {
      method: 'GET',
      pattern: /^\/static\/app\.css$/,
      handler: async (ctx) => send(ctx, 200, APP_CSS, 'text/css; charset=utf-8'),
    },
    {
      method: 'GET',
      pattern: /^\/static\/app\.js$/,
      handler: async (ctx) => send(ctx, 200, APP_JS, 'text/javascript; charset=utf-8'),
    },
    {
      method: 'GET',
      pattern: /^\/$/,
      handler: async (ctx) => redirect(ctx, ctx.principal ? '/incidents' : '/login'),
    },
    {
      method: 'GET',
      pattern: /^\/lang\/(?<lang>[a-z]{2})$/,
      handler: async (ctx) => {
        const lang = ctx.params.lang;
        if (!isDashboardLang(lang)) throw new HttpError(404, 'unknown language');
        appendCookie(
          ctx.res,
          cookie(LANG_COOKIE, lang, { secure: auth.secureCookies, maxAgeSeconds: 31_536_000 }),
        );
        const next = queryParam(ctx, 'next') ?? '/incidents';
        redirect(ctx, next);
      },
    },
    {
      method: 'GET',
      pattern: /^\/login$/,
      handler: async (ctx) => (ctx.principal ? redirect(ctx, '/incidents') : loginForm(ctx, 200)),
    },
    {
      method: 'POST',
      pattern: /^\/login$/,
      isOwnCsrf: true,
      handler: async (ctx, fields) => {
        // SECURITY: login CSRF — same Origin, and the form's token equals the pre-session cookie.
        checkOrigin(ctx);
        const expected = ctx.cookies[LOGIN_CSRF_COOKIE] ?? '';
        if (expected === '' || !safeEqual(fields._login ?? '', expected)) {
          throw new HttpError(403, 'invalid or missing login token: reload the login page');
        }
        const L = DASHBOARD_LABELS[langOf(ctx)];
        const result = await auth.login(fields.name ?? '', fields.password ?? '', ctx.ip);
        if (!result.ok) {
          if (result.retryAfter) {
            ctx.res.setHeader('Retry-After', String(result.retryAfter));
            return loginForm(ctx, 429, L.tooManyAttempts(result.retryAfter), fields.name);
          }
          return loginForm(ctx, 401, L.loginFailed, fields.name);
        }
        appendCookie(ctx.res, auth.sessionCookie(result.sessionId));
        appendCookie(
          ctx.res,
          cookie(LOGIN_CSRF_COOKIE, '', { secure: auth.secureCookies, maxAgeSeconds: 0 }),
        );
        redirect(ctx, '/incidents');
      },
    },
    {
      method: 'POST',
      pattern: /^\/logout$/,
      role: 'viewer',
      handler: async (ctx) => {
        await auth.logout(ctx);
        redirect(ctx, '/login');
      },
    },
    {
      method: 'GET',
      pattern: /^\/incidents$/,
      role: 'viewer',
      handler: async (ctx) => {
        const status = queryParam(ctx, 'status');
        const filter = INCIDENT_STATUSES.includes(status as IncidentStatus)
          ? { status: status as IncidentStatus }
          : {};
        const list = await s.store.listIncidents(filter);
        const n = Number(queryParam(ctx, 'page') ?? 1);
        page(
          ctx,
          renderIncidentList(pageOf(ctx), list, {
            ...filter,
            page: Number.isSafeInteger(n) ? n : 1,
          }),
        );
      },
    },
    {
      method: 'GET',
      pattern: /^\/incidents\/(?<id>\d{1,15})$/,
      role: 'viewer',
      handler: async (ctx) => {
        const id = parseId(ctx.params.id);
        const view = await getView(s, id);
        // Notes arrive with the correlation schema; a store without them shows none.
        const notes = (
          typeof s.store.listIncidentNotes === 'function' ? await s.store.listIncidentNotes(id) : []
        ).map((n) => ({
          at: n.createdAt.toISOString(),
          author: n.author,
          text: n.text,
        }));
        const quarantined = await quarantinedMails(s, view);
        page(ctx, renderIncidentDetail(pageOf(ctx), view, notes, quarantined));
      },
    },
    {
      method: 'POST',
      pattern: /^\/incidents\/(?<id>\d{1,15})\/status$/,
      role: 'analyst',
      handler: async (ctx, fields) => {
        const id = parseId(ctx.params.id);
        await setStatus(s, ctx.principal!, id, fields);
        redirect(ctx, `/incidents/${id}`);
      },
    },
    {
      method: 'POST',
      pattern: /^\/incidents\/(?<id>\d{1,15})\/notes$/,
      role: 'analyst',
      handler: async (ctx, fields) => {
        const id = parseId(ctx.params.id);
        await addNote(s, ctx.principal!, id, fields);
        redirect(ctx, `/incidents/${id}`);
      },
    },
    {
      method: 'GET',
      pattern: /^\/incidents\/(?<id>\d{1,15})\/report$/,
      role: 'viewer',
      handler: async (ctx) => {
        const view = await getView(s, parseId(ctx.params.id));
        const format =
          queryParam(ctx, 'format') === 'md'
            ? 'md'
            : queryParam(ctx, 'format') === 'json'
              ? 'json'
              : 'html';
        const lang = queryParam(ctx, 'lang') === 'ja' ? 'ja' : 'en';
        const file = await s.renderReport(s.store, view, { format, lang });
        // SECURITY: a report holds attacker text; it is downloaded, never rendered under our origin.
        send(ctx, 200, file.body, `${file.contentType}; charset=utf-8`, {
          'Content-Disposition': attachment(file.fileName),
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/findings$/,
      role: 'viewer',
      handler: async (ctx) => {
        const query = {
          q: queryParam(ctx, 'q'),
          step: queryParam(ctx, 'step'),
          severity: queryParam(ctx, 'severity'),
          rule: queryParam(ctx, 'rule'),
          host: queryParam(ctx, 'host'),
        };
        const { findings, truncated } = await searchFindings(s, query);
        page(ctx, renderFindings(pageOf(ctx), findings, query, truncated));
      },
    },
    {
      method: 'GET',
      pattern: /^\/quarantine$/,
      role: 'viewer',
      handler: async (ctx) => {
        const records = s.quarantine ? await listQuarantine(s) : [];
        page(
          ctx,
          renderQuarantine(pageOf(ctx), records, {
            isConfigured: s.quarantine !== undefined,
            canRelease: s.quarantine?.release !== undefined,
          }),
        );
      },
    },
    {
      method: 'POST',
      pattern: /^\/quarantine\/(?<id>[0-9]{14}-[0-9a-f]{8})\/(?<verb>release|delete|download)$/,
      role: 'analyst',
      handler: async (ctx, fields) => {
        const id = ctx.params.id!;
        if (ctx.params.verb === 'download') {
          const { zip, fileName } = await downloadQuarantined(s, ctx.principal!, id, fields);
          send(ctx, 200, zip, 'application/zip', { 'Content-Disposition': attachment(fileName) });
          return;
        }
        if (ctx.params.verb === 'release') await releaseQuarantined(s, ctx.principal!, id, fields);
        else await deleteQuarantined(s, ctx.principal!, id, fields);
        redirect(ctx, '/quarantine');
      },
    },
    {
      method: 'GET',
      pattern: /^\/intel$/,
      role: 'viewer',
      handler: async (ctx) => page(ctx, renderIntel(pageOf(ctx), await s.store.intelStats())),
    },
    {
      method: 'GET',
      pattern: /^\/coverage$/,
      role: 'viewer',
      handler: async (ctx) =>
        page(ctx, renderCoverage(pageOf(ctx), s.coverage ? await s.coverage() : undefined)),
    },
    {
      method: 'GET',
      pattern: /^\/audit$/,
      role: 'viewer',
      handler: async (ctx) =>
        page(ctx, renderAudit(pageOf(ctx), await s.store.auth.listAudit({ limit: 500 }))),
    },
    {
      method: 'GET',
      pattern: /^\/users$/,
      role: 'admin',
      handler: async (ctx) =>
        page(
          ctx,
          renderUsers(pageOf(ctx), await s.store.auth.listUsers(), await s.store.auth.listTokens()),
        ),
    },
    {
      method: 'POST',
      pattern: /^\/tokens\/(?<id>\d{1,15})\/revoke$/,
      role: 'admin',
      handler: async (ctx) => {
        const id = parseId(ctx.params.id);
        if (await s.store.auth.revokeToken(id)) {
          await s.store.auth.appendAudit({
            actor: ctx.principal!.user.name,
            action: 'token.revoke',
            target: `token:${id}`,
          });
        }
        redirect(ctx, '/users');
      },
    },
  ];
}
