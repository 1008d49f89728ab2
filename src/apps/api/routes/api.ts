import {
  INCIDENT_STATUSES,
  ROLES,
  type IncidentStatus,
  type Role,
  type TokenRecord,
  type UserRecord,
} from '../../../store/index.js';
import type { Route } from '../app.js';
import {
  attachment,
  HttpError,
  queryParam,
  ROLE_RANK,
  send,
  sendJson,
  type RequestContext,
} from '../http.js';
import { hashPassword } from '../password.js';
import { newApiToken } from '../secrets.js';
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

/** Users as the API shows them: never the password hash. */
export function publicUser(u: UserRecord): {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
} {
  return { id: u.id, name: u.name, role: u.role, createdAt: u.createdAt.toISOString() };
}

function publicToken(t: TokenRecord) {
  return {
    id: t.id,
    user: t.userName,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

const QUARANTINE_ID = '(?<id>[0-9]{14}-[0-9a-f]{8})';

export function apiRoutes(s: Services): Route[] {
  const audit = (ctx: RequestContext, action: string, target: string, detail = {}) =>
    s.store.auth.appendAudit({ actor: ctx.principal!.user.name, action, target, detail });
  return [
    {
      method: 'GET',
      pattern: /^\/api\/me$/,
      role: 'viewer',
      handler: async (ctx) =>
        sendJson(ctx, 200, { user: publicUser(ctx.principal!.user), via: ctx.principal!.via }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/incidents$/,
      role: 'viewer',
      handler: async (ctx) => {
        const status = queryParam(ctx, 'status');
        if (status !== undefined && !INCIDENT_STATUSES.includes(status as IncidentStatus))
          throw new HttpError(400, 'unknown status');
        const list = await s.store.listIncidents(
          status ? { status: status as IncidentStatus } : {},
        );
        const limit = Math.min(Math.max(Number(queryParam(ctx, 'limit') ?? 100) || 100, 1), 1000);
        const offset = Math.max(Number(queryParam(ctx, 'offset') ?? 0) || 0, 0);
        sendJson(ctx, 200, {
          total: list.length,
          offset,
          incidents: list.slice(offset, offset + limit),
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/incidents\/(?<id>\d{1,15})$/,
      role: 'viewer',
      handler: async (ctx) => sendJson(ctx, 200, await getView(s, parseId(ctx.params.id))),
    },
    {
      method: 'POST',
      pattern: /^\/api\/incidents\/(?<id>\d{1,15})\/status$/,
      role: 'analyst',
      handler: async (ctx, fields) => {
        const id = parseId(ctx.params.id);
        await setStatus(s, ctx.principal!, id, fields);
        sendJson(ctx, 200, { incident: await s.store.getIncident(id) });
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/incidents\/(?<id>\d{1,15})\/notes$/,
      role: 'analyst',
      handler: async (ctx, fields) => {
        const id = parseId(ctx.params.id);
        await addNote(s, ctx.principal!, id, fields);
        sendJson(ctx, 201, { notes: await s.store.listIncidentNotes(id) });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/incidents\/(?<id>\d{1,15})\/report$/,
      role: 'viewer',
      handler: async (ctx) => {
        const view = await getView(s, parseId(ctx.params.id));
        const format =
          queryParam(ctx, 'format') === 'md'
            ? 'md'
            : queryParam(ctx, 'format') === 'json'
              ? 'json'
              : 'html';
        const file = await s.renderReport(s.store, view, {
          format,
          lang: queryParam(ctx, 'lang') === 'ja' ? 'ja' : 'en',
        });
        send(ctx, 200, file.body, `${file.contentType}; charset=utf-8`, {
          'Content-Disposition': attachment(file.fileName),
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/findings$/,
      role: 'viewer',
      handler: async (ctx) => {
        const result = await searchFindings(s, {
          q: queryParam(ctx, 'q'),
          step: queryParam(ctx, 'step'),
          severity: queryParam(ctx, 'severity'),
          rule: queryParam(ctx, 'rule'),
          host: queryParam(ctx, 'host'),
        });
        sendJson(ctx, 200, result);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/quarantine$/,
      role: 'viewer',
      handler: async (ctx) => sendJson(ctx, 200, { messages: await listQuarantine(s) }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/api/quarantine/${QUARANTINE_ID}/(?<verb>release|delete|download)$`),
      role: 'analyst',
      handler: async (ctx, fields) => {
        const id = ctx.params.id!;
        if (ctx.params.verb === 'download') {
          const { zip, fileName } = await downloadQuarantined(s, ctx.principal!, id, fields);
          send(ctx, 200, zip, 'application/zip', { 'Content-Disposition': attachment(fileName) });
        } else if (ctx.params.verb === 'release') {
          sendJson(ctx, 200, {
            released: id,
            response: await releaseQuarantined(s, ctx.principal!, id, fields),
          });
        } else {
          await deleteQuarantined(s, ctx.principal!, id, fields);
          sendJson(ctx, 200, { deleted: id });
        }
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/intel$/,
      role: 'viewer',
      handler: async (ctx) => sendJson(ctx, 200, await s.store.intelStats()),
    },
    {
      method: 'GET',
      pattern: /^\/api\/coverage$/,
      role: 'viewer',
      handler: async (ctx) => {
        if (!s.coverage) throw new HttpError(404, 'no coverage matrix in this server');
        sendJson(ctx, 200, await s.coverage());
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/audit$/,
      role: 'viewer',
      handler: async (ctx) => {
        const limit = Math.min(Number(queryParam(ctx, 'limit') ?? 100) || 100, 1000);
        sendJson(ctx, 200, { entries: await s.store.auth.listAudit({ limit }) });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/users$/,
      role: 'admin',
      handler: async (ctx) =>
        sendJson(ctx, 200, { users: (await s.store.auth.listUsers()).map(publicUser) }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/users$/,
      role: 'admin',
      handler: async (ctx, fields) => {
        const role = fields.role as Role;
        if (!ROLES.includes(role))
          throw new HttpError(400, `role must be one of ${ROLES.join(', ')}`);
        const user = await s.store.auth.createUser({
          name: fields.name ?? '',
          role,
          passwordHash: await hashPassword(fields.password ?? ''),
        });
        await audit(ctx, 'user.add', `user:${user.name}`, { role });
        sendJson(ctx, 201, { user: publicUser(user) });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/users\/(?<name>[^/]{1,200})$/,
      role: 'admin',
      handler: async (ctx) => {
        let name: string;
        try {
          name = decodeURIComponent(ctx.params.name!);
        } catch {
          throw new HttpError(400, 'malformed user name');
        }
        const user = await s.store.auth.getUserByName(name);
        if (user === undefined) throw new HttpError(404, `no user ${name}`);
        if (user.id === ctx.principal!.user.id)
          throw new HttpError(409, 'you cannot delete yourself');
        await s.store.auth.deleteUser(user.id);
        await audit(ctx, 'user.delete', `user:${name}`);
        sendJson(ctx, 200, { deleted: name });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/tokens$/,
      role: 'viewer',
      handler: async (ctx) => {
        const me = ctx.principal!.user;
        const list = await s.store.auth.listTokens(me.role === 'admin' ? {} : { userId: me.id });
        sendJson(ctx, 200, { tokens: list.map(publicToken) });
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/tokens$/,
      role: 'viewer',
      handler: async (ctx, fields) => {
        const me = ctx.principal!.user;
        let owner = me;
        if (fields.user && fields.user !== me.name) {
          if (me.role !== 'admin')
            throw new HttpError(403, 'only an admin creates tokens for others');
          const other = await s.store.auth.getUserByName(fields.user);
          if (other === undefined) throw new HttpError(404, `no user ${fields.user}`);
          owner = other;
        }
        const { token, tokenHash, prefix } = newApiToken();
        const record = await s.store.auth.createToken({
          userId: owner.id,
          name: (fields.name ?? '').slice(0, 200),
          tokenHash,
          prefix,
        });
        await audit(ctx, 'token.create', `token:${record.id}`, { user: owner.name });
        // SECURITY: the token is in this response only; the store keeps its digest.
        sendJson(ctx, 201, { token, ...publicToken(record) });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/tokens\/(?<id>\d{1,15})$/,
      role: 'viewer',
      handler: async (ctx) => {
        const id = parseId(ctx.params.id);
        const me = ctx.principal!.user;
        const token = (await s.store.auth.listTokens()).find((t) => t.id === id);
        if (token === undefined) throw new HttpError(404, `no token ${id}`);
        if (token.userId !== me.id && ROLE_RANK[me.role] < ROLE_RANK.admin)
          throw new HttpError(403, 'only an admin revokes tokens of others');
        await s.store.auth.revokeToken(id);
        await audit(ctx, 'token.revoke', `token:${id}`);
        sendJson(ctx, 200, { revoked: id });
      },
    },
  ];
}
