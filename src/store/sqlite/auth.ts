import { ConfigError } from '../../core/index.js';
import { isoTime, pageOf } from '../common.js';
import {
  ROLES,
  type AuditInput,
  type AuditRecord,
  type AuthStore,
  type NewToken,
  type NewUser,
  type Role,
  type SessionRecord,
  type TokenRecord,
  type UserPatch,
  type UserRecord,
} from '../auth.js';
import type { SqliteContext } from './results.js';

interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
  updated_at: string;
}

interface SessionRow {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

interface TokenRow {
  id: number;
  user_id: number;
  user_name: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  reason: string | null;
  detail: string;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const toSession = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdAt: new Date(r.created_at),
  lastSeenAt: new Date(r.last_seen_at),
  expiresAt: new Date(r.expires_at),
});

const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  userId: r.user_id,
  userName: r.user_name,
  name: r.name,
  prefix: r.prefix,
  createdAt: new Date(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at),
  revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
});

const toAudit = (r: AuditRow): AuditRecord => ({
  id: r.id,
  at: new Date(r.at),
  actor: r.actor,
  action: r.action,
  target: r.target,
  reason: r.reason,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

const TOKEN_SELECT = `SELECT t.id, t.user_id, u.name AS user_name, t.name, t.prefix, t.created_at,
  t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id`;

function checkRole(role: unknown): void {
  if (!ROLES.includes(role as Role)) {
    throw new ConfigError('E_STORE_INVALID_USER', `role must be one of ${ROLES.join(', ')}`);
  }
}

function checkName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) {
    throw new ConfigError('E_STORE_INVALID_USER', 'a user name is 1 to 64 characters');
  }
}

/** `store.auth` of the SQLite store; `ready` is the store's closed/migrated guard. */
export class SqliteAuthStore implements AuthStore {
  constructor(private readonly ready: () => SqliteContext) {}

  async createUser(input: NewUser): Promise<UserRecord> {
    const ctx = this.ready();
    checkName(input.name);
    checkRole(input.role);
    if (typeof input.passwordHash !== 'string' || input.passwordHash.length === 0) {
      throw new ConfigError('E_STORE_INVALID_USER', 'a user needs a password hash');
    }
    const at = isoTime(input.createdAt, new Date());
    try {
      const row = ctx
        .stmt(
          `INSERT INTO users (name, role, password_hash, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(input.name, input.role, input.passwordHash, at, at) as UserRow;
      return toUser(row);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new ConfigError('E_STORE_USER_EXISTS', `user ${input.name} already exists`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async getUser(id: number): Promise<UserRecord | undefined> {
    const row = this.ready().stmt('SELECT * FROM users WHERE id = ?').get(id) as
      UserRow | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  async getUserByName(name: string): Promise<UserRecord | undefined> {
    const row = this.ready().stmt('SELECT * FROM users WHERE name = ?').get(name) as
      UserRow | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = this.ready().stmt('SELECT * FROM users ORDER BY name').all() as UserRow[];
    return rows.map(toUser);
  }

  async countUsers(): Promise<number> {
    return this.ready().stmt('SELECT count(*) FROM users').pluck().get() as number;
  }

  async updateUser(id: number, patch: UserPatch): Promise<UserRecord> {
    const ctx = this.ready();
    if (patch.role !== undefined) checkRole(patch.role);
    const row = ctx
      .stmt(
        `UPDATE users SET role = coalesce(?, role), password_hash = coalesce(?, password_hash),
         updated_at = ? WHERE id = ? RETURNING *`,
      )
      .get(patch.role ?? null, patch.passwordHash ?? null, new Date().toISOString(), id) as
      UserRow | undefined;
    if (row === undefined) throw new ConfigError('E_STORE_NOT_FOUND', `user ${id} does not exist`);
    return toUser(row);
  }

  async deleteUser(id: number): Promise<boolean> {
    // Sessions and tokens go with the user (ON DELETE CASCADE; foreign keys are on).
    return this.ready().stmt('DELETE FROM users WHERE id = ?').run(id).changes > 0;
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.ready()
      .stmt(
        `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.idHash,
        s.userId,
        s.csrfToken,
        isoTime(s.createdAt, new Date()),
        isoTime(s.lastSeenAt, new Date()),
        isoTime(s.expiresAt, new Date()),
      );
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = this.ready().stmt('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as
      SessionRow | undefined;
    return row === undefined ? undefined : toSession(row);
  }

  async touchSession(idHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    this.ready()
      .stmt('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?')
      .run(isoTime(lastSeenAt, new Date()), isoTime(expiresAt, new Date()), idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.ready().stmt('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  async deleteUserSessions(userId: number): Promise<number> {
    return this.ready().stmt('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.ready()
      .stmt('DELETE FROM sessions WHERE expires_at <= ?')
      .run(isoTime(now, new Date())).changes;
  }

  async createToken(input: NewToken): Promise<TokenRecord> {
    const ctx = this.ready();
    if (typeof input.name !== 'string' || input.name.length > 200) {
      throw new ConfigError('E_STORE_INVALID_TOKEN', 'a token name is at most 200 characters');
    }
    try {
      const info = ctx
        .stmt(
          `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(
          input.userId,
          input.name,
          input.tokenHash,
          input.prefix,
          isoTime(input.createdAt, new Date()),
        );
      const row = ctx.stmt(`${TOKEN_SELECT} WHERE t.id = ?`).get(info.lastInsertRowid) as TokenRow;
      return toToken(row);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new ConfigError('E_STORE_NOT_FOUND', `user ${input.userId} does not exist`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async findToken(tokenHash: string): Promise<TokenRecord | undefined> {
    const row = this.ready()
      .stmt(`${TOKEN_SELECT} WHERE t.token_hash = ? AND t.revoked_at IS NULL`)
      .get(tokenHash) as TokenRow | undefined;
    return row === undefined ? undefined : toToken(row);
  }

  async listTokens(query: { userId?: number } = {}): Promise<TokenRecord[]> {
    const ctx = this.ready();
    const rows = (
      query.userId === undefined
        ? ctx.stmt(`${TOKEN_SELECT} ORDER BY t.id`).all()
        : ctx.stmt(`${TOKEN_SELECT} WHERE t.user_id = ? ORDER BY t.id`).all(query.userId)
    ) as TokenRow[];
    return rows.map(toToken);
  }

  async touchToken(id: number, at: Date): Promise<void> {
    this.ready()
      .stmt('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
      .run(isoTime(at, new Date()), id);
  }

  async revokeToken(id: number, at?: Date): Promise<boolean> {
    return (
      this.ready()
        .stmt('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
        .run(isoTime(at, new Date()), id).changes > 0
    );
  }

  async appendAudit(entry: AuditInput): Promise<AuditRecord> {
    const row = this.ready()
      .stmt(
        `INSERT INTO audit_log (at, actor, action, target, reason, detail)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        isoTime(entry.at, new Date()),
        entry.actor,
        entry.action,
        entry.target,
        entry.reason ?? null,
        JSON.stringify(entry.detail ?? {}),
      ) as AuditRow;
    return toAudit(row);
  }

  async listAudit(
    query: { limit?: number; offset?: number; target?: string } = {},
  ): Promise<AuditRecord[]> {
    const ctx = this.ready();
    const { limit, offset } = pageOf(query);
    const rows = (
      query.target === undefined
        ? ctx.stmt('SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?').all(limit, offset)
        : ctx
            .stmt('SELECT * FROM audit_log WHERE target = ? ORDER BY id DESC LIMIT ? OFFSET ?')
            .all(query.target, limit, offset)
    ) as AuditRow[];
    return rows.map(toAudit);
  }
}
