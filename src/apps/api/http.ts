import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Role, UserRecord } from '../../store/index.js';

/**
 * SECURITY: the policy of every response. No inline script or style can run, nothing loads from another
 * origin, no other site may frame the pages (clickjacking), forms post only to us.
 */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` on form posts (Fetch
  // §3.1), which would defeat the Origin check; other sites still get no referrer.
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** Bodies are forms and small JSON objects; anything bigger is refused before it is buffered. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface Principal {
  user: UserRecord;
  /** How the request authenticated: a session cookie needs CSRF checks, a bearer token does not. */
  via: 'session' | 'token';
  /** The session's synchronizer token (session only). */
  csrfToken?: string;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  params: Record<string, string>;
  cookies: Record<string, string>;
  principal?: Principal;
  /** Client address for rate limiting. */
  ip: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const ROLE_RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!header) return out;
  for (const part of header.split(';').slice(0, 50)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  secure: boolean;
}

/** SECURITY: every cookie is HttpOnly (no script reads it) and SameSite=Strict (no cross-site send). */
export function cookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function appendCookie(res: ServerResponse, value: string): void {
  const existing = res.getHeader('Set-Cookie');
  const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : [];
  res.setHeader('Set-Cookie', [...list, value]);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Form or JSON body as a flat string map (arrays and nested objects are refused). */
export async function readFields(req: IncomingMessage): Promise<Record<string, string>> {
  const text = await readBody(req);
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new HttpError(400, 'expected a JSON object');
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else throw new HttpError(400, `field ${k} must be a string`);
    }
    return out;
  }
  if (type === 'application/x-www-form-urlencoded' || (type === '' && text === '')) {
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
    return out;
  }
  throw new HttpError(415, 'expected application/x-www-form-urlencoded or application/json');
}

/** A query-string parameter, `undefined` when absent. */
export const queryParam = (ctx: RequestContext, name: string): string | undefined =>
  ctx.url.searchParams.get(name) ?? undefined;

export function send(
  ctx: RequestContext,
  status: number,
  body: string | Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  const { res } = ctx;
  if (res.headersSent) return;
  res.statusCode = status;
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.setHeader('Content-Type', contentType);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(ctx.method === 'HEAD' ? undefined : body);
}

export function sendJson(ctx: RequestContext, status: number, value: unknown): void {
  send(ctx, status, `${JSON.stringify(value)}\n`, 'application/json; charset=utf-8');
}

export function sendHtml(ctx: RequestContext, status: number, html: string): void {
  send(ctx, status, html, 'text/html; charset=utf-8');
}

export function redirect(ctx: RequestContext, location: string): void {
  // SECURITY: only paths on this server, also when the path came from a request (`/lang/ja?next=`):
  // `//host` and `/\host` name other hosts to a browser (open redirect); controls could split the header.
  const safe = /^\/(?![/\\])[^\\\u0000-\u001f\u007f]*$/.test(location) ? location : '/';
  send(ctx, 303, '', 'text/plain; charset=utf-8', { Location: safe });
}

/** `Content-Disposition: attachment` with an ASCII fallback and the RFC 6266/5987 UTF-8 name. */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
