/**
 * @module store — the findings store: scans, artifacts, findings, IOCs, hosts and incidents behind one
 * async `Store` interface. SQLite (`openSqliteStore`) now; PostgreSQL implements the same interface and
 * passes the same conformance suite (`store.suite.ts`, not exported: it imports node:test). Imports core
 * only. Schema notes: src/store/sqlite/migrations.ts; SQLite: https://www.sqlite.org/lang.html
 *
 * @example
 * const store = openSqliteStore('emoguard.db');
 * await store.migrate();
 * const scanId = await store.beginScan({ command: 'scan', args: ['mail.eml'] });
 * await store.saveResults(scanId, results);
 * await store.finishScan(scanId, { inputs: 1, malicious: 1, suspicious: 0, clean: 0, errors: 0 });
 */
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './common.js';
export {
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
} from './auth.js';
export {
  QUARANTINE_STATUSES,
  type QuarantineClose,
  type QuarantineRow,
  type QuarantineStatus,
  type QuarantineStore,
} from './quarantine.js';
export { openSqliteStore } from './sqlite/index.js';
export { openMessageIdDb, type MessageIdDb, type SentMessageRow } from './sqlite/index.js';
export {
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  SIGHTING_KINDS,
  type IncidentKind,
  type IncidentNote,
  type MailQuery,
  type MailRecord,
  type NoteInput,
  type SightingInput,
  type SightingKind,
  type SightingQuery,
  type SightingRecord,
  INTEL_ROW_COLUMNS,
  INTEL_TYPES,
  type IntelBatch,
  type IntelFilter,
  type IntelImportResult,
  type IntelInput,
  type IntelRows,
  type IntelQuery,
  type IntelRecord,
  type IntelSourceStats,
  type IntelStats,
  type IntelType,
  type ArtifactQuery,
  type ArtifactRecord,
  type BeginScanInput,
  type FindingQuery,
  type FindingRecord,
  type Host,
  type HostAddressInput,
  type HostAddressQuery,
  type HostAddressRecord,
  type HostInput,
  type Incident,
  type IncidentPatch,
  type IncidentStatus,
  type IocKind,
  type IocQuery,
  type IocRecord,
  type NewIncident,
  type RuleCount,
  type ScanRecord,
  type ScanSummary,
  type Store,
  type StoreStats,
} from './store.js';
