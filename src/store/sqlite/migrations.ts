/**
 * SQLite schema, as an ordered list of migrations. The SQL lives in TypeScript rather than in
 * `migrations/NNNN_<what>.sql` files because `tsc` only emits .ts: a .sql file would be missing from
 * `dist/` unless the build copied it, and a missing migration would surface only on a user's machine.
 *
 * Rules: never edit a shipped migration, append a new one. Versions are consecutive from 1. Each runs in
 * its own transaction together with its row in `schema_version`.
 *
 * Times are ISO-8601 UTC text (sortable, readable in the sqlite3 shell). JSON columns hold what the
 * `Store` interface calls arrays and objects; they are written and read only through JSON.stringify/parse.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const VERDICT_CHECK = `('clean', 'suspicious', 'malicious')`;
const SEVERITY_CHECK = `('info', 'low', 'medium', 'high', 'critical')`;
const STEP_CHECK = `('1', '2', '3', '4', '5', '6', 'post')`;
const STATUS_CHECK = `('new', 'investigating', 'contained', 'remediated', 'closed')`;
const INTEL_TYPE_CHECK = `('ip', 'ip-port', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256', 'ja3', 'ja3s')`;
/**
 * The intel table's columns: created by migration 2, rebuilt by 7 with the same columns (its key moved to
 * an index). Frozen like the migrations that use it: a column change is a new migration, not an edit here.
 */
const INTEL_COLUMNS = `
  id          INTEGER PRIMARY KEY,
  type        TEXT NOT NULL CHECK (type IN ${INTEL_TYPE_CHECK}),
  value       TEXT NOT NULL CHECK (length(value) > 0),
  source      TEXT NOT NULL CHECK (length(source) > 0),
  first_seen  TEXT,
  last_seen   TEXT,
  confidence  INTEGER CHECK (confidence BETWEEN 0 AND 100),
  tags        TEXT NOT NULL DEFAULT '[]',   -- JSON string[]
  malware     TEXT,
  reference   TEXT,
  expires_at  TEXT,
  imported_at TEXT NOT NULL,
  updated_at  TEXT NOT NULL`.slice(1);

export const SCHEMA_VERSION_TABLE = `
CREATE TABLE IF NOT EXISTS schema_version (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'findings-store',
    sql: `
CREATE TABLE hosts (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  ip         TEXT,
  os         TEXT,
  first_seen TEXT NOT NULL,
  last_seen  TEXT NOT NULL
);

CREATE TABLE scans (
  id          INTEGER PRIMARY KEY,
  command     TEXT NOT NULL,
  args        TEXT NOT NULL,            -- JSON string[]
  host_id     INTEGER REFERENCES hosts(id),
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  inputs      INTEGER,
  malicious   INTEGER,
  suspicious  INTEGER,
  clean       INTEGER,
  errors      INTEGER
);

CREATE TABLE artifacts (
  id         INTEGER PRIMARY KEY,
  scan_id    INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  host_id    INTEGER REFERENCES hosts(id),
  parent_id  INTEGER REFERENCES artifacts(id) ON DELETE CASCADE,
  sha256     TEXT NOT NULL,
  path       TEXT NOT NULL,
  name       TEXT NOT NULL,
  size       INTEGER NOT NULL,
  type       TEXT NOT NULL,
  verdict    TEXT NOT NULL CHECK (verdict IN ${VERDICT_CHECK}),
  depth      INTEGER NOT NULL,
  relation   TEXT,
  elapsed_ms REAL,
  extracted  TEXT NOT NULL              -- JSON Extracted of this node alone
);
CREATE INDEX artifacts_scan_verdict ON artifacts(scan_id, verdict);
CREATE INDEX artifacts_verdict ON artifacts(verdict);
CREATE INDEX artifacts_sha256 ON artifacts(sha256);
CREATE INDEX artifacts_parent ON artifacts(parent_id);

CREATE TABLE findings (
  id            INTEGER PRIMARY KEY,
  scan_id       INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  artifact_id   INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
  host_id       INTEGER REFERENCES hosts(id),
  rule_id       TEXT NOT NULL,
  title         TEXT NOT NULL,
  severity      TEXT NOT NULL CHECK (severity IN ${SEVERITY_CHECK}),
  step          TEXT NOT NULL CHECK (step IN ${STEP_CHECK}),
  attack        TEXT NOT NULL,          -- JSON string[]
  evidence      TEXT NOT NULL,          -- JSON Evidence[]
  created_at    TEXT NOT NULL
);
CREATE INDEX findings_scan_step ON findings(scan_id, step);
CREATE INDEX findings_step ON findings(step);
CREATE INDEX findings_severity ON findings(severity);
CREATE INDEX findings_rule ON findings(rule_id);
CREATE INDEX findings_host ON findings(host_id);
CREATE INDEX findings_artifact ON findings(artifact_id);

-- One row per (artifact, kind, value): correlation joins artifacts on shared IOCs.
CREATE TABLE iocs (
  artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
  scan_id     INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('urls', 'domains', 'ips', 'emails', 'files')),
  value       TEXT NOT NULL,
  PRIMARY KEY (artifact_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX iocs_kind_value ON iocs(kind, value);
CREATE INDEX iocs_scan ON iocs(scan_id, kind);

CREATE TABLE incidents (
  id         INTEGER PRIMARY KEY,
  title      TEXT NOT NULL,
  host_id    INTEGER REFERENCES hosts(id),
  severity   TEXT NOT NULL CHECK (severity IN ${SEVERITY_CHECK}),
  status     TEXT NOT NULL DEFAULT 'new' CHECK (status IN ${STATUS_CHECK}),
  steps      TEXT NOT NULL,             -- JSON Step[]
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX incidents_status ON incidents(status);

CREATE TABLE incident_findings (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  finding_id  INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  PRIMARY KEY (incident_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX incident_findings_finding ON incident_findings(finding_id);
`,
  },
  {
    version: 2,
    name: 'threat-intel',
    sql: `
-- Threat-intel indicators (emoguard intel import), one row per (type, value, source). Separate from the
-- iocs table, which holds what scans extracted.
CREATE TABLE intel (
${INTEL_COLUMNS},
  UNIQUE (type, value, source)
);
-- Few indexes on purpose: every one slows the import of million-row feeds. Filters by source scan.
CREATE INDEX intel_expires ON intel(expires_at);
`,
  },
  {
    version: 3,
    name: 'correlation',
    // Incidents per host or mailbox, notes, event times, mail metadata (src/correlate).
    sql: `
ALTER TABLE incidents ADD COLUMN kind TEXT NOT NULL DEFAULT 'host' CHECK (kind IN ('host', 'mailbox'));
ALTER TABLE incidents ADD COLUMN subject TEXT;
ALTER TABLE incidents ADD COLUMN owner TEXT;
CREATE INDEX incidents_subject ON incidents(kind, subject);

CREATE TABLE incident_notes (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  author      TEXT NOT NULL,
  text        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX incident_notes_incident ON incident_notes(incident_id, id);

-- Event time of a finding (mail Date, log record time, snapshot time) when a layer knows it.
ALTER TABLE findings ADD COLUMN observed_at TEXT;

-- The envelope of each mail artifact (extracted.mail), and its addresses by role for mailbox lookups.
CREATE TABLE mails (
  artifact_id INTEGER PRIMARY KEY REFERENCES artifacts(id) ON DELETE CASCADE,
  scan_id     INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
  message_id  TEXT,
  date        TEXT,
  envelope    TEXT NOT NULL              -- JSON ExtractedMail
);
CREATE INDEX mails_message_id ON mails(message_id);
CREATE INDEX mails_scan ON mails(scan_id);

CREATE TABLE mail_addresses (
  address     TEXT NOT NULL,             -- lower-cased addr-spec
  artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('from', 'to', 'cc', 'reply-to', 'quoted')),
  PRIMARY KEY (address, artifact_id, role)
) WITHOUT ROWID;
CREATE INDEX mail_addresses_artifact ON mail_addresses(artifact_id);

-- Correlation's entity index: finding → host, user, mailbox, hash, indicator, and its incident subject.
CREATE TABLE sightings (
  kind       TEXT NOT NULL CHECK (kind IN ('host', 'user', 'mailbox', 'sha256', 'file', 'ip', 'domain', 'url')),
  value      TEXT NOT NULL,
  finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  subject    TEXT,
  PRIMARY KEY (kind, value, finding_id)
) WITHOUT ROWID;
CREATE INDEX sightings_finding ON sightings(finding_id);

CREATE TABLE correlation_state (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'auth',
    // Dashboard users, sessions and API tokens (src/apps/api), and the audit trail of changes made there.
    // SECURITY: only scrypt hashes of passwords and SHA-256 digests of session ids and tokens are stored.
    sql: `
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE sessions (
  id_hash      TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_expires ON sessions(expires_at);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Append-only: who released, deleted or changed what, and why.
CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  at     TEXT NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  reason TEXT,
  detail TEXT NOT NULL DEFAULT '{}'   -- JSON object
);
CREATE INDEX audit_log_target ON audit_log(target);
`,
  },
  {
    version: 5,
    name: 'host-addresses',
    // Which host had which address when (DHCP moves addresses), event times on sightings (mail → host
    // links need the host event after the delivery), and one open correlation incident per subject.
    sql: `
CREATE TABLE host_addresses (
  address  TEXT NOT NULL,             -- IPv4 dotted quad or lower-case IPv6
  host_id  INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  seen_at  TEXT NOT NULL,
  source   TEXT NOT NULL,             -- the layer that saw it: inventory, sysmon, security, dhcp, triage …
  PRIMARY KEY (address, seen_at, host_id)
) WITHOUT ROWID;
CREATE INDEX host_addresses_host ON host_addresses(host_id, seen_at);
INSERT OR IGNORE INTO host_addresses (address, host_id, seen_at, source)
  SELECT ip, id, last_seen, 'inventory' FROM hosts WHERE ip IS NOT NULL;

ALTER TABLE sightings ADD COLUMN observed_at TEXT;

-- The subject key (kind:lower-case subject) of incidents opened by correlation. SECURITY: the unique
-- partial index makes get-or-create idempotent across processes; split-off incidents carry no key.
ALTER TABLE incidents ADD COLUMN subject_key TEXT;
UPDATE incidents SET subject_key = kind || ':' || lower(subject)
  WHERE subject IS NOT NULL AND status <> 'closed' AND id = (
    SELECT min(j.id) FROM incidents j
    WHERE j.kind = incidents.kind AND lower(j.subject) = lower(incidents.subject) AND j.status <> 'closed');
CREATE UNIQUE INDEX incidents_open_subject ON incidents(subject_key)
  WHERE subject_key IS NOT NULL AND status <> 'closed';
`,
  },
  {
    version: 6,
    name: 'quarantine',
    // One row per quarantined message; the bytes stay content-addressed in the quarantine folder.
    sql: `
CREATE TABLE quarantine (
  id           TEXT PRIMARY KEY,      -- the folder's id: yyyymmddhhmmss-8 hex
  sha256       TEXT NOT NULL,         -- <folder>/<sha256>.eml holds the bytes
  size         INTEGER NOT NULL,
  received_at  TEXT NOT NULL,
  sender       TEXT NOT NULL,         -- SMTP envelope
  recipients   TEXT NOT NULL,         -- JSON array
  subject      TEXT NOT NULL,
  verdict      TEXT NOT NULL CHECK (verdict IN ${VERDICT_CHECK}),
  action       TEXT NOT NULL,
  reasons      TEXT NOT NULL DEFAULT '[]',   -- JSON array
  findings     TEXT NOT NULL DEFAULT '[]',   -- JSON array of finding ids
  folder       TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'released', 'deleted')),
  closed_at    TEXT,
  closed_by    TEXT,
  close_reason TEXT
) WITHOUT ROWID;
CREATE INDEX quarantine_received ON quarantine(received_at);
CREATE INDEX quarantine_sha256 ON quarantine(sha256);
CREATE INDEX quarantine_status ON quarantine(status, received_at);
`,
  },
  {
    version: 7,
    name: 'intel-key-index',
    // The (type, value, source) key as a named unique index instead of the inline UNIQUE (whose
    // autoindex cannot be dropped): a feed imported into an empty intel table drops the indexes, appends
    // the rows and builds the indexes once by sorting (intel-import.ts), instead of a million random
    // B-tree inserts. SQLite cannot drop a table constraint, so the table is rebuilt (nothing references it).
    sql: `
CREATE TABLE intel_v7 (
${INTEL_COLUMNS}
);
INSERT INTO intel_v7 SELECT id, type, value, source, first_seen, last_seen, confidence, tags, malware,
  reference, expires_at, imported_at, updated_at FROM intel ORDER BY id;
DROP TABLE intel;
ALTER TABLE intel_v7 RENAME TO intel;
CREATE UNIQUE INDEX intel_key ON intel(type, value, source);
CREATE INDEX intel_expires ON intel(expires_at);
`,
  },
];

/** The schema version this build writes; a database above it was written by a newer emoguard. */
export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
