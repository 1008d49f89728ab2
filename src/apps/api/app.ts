import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, DefenseError } from '../../core/index.js';
import type { CoverageMatrix } from '../../correlate/coverage/index.js';
import type { Role, Store } from '../../store/index.js';
import { Auth, checkCsrf, type AuthOptions } from './auth.js';
import {
  HttpError,
  parseCookies,
  readFields,
  ROLE_RANK,
  sendHtml,
  sendJson,
  redirect,
  type RequestContext,
} from './http.js';
import type { QuarantineAccess } from './quarantine.js';
import { apiRoutes } from './routes/api.js';
import { pageRoutes, renderErrorPage } from './routes/pages.js';
import { safeViewRoutes } from './routes/safe-view.js';
import {
  servicesOf,
  type RenderIncidentReport,
  type Services,
  type ViewIncident,
} from './services.js';

export type Handler = (ctx: RequestContext, fields: Record<string, string>) => Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  pattern: RegExp;
  /** Undefined: public (login, static assets). */
  role?: Role;
  /** State changes made by the route itself check CSRF (only /login, which has no session yet). */
  isOwnCsrf?: boolean;
  handler: Handler;
}

export interface ApiOptions {
  store: Store;
  auth?: AuthOptions;
  quarantine?: QuarantineAccess;
  /** `buildIncidentView` from src/correlate; without it a view from the store alone. */
  viewIncident?: ViewIncident;
  renderReport?: RenderIncidentReport;
  /** The coverage matrix for /coverage (the CLI runs the inert simulation once, on first view). */
  coverage?: () => Promise<CoverageMatrix>;
  /** Unexpected errors (500s) go here; the client sees only a generic message. */
  onError?: (error: unknown) => void;
}

export interface ApiApp {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  auth: Auth;
  services: Services;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The HTTP application: JSON under /api/, HTML pages elsewhere, one authentication and CSRF gate in front
 * of every route (SECURITY: routes never check these themselves, so none can forget).
 */
export function createApp(options: ApiOptions): ApiApp {
  const auth = new Auth(options.store, options.auth);
  const services = servicesOf(options);
  const routes: Route[] = [
    ...apiRoutes(services),
    ...pageRoutes(services, auth),
    ...safeViewRoutes(services),
  ];

  async function dispatch(ctx: RequestContext): Promise<void> {
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    let allowed = false;
    for (const route of routes) {
      const m = route.pattern.exec(ctx.url.pathname);
      if (!m) continue;
      allowed = true;
      if (route.method !== method) continue;
      ctx.params = { ...(m.groups ?? {}) };
      ctx.principal = await auth.authenticate(ctx);
      if (route.role !== undefined) {
        if (ctx.principal === undefined) throw new HttpError(401, 'authentication required');
        if (ROLE_RANK[ctx.principal.user.role] < ROLE_RANK[route.role]) {
          throw new HttpError(403, `this needs the ${route.role} role`);
        }
      }
      let fields: Record<string, string> = {};
      if (STATE_CHANGING.has(method)) {
        fields = await readFields(ctx.req);
        // SECURITY: CSRF gate for every state change made with a session cookie.
        if (!route.isOwnCsrf) checkCsrf(ctx, fields);
      }
      await route.handler(ctx, fields);
      return;
    }
    throw allowed ? new HttpError(405, 'method not allowed') : new HttpError(404, 'not found');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      url = new URL('http://localhost/');
    }
    const ctx: RequestContext = {
      req,
      res,
      method: (req.method ?? 'GET').toUpperCase(),
      url,
      params: {},
      cookies: parseCookies(req.headers.cookie),
      ip: req.socket.remoteAddress ?? 'unknown',
    };
    try {
      await dispatch(ctx);
    } catch (error) {
      const { status, message, headers } = describe(error);
      if (status >= 500) options.onError?.(error);
      if (url.pathname.startsWith('/api/')) {
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="emoguard"');
        sendJson(ctx, status, { error: message });
      } else if (status === 401) {
        redirect(ctx, `/login`);
      } else {
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        sendHtml(ctx, status, renderErrorPage(ctx, status, message));
      }
    }
  }

  return { handle, auth, services };
}

function describe(error: unknown): {
  status: number;
  message: string;
  headers: Record<string, string>;
} {
  if (error instanceof HttpError)
    return { status: error.status, message: error.message, headers: error.headers };
  if (error instanceof ConfigError || error instanceof DefenseError) {
    const code = (error as { code?: string }).code ?? '';
    const status = /NOT_FOUND|_ID$/.test(code) ? 404 : /CLOSED/.test(code) ? 409 : 400;
    return { status, message: error.message, headers: {} };
  }
  if ((error as { code?: unknown }).code === 'ENOENT')
    return { status: 404, message: 'not found', headers: {} };
  return { status: 500, message: 'internal error', headers: {} };
}
