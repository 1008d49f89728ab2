import type { Store } from '../../store/index.js';
import { appendCookie, cookie, HttpError, type Principal, type RequestContext } from './http.js';
import { dummyHash, SCRYPT_DEFAULTS, verifyPassword, type ScryptCost } from './password.js';
import { FailureLimiter } from './rate-limit.js';
import { digest, randomSecret, safeEqual, TOKEN_PREFIX } from './secrets.js';

export const SESSION_COOKIE = 'eg_session';
export const LOGIN_CSRF_COOKIE = 'eg_login';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthOptions {
  /** A session unused this long is dead (default 30 minutes). */
  idleMs?: number;
  /** A session ends this long after login whatever its use (default 12 hours). */
  absoluteMs?: number;
  /** Add `Secure` to cookies (behind TLS). */
  secureCookies?: boolean;
  scryptCost?: ScryptCost;
  /** Failed logins per user name per window (default 5), per client address (default 20). */
  maxFailuresPerUser?: number;
  maxFailuresPerIp?: number;
  failureWindowMs?: number;
  now?: () => Date;
}

export type LoginResult =
  | { ok: true; sessionId: string; csrfToken: string; principal: Principal }
  | { ok: false; retryAfter?: number };

/** Sessions, bearer tokens, CSRF and role checks over `store.auth`. */
export class Auth {
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly secureCookies: boolean;
  readonly #cost: ScryptCost;
  readonly #now: () => Date;
  readonly #byUser: FailureLimiter;
  readonly #byIp: FailureLimiter;
  #dummy: Promise<string> | undefined;

  constructor(
    private readonly store: Store,
    options: AuthOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 30 * 60_000;
    this.absoluteMs = options.absoluteMs ?? 12 * 3_600_000;
    this.secureCookies = options.secureCookies ?? false;
    this.#cost = options.scryptCost ?? SCRYPT_DEFAULTS;
    this.#now = options.now ?? (() => new Date());
    const windowMs = options.failureWindowMs ?? 15 * 60_000;
    this.#byUser = new FailureLimiter({ maxFailures: options.maxFailuresPerUser ?? 5, windowMs });
    this.#byIp = new FailureLimiter({ maxFailures: options.maxFailuresPerIp ?? 20, windowMs });
  }

  async login(name: string, password: string, ip: string): Promise<LoginResult> {
    const now = this.#now().getTime();
    const userKey = `u:${name.normalize('NFC').toLowerCase()}`;
    const ipKey = `ip:${ip}`;
    const wait = Math.max(this.#byUser.retryAfter(userKey, now), this.#byIp.retryAfter(ipKey, now));
    if (wait > 0) return { ok: false, retryAfter: wait };
    const user = name.length <= 64 ? await this.store.auth.getUserByName(name) : undefined;
    // SECURITY: an unknown name costs one scrypt too, so timing does not tell which names exist.
    this.#dummy ??= dummyHash(this.#cost);
    const isValid = await verifyPassword(password, user?.passwordHash ?? (await this.#dummy));
    if (user === undefined || !isValid) {
      this.#byUser.fail(userKey, now);
      this.#byIp.fail(ipKey, now);
      return { ok: false };
    }
    this.#byUser.reset(userKey);
    const sessionId = randomSecret();
    const csrfToken = randomSecret();
    const at = new Date(now);
    await this.store.auth.createSession({
      idHash: digest(sessionId),
      userId: user.id,
      csrfToken,
      createdAt: at,
      lastSeenAt: at,
      expiresAt: new Date(now + this.idleMs),
    });
    await this.store.auth.deleteExpiredSessions(at);
    return { ok: true, sessionId, csrfToken, principal: { user, via: 'session', csrfToken } };
  }

  sessionCookie(sessionId: string): string {
    return cookie(SESSION_COOKIE, sessionId, {
      secure: this.secureCookies,
      maxAgeSeconds: Math.floor(this.absoluteMs / 1000),
    });
  }

  clearSessionCookie(): string {
    return cookie(SESSION_COOKIE, '', { secure: this.secureCookies, maxAgeSeconds: 0 });
  }

  /** The principal of a request from its bearer token or session cookie; undefined when neither is valid. */
  async authenticate(ctx: RequestContext): Promise<Principal | undefined> {
    const header = ctx.req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S{1,200})$/i.exec(header);
      if (!m || !m[1]!.startsWith(TOKEN_PREFIX)) return undefined;
      const token = await this.store.auth.findToken(digest(m[1]!));
      if (token === undefined) return undefined;
      const user = await this.store.auth.getUser(token.userId);
      if (user === undefined) return undefined;
      const now = this.#now();
      // "Last used" to the minute: one write a minute per token, not one per request.
      if (token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
        await this.store.auth.touchToken(token.id, now);
      }
      return { user, via: 'token' };
    }
    const sessionId = ctx.cookies[SESSION_COOKIE];
    if (!sessionId || sessionId.length > 100) return undefined;
    const idHash = digest(sessionId);
    const session = await this.store.auth.getSession(idHash);
    if (session === undefined) return undefined;
    const now = this.#now();
    const isExpired =
      session.expiresAt.getTime() <= now.getTime() ||
      now.getTime() - session.createdAt.getTime() >= this.absoluteMs;
    if (isExpired) {
      await this.store.auth.deleteSession(idHash);
      appendCookie(ctx.res, this.clearSessionCookie());
      return undefined;
    }
    const user = await this.store.auth.getUser(session.userId);
    if (user === undefined) return undefined;
    // Sliding idle expiry, written at most once a minute so reads stay reads.
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
      await this.store.auth.touchSession(idHash, now, new Date(now.getTime() + this.idleMs));
    }
    return { user, via: 'session', csrfToken: session.csrfToken };
  }

  async logout(ctx: RequestContext): Promise<void> {
    const sessionId = ctx.cookies[SESSION_COOKIE];
    if (sessionId) await this.store.auth.deleteSession(digest(sessionId));
    appendCookie(ctx.res, this.clearSessionCookie());
  }
}

/**
 * SECURITY: the request comes from one of our own pages. Browsers send Origin on every POST (our
 * Referrer-Policy keeps it non-null for same-origin posts); a missing or foreign Origin is refused.
 */
export function checkOrigin(ctx: RequestContext): void {
  const host = ctx.req.headers.host;
  const origin = ctx.req.headers.origin ?? refererOrigin(ctx.req.headers.referer);
  if (origin === undefined || host === undefined) throw new HttpError(403, 'missing Origin header');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new HttpError(403, 'cross-origin request refused');
  }
  if (originHost !== host) throw new HttpError(403, 'cross-origin request refused');
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/**
 * SECURITY: every state change made with a session cookie carries the session's synchronizer token (form
 * field or X-CSRF-Token header) and a same-origin Origin. Bearer tokens are not sent by browsers on
 * their own, so requests made with them cannot be forged cross-site and need neither.
 */
export function checkCsrf(ctx: RequestContext, fields: Record<string, string>): void {
  const p = ctx.principal;
  if (p === undefined || p.via === 'token') return;
  checkOrigin(ctx);
  const header = ctx.req.headers[CSRF_HEADER];
  const sent = fields[CSRF_FIELD] ?? (typeof header === 'string' ? header : undefined);
  if (sent === undefined || p.csrfToken === undefined || !safeEqual(sent, p.csrfToken)) {
    throw new HttpError(403, 'invalid or missing CSRF token');
  }
}
