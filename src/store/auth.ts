/**
 * Dashboard and API accounts: users with roles, sessions, API tokens and the audit trail of what people
 * changed. The store keeps only what it is given: password hashes (scrypt, computed by src/apps/api),
 * SHA-256 digests of session ids and tokens — never a password, a session id or a token itself.
 *
 * Contract every backend keeps (auth.suite.ts):
 * - User names are unique; `createUser` with a taken name throws `E_STORE_USER_EXISTS`.
 * - Deleting a user deletes its sessions and tokens (a deleted account cannot keep a way in).
 * - Lookups by digest return undefined for unknown digests and for revoked tokens.
 */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface UserRecord {
  id: number;
  name: string;
  role: Role;
  /** Opaque to the store (`scrypt$…`). */
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  name: string;
  role: Role;
  passwordHash: string;
  createdAt?: Date;
}

export type UserPatch = Partial<{ role: Role; passwordHash: string }>;

export interface SessionRecord {
  /** SHA-256 hex of the cookie value. */
  idHash: string;
  userId: number;
  /** Synchronizer token for forms and X-CSRF-Token. */
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface TokenRecord {
  id: number;
  userId: number;
  userName: string;
  name: string;
  /** The first characters of the token, to tell tokens apart in lists. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewToken {
  userId: number;
  name: string;
  /** SHA-256 hex of the token. */
  tokenHash: string;
  prefix: string;
  createdAt?: Date;
}

export interface AuditInput {
  /** User name (or `cli:<os user>`). */
  actor: string;
  /** `incident.status`, `quarantine.release`, `user.add` … */
  action: string;
  target: string;
  reason?: string;
  detail?: Record<string, unknown>;
  at?: Date;
}

export interface AuditRecord {
  id: number;
  at: Date;
  actor: string;
  action: string;
  target: string;
  reason: string | null;
  detail: Record<string, unknown>;
}

/** Reached as `store.auth`; one transaction per call. */
export interface AuthStore {
  createUser(input: NewUser): Promise<UserRecord>;
  getUser(id: number): Promise<UserRecord | undefined>;
  getUserByName(name: string): Promise<UserRecord | undefined>;
  /** By name. */
  listUsers(): Promise<UserRecord[]>;
  countUsers(): Promise<number>;
  updateUser(id: number, patch: UserPatch): Promise<UserRecord>;
  /** Also deletes the user's sessions and tokens; false when there was no such user. */
  deleteUser(id: number): Promise<boolean>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  touchSession(idHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of a user (password change); returns how many. */
  deleteUserSessions(userId: number): Promise<number>;
  /** Deletes sessions whose expiry is at or before `now`; returns how many. */
  deleteExpiredSessions(now: Date): Promise<number>;

  createToken(input: NewToken): Promise<TokenRecord>;
  /** An active (not revoked) token by digest. */
  findToken(tokenHash: string): Promise<TokenRecord | undefined>;
  /** Oldest first; revoked tokens included. */
  listTokens(query?: { userId?: number }): Promise<TokenRecord[]>;
  touchToken(id: number, at: Date): Promise<void>;
  /** False when there was no such active token. */
  revokeToken(id: number, at?: Date): Promise<boolean>;

  appendAudit(entry: AuditInput): Promise<AuditRecord>;
  /** Newest first. */
  listAudit(query?: { limit?: number; offset?: number; target?: string }): Promise<AuditRecord[]>;
}
