import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError, type ScanResult } from '../../core/index.js';
import { checkId, isoTime, notFound, pageOf } from '../common.js';
import type {
  ArtifactQuery,
  ArtifactRecord,
  BeginScanInput,
  FindingQuery,
  FindingRecord,
  Host,
  HostAddressInput,
  HostAddressQuery,
  HostAddressRecord,
  HostInput,
  Incident,
  IncidentKind,
  IncidentNote,
  IncidentPatch,
  IncidentStatus,
  IntelBatch,
  IntelFilter,
  IntelImportResult,
  IntelInput,
  IntelQuery,
  IntelRecord,
  IntelStats,
  IocQuery,
  IocRecord,
  MailQuery,
  MailRecord,
  NewIncident,
  NoteInput,
  ScanRecord,
  ScanSummary,
  SightingInput,
  SightingQuery,
  SightingRecord,
  Store,
  StoreStats,
} from '../store.js';
import { SqliteAuthStore } from './auth.js';
import { SqliteQuarantineStore } from './quarantine.js';
import * as hostAddresses from './host-addresses.js';
import * as incidentOps from './incident-ops.js';
import * as incidents from './incidents.js';
import * as intel from './intel.js';
import { LATEST_VERSION, MIGRATIONS, SCHEMA_VERSION_TABLE } from './migrations.js';
import * as mails from './mails.js';
import * as results from './results.js';
import * as sightings from './sightings.js';
import { toHost, toScan, type HostRow, type ScanRow } from './rows.js';
import { stats } from './stats.js';

/** The `Store` over one better-sqlite3 handle; built by `openSqliteStore` (open.ts). */
export class SqliteStore implements Store {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  #version: number;
  #isClosed = false;
  readonly #ctx: results.SqliteContext;
  readonly auth = new SqliteAuthStore(() => this.#ready());
  readonly quarantine = new SqliteQuarantineStore(() => this.#ready());

  constructor(db: BetterSqlite3.Database, version: number) {
    this.#db = db;
    this.#version = version;
    this.#ctx = { db, stmt: (sql) => this.#stmt(sql) };
  }

  /** Prepared once per SQL text; dynamic filters produce a bounded set of texts. */
  #stmt(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Guards every query so misuse gets a coded error instead of a raw `no such table`. */
  #ready(): results.SqliteContext {
    if (this.#isClosed) throw new ConfigError('E_STORE_CLOSED', 'the store is closed');
    if (this.#version < LATEST_VERSION) {
      throw new ConfigError(
        'E_STORE_NOT_MIGRATED',
        'the store schema is old: call migrate() first',
      );
    }
    return this.#ctx;
  }

  async migrate(): Promise<void> {
    if (this.#isClosed) throw new ConfigError('E_STORE_CLOSED', 'the store is closed');
    this.#db.exec(SCHEMA_VERSION_TABLE);
    const current = () =>
      this.#db
        .prepare('SELECT coalesce(max(version), 0) FROM schema_version')
        .pluck()
        .get() as number;
    for (const migration of MIGRATIONS) {
      // IMMEDIATE takes the write lock first, so two processes migrating at once apply each step once.
      this.#db
        .transaction(() => {
          const version = current();
          if (version > LATEST_VERSION) {
            throw new ConfigError(
              'E_STORE_SCHEMA_NEWER',
              `schema version ${version} is newer than this build`,
            );
          }
          if (migration.version <= version) return;
          this.#db.exec(migration.sql);
          this.#db
            .prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
            .run(migration.version, migration.name, new Date().toISOString());
        })
        .immediate();
    }
    this.#version = current();
  }

  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#statements.clear();
    this.#db.close();
  }

  async beginScan(input: BeginScanInput): Promise<number> {
    const ctx = this.#ready();
    const startedAt = isoTime(input.startedAt, new Date());
    return this.#db.transaction(() => {
      const hostId = input.host === undefined ? null : this.#upsertHost({ name: input.host }).id;
      const info = ctx
        .stmt('INSERT INTO scans (command, args, host_id, started_at) VALUES (?, ?, ?, ?)')
        .run(input.command, JSON.stringify(input.args), hostId, startedAt);
      return Number(info.lastInsertRowid);
    })();
  }

  async finishScan(id: number, summary: ScanSummary): Promise<void> {
    const ctx = this.#ready();
    checkId('scanId', id);
    const info = ctx
      .stmt(
        `UPDATE scans SET finished_at = ?, inputs = ?, malicious = ?, suspicious = ?, clean = ?, errors = ?
         WHERE id = ?`,
      )
      .run(
        isoTime(summary.finishedAt, new Date()),
        summary.inputs,
        summary.malicious,
        summary.suspicious,
        summary.clean,
        summary.errors,
        id,
      );
    if (info.changes === 0) throw notFound('scan', id);
  }

  async listScans(query: { limit?: number; offset?: number } = {}): Promise<ScanRecord[]> {
    const ctx = this.#ready();
    const { limit, offset } = pageOf(query);
    const rows = ctx
      .stmt(`${SCAN_SELECT} ORDER BY s.id DESC LIMIT ? OFFSET ?`)
      .all(limit, offset) as ScanRow[];
    return rows.map(toScan);
  }

  async getScan(id: number): Promise<ScanRecord | undefined> {
    const row = this.#ready().stmt(`${SCAN_SELECT} WHERE s.id = ?`).get(id) as ScanRow | undefined;
    return row === undefined ? undefined : toScan(row);
  }

  async saveResults(
    scanId: number,
    list: readonly ScanResult[],
    options: { host?: string } = {},
  ): Promise<void> {
    const ctx = this.#ready();
    const createdAt = new Date().toISOString();
    try {
      this.#db.transaction(() => {
        results.requireScan(ctx, scanId);
        const hostId =
          options.host === undefined
            ? ((ctx.stmt('SELECT host_id FROM scans WHERE id = ?').pluck().get(scanId) as
                number | null) ?? null)
            : this.#upsertHost({ name: options.host }).id;
        results.insertResults(ctx, scanId, list, hostId, createdAt);
      })();
    } catch (error) {
      if (String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
        throw new ConfigError('E_STORE_INVALID_RESULT', 'a result has an invalid field', {
          cause: error,
        });
      }
      throw error;
    }
  }

  async listArtifacts(query?: ArtifactQuery): Promise<ArtifactRecord[]> {
    return results.listArtifacts(this.#ready(), query);
  }

  async getArtifact(id: number): Promise<ArtifactRecord | undefined> {
    return results.getArtifact(this.#ready(), id);
  }

  async getResult(artifactId: number): Promise<ScanResult | undefined> {
    return results.getResult(this.#ready(), artifactId);
  }

  async listFindings(query?: FindingQuery): Promise<FindingRecord[]> {
    return results.listFindings(this.#ready(), query);
  }

  async listIocs(query?: IocQuery): Promise<IocRecord[]> {
    return results.listIocs(this.#ready(), query);
  }

  async stats(query?: { scanId?: number }): Promise<StoreStats> {
    return stats(this.#ready(), query);
  }

  async upsertHost(input: HostInput): Promise<Host> {
    this.#ready();
    return this.#upsertHost(input);
  }

  #upsertHost(input: HostInput): Host {
    if (typeof input.name !== 'string') {
      throw new ConfigError('E_STORE_INVALID_HOST', 'a host needs a name');
    }
    const seen = isoTime(input.lastSeen, new Date());
    const row = this.#ctx
      .stmt(
        `INSERT INTO hosts (name, ip, os, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET
           ip = coalesce(excluded.ip, ip),
           os = coalesce(excluded.os, os),
           first_seen = min(first_seen, excluded.first_seen),
           last_seen = max(last_seen, excluded.last_seen)
         RETURNING *`,
      )
      .get(input.name, input.ip ?? null, input.os ?? null, seen, seen) as HostRow;
    const address = input.ip === undefined ? null : hostAddresses.normalizeAddress(input.ip);
    if (address !== null) {
      // An address given by hand (inventory) is one more observation for correlation's lookup by time.
      this.#ctx
        .stmt(
          `INSERT OR IGNORE INTO host_addresses (address, host_id, seen_at, source)
           VALUES (?, ?, ?, 'inventory')`,
        )
        .run(address, row.id, seen);
    }
    return toHost(row);
  }

  async addHostAddresses(rows: readonly HostAddressInput[]): Promise<void> {
    hostAddresses.addHostAddresses(this.#ready(), rows);
  }

  async listHostAddresses(query: HostAddressQuery): Promise<HostAddressRecord[]> {
    return hostAddresses.listHostAddresses(this.#ready(), query);
  }

  async listHosts(): Promise<Host[]> {
    const rows = this.#ready().stmt('SELECT * FROM hosts ORDER BY name, id').all() as HostRow[];
    return rows.map(toHost);
  }

  async createIncident(input: NewIncident): Promise<Incident> {
    return incidents.createIncident(this.#ready(), input);
  }

  async openSubjectIncident(
    input: NewIncident & { kind: IncidentKind; subject: string },
  ): Promise<{ incident: Incident; created: boolean }> {
    return incidents.openSubjectIncident(this.#ready(), input);
  }

  async updateIncident(id: number, patch: IncidentPatch): Promise<Incident> {
    return incidents.updateIncident(this.#ready(), id, patch);
  }

  async getIncident(id: number): Promise<Incident | undefined> {
    return incidents.getIncident(this.#ready(), id);
  }

  async listIncidents(query: { status?: IncidentStatus } = {}): Promise<Incident[]> {
    return incidents.listIncidents(this.#ready(), query);
  }

  async linkFindings(incidentId: number, findingIds: readonly number[]): Promise<void> {
    incidents.linkFindings(this.#ready(), incidentId, findingIds);
  }

  async unlinkFindings(incidentId: number, findingIds: readonly number[]): Promise<void> {
    incidents.unlinkFindings(this.#ready(), incidentId, findingIds);
  }

  async addIncidentNote(incidentId: number, note: NoteInput): Promise<IncidentNote> {
    return incidentOps.addIncidentNote(this.#ready(), incidentId, note);
  }

  async listIncidentNotes(incidentId: number): Promise<IncidentNote[]> {
    return incidentOps.listIncidentNotes(this.#ready(), incidentId);
  }

  async mergeIncidents(
    targetId: number,
    sourceIds: readonly number[],
    options: { author?: string } = {},
  ): Promise<Incident> {
    return incidentOps.mergeIncidents(this.#ready(), targetId, sourceIds, options.author);
  }

  async splitIncident(
    incidentId: number,
    findingIds: readonly number[],
    options?: { title?: string; author?: string },
  ): Promise<Incident> {
    return incidentOps.splitIncident(this.#ready(), incidentId, findingIds, options);
  }

  async listMails(query?: MailQuery): Promise<MailRecord[]> {
    return mails.listMails(this.#ready(), query);
  }

  async findDeliveringMails(
    artifactIds: readonly number[],
  ): Promise<Array<{ artifactId: number; mail: MailRecord }>> {
    return mails.findDeliveringMails(this.#ready(), artifactIds);
  }

  async addSightings(rows: readonly SightingInput[]): Promise<void> {
    sightings.addSightings(this.#ready(), rows);
  }

  async listSightings(query: SightingQuery): Promise<SightingRecord[]> {
    return sightings.listSightings(this.#ready(), query);
  }

  async relabelSightings(fromSubject: string, toSubject: string): Promise<number> {
    return sightings.relabelSightings(this.#ready(), fromSubject, toSubject);
  }

  async getCorrelationCursor(): Promise<number> {
    return sightings.getCorrelationCursor(this.#ready());
  }

  async setCorrelationCursor(findingId: number): Promise<void> {
    sightings.setCorrelationCursor(this.#ready(), findingId);
  }

  async importIntel(
    batch: readonly IntelInput[],
    options?: { importedAt?: Date },
  ): Promise<IntelImportResult> {
    return intel.importIntel(this.#ready(), batch, options);
  }

  async importIntelStream(
    batches: AsyncIterable<IntelBatch> | Iterable<IntelBatch>,
    options?: { importedAt?: Date },
  ): Promise<IntelImportResult> {
    return intel.importIntelStream(this.#ready(), batches, options);
  }

  async listIntel(query?: IntelQuery): Promise<IntelRecord[]> {
    return intel.listIntel(this.#ready(), query);
  }

  async intelStats(options?: { now?: Date }): Promise<IntelStats> {
    return intel.intelStats(this.#ready(), options);
  }

  async expireIntel(options?: { now?: Date; source?: string }): Promise<number> {
    return intel.expireIntel(this.#ready(), options);
  }

  async *loadIntel(filter: IntelFilter = {}): AsyncIterable<IntelRecord> {
    const now = filter.now ?? new Date();
    for (let afterId = 0; ;) {
      const page = intel.loadIntelPage(this.#ready(), { ...filter, now }, afterId);
      yield* page;
      if (page.length === 0 || page.length < Math.min(filter.pageSize ?? 10_000, 100_000)) return;
      afterId = page[page.length - 1]!.id;
    }
  }
}

const SCAN_SELECT = `SELECT s.*, h.name AS host FROM scans s LEFT JOIN hosts h ON h.id = s.host_id`;
