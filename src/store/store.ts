import type {
  Evidence,
  Extracted,
  ExtractedIocs,
  ExtractedMail,
  FileType,
  ScanResult,
  Severity,
  Step,
  Verdict,
} from '../core/index.js';
import type { AuthStore } from './auth.js';
import type { QuarantineStore } from './quarantine.js';
import type {
  IntelBatch,
  IntelFilter,
  IntelImportResult,
  IntelInput,
  IntelQuery,
  IntelRecord,
  IntelStats,
} from './intel.js';

export { INTEL_ROW_COLUMNS, INTEL_TYPES } from './intel.js';
export type {
  IntelBatch,
  IntelFilter,
  IntelImportResult,
  IntelInput,
  IntelQuery,
  IntelRecord,
  IntelRows,
  IntelSourceStats,
  IntelStats,
  IntelType,
} from './intel.js';

/**
 * Where findings live between a scan and the people who act on it. One interface, several backends
 * (SQLite now, PostgreSQL later), all held to `store.suite.ts` — hono's router pattern: the suite is the
 * contract, not any one implementation.
 *
 * Contract every backend keeps:
 * - Strings from input (paths, evidence, titles, IOCs) round-trip exactly, including quotes, HTML, U+0000
 *   and bidi controls. They are bound as parameters, never spliced into SQL.
 * - `saveResults` is atomic per call: all rows of the batch or none.
 * - Methods throw `ConfigError` (`E_STORE_*`) for misuse an operator can cause (unknown id, bad filter,
 *   a database that is not ours or is newer than this build), and never return partial writes.
 * - Times are `Date` objects; ids are positive integers assigned by the store.
 */
export interface Store {
  /** Dashboard/API users, sessions, tokens and the audit trail (`auth.ts`). */
  readonly auth: AuthStore;
  /** Quarantined mail: one row per message, bytes in the quarantine folder (`quarantine.ts`). */
  readonly quarantine: QuarantineStore;
  /** Creates or upgrades the schema. Idempotent; throws `E_STORE_SCHEMA_NEWER` for a newer database. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Records the start of one CLI verb run (`scan`, `hunt` …) and returns its id. */
  beginScan(input: BeginScanInput): Promise<number>;
  finishScan(id: number, summary: ScanSummary): Promise<void>;
  /** Newest first. */
  listScans(query?: { limit?: number; offset?: number }): Promise<ScanRecord[]>;
  getScan(id: number): Promise<ScanRecord | undefined>;

  /**
   * Stores result trees: one artifact row per node, one finding row per finding, one IOC row per
   * extracted IOC. One transaction per call (callers batch ~100 results). `options.host` names the host
   * the results came from; without it the scan's host is used.
   */
  saveResults(
    scanId: number,
    results: readonly ScanResult[],
    options?: { host?: string },
  ): Promise<void>;
  /** In insertion order (parents before children). */
  listArtifacts(query?: ArtifactQuery): Promise<ArtifactRecord[]>;
  getArtifact(id: number): Promise<ArtifactRecord | undefined>;
  /** Rebuilds the stored `ScanResult` tree rooted at an artifact row (what `scan --json` printed). */
  getResult(artifactId: number): Promise<ScanResult | undefined>;
  /** In insertion order; each finding carries its artifact's path and sha256. */
  listFindings(query?: FindingQuery): Promise<FindingRecord[]>;
  /** Distinct IOC values with the number of artifacts they were extracted from, by kind then value. */
  listIocs(query?: IocQuery): Promise<IocRecord[]>;
  stats(query?: { scanId?: number }): Promise<StoreStats>;

  /** Inserts or updates by name; `ip`/`os` keep their old value when not given. */
  upsertHost(input: HostInput): Promise<Host>;
  /** By name. */
  listHosts(): Promise<Host[]>;
  /**
   * Records which host had which address when (DHCP moves addresses between hosts). Hosts are upserted
   * by name; each host's `ip` becomes its most recently seen address. One transaction per call; a row
   * with an empty host, an address that is no IP literal or an invalid time writes nothing
   * (`E_STORE_INVALID_HOST`). The same (address, time, host) twice is harmless.
   */
  addHostAddresses(rows: readonly HostAddressInput[]): Promise<void>;
  /** Observations by addresses or by host, in (address, time, host) order. */
  listHostAddresses(query: HostAddressQuery): Promise<HostAddressRecord[]>;

  createIncident(input: NewIncident): Promise<Incident>;
  /**
   * Get-or-create in one transaction: the open (not closed) incident correlation keeps for this kind and
   * subject (compared case-insensitively), or a new one. Two passes at once get the same incident.
   * Incidents made by `createIncident` or `splitIncident` are never returned; a closed one that is
   * reopened while another is open for its subject stays open without being the subject's.
   */
  openSubjectIncident(
    input: NewIncident & { kind: IncidentKind; subject: string },
  ): Promise<{ incident: Incident; created: boolean }>;
  updateIncident(id: number, patch: IncidentPatch): Promise<Incident>;
  getIncident(id: number): Promise<Incident | undefined>;
  /** Newest first. */
  listIncidents(query?: { status?: IncidentStatus }): Promise<Incident[]>;
  /**
   * Links finding rows to an incident; linking twice is harmless. An unknown incident or finding id
   * throws `E_STORE_NOT_FOUND` and links nothing.
   */
  linkFindings(incidentId: number, findingIds: readonly number[]): Promise<void>;
  /** Removes links (split, manual correction); unknown ids are ignored. */
  unlinkFindings(incidentId: number, findingIds: readonly number[]): Promise<void>;
  /** Appends a note; `E_STORE_NOT_FOUND` for an unknown incident, `E_STORE_INVALID_NOTE` for empty text. */
  addIncidentNote(incidentId: number, note: NoteInput): Promise<IncidentNote>;
  /** Oldest first. */
  listIncidentNotes(incidentId: number): Promise<IncidentNote[]>;
  /**
   * Moves every finding link of `sourceIds` into `targetId` and closes each source with the note
   * `merged into #<target>`; the target's severity becomes the worst and its steps the union. One
   * transaction. Unknown ids, an empty list or the target among the sources → `E_STORE_*`, nothing changed.
   */
  mergeIncidents(
    targetId: number,
    sourceIds: readonly number[],
    options?: { author?: string },
  ): Promise<Incident>;
  /**
   * Moves the given linked findings out of an incident into a new one (same kind and subject, severity
   * and steps from the moved findings; both sides get a note). A finding not linked to the incident, or
   * all of them, → `E_STORE_INVALID_SPLIT`, nothing changed.
   */
  splitIncident(
    incidentId: number,
    findingIds: readonly number[],
    options?: { title?: string; author?: string },
  ): Promise<Incident>;

  /** Mail envelopes saved with their artifacts (`extracted.mail`), in artifact order. */
  listMails(query?: MailQuery): Promise<MailRecord[]>;
  /**
   * For each artifact id, the nearest mail at or above it in its result tree (the mail that delivered a
   * document); artifacts outside any mail are left out.
   */
  findDeliveringMails(
    artifactIds: readonly number[],
  ): Promise<Array<{ artifactId: number; mail: MailRecord }>>;

  /**
   * Correlation's entity index (src/correlate): which finding saw which host, user, mailbox, hash or
   * network indicator, and for which incident subject. Inserting a row twice is harmless.
   */
  addSightings(rows: readonly SightingInput[]): Promise<void>;
  /** By (kind, value) or by finding ids; in (kind, value, finding id) order. */
  listSightings(query: SightingQuery): Promise<SightingRecord[]>;
  /** Moves sightings from one subject to another (an address-named host resolved to its name). */
  relabelSightings(fromSubject: string, toSubject: string): Promise<number>;
  /** The highest finding row id correlation has processed (0 for none). */
  getCorrelationCursor(): Promise<number>;
  setCorrelationCursor(findingId: number): Promise<void>;

  /**
   * Threat-intel indicators (`emoguard intel`), separate from the IOCs extracted by scans (`listIocs`).
   * Upserts by (type, value, source) in one transaction per call: first seen keeps the earliest, last
   * seen the latest, confidence/malware/reference/tags the newest given, expiry the newest import's.
   * A row with an unknown type, an empty value or source, or confidence outside 0–100 throws
   * `E_STORE_INVALID_INTEL` and the batch writes nothing. Values are stored as given (normalise first).
   */
  importIntel(
    batch: readonly IntelInput[],
    options?: { importedAt?: Date },
  ): Promise<IntelImportResult>;
  /**
   * A whole feed, batch by batch, in one transaction with `importIntel`'s rules: a bad row or a failing
   * source writes nothing. Nothing else may use the store until it resolves.
   */
  importIntelStream(
    batches: AsyncIterable<IntelBatch> | Iterable<IntelBatch>,
    options?: { importedAt?: Date },
  ): Promise<IntelImportResult>;
  /** In insertion order. Expired rows are included unless `activeOnly`. */
  listIntel(query?: IntelQuery): Promise<IntelRecord[]>;
  intelStats(options?: { now?: Date }): Promise<IntelStats>;
  /** Deletes indicators whose expiry is at or before `now` (default: now); returns how many. */
  expireIntel(options?: { now?: Date; source?: string }): Promise<number>;
  /**
   * Streams indicators for the matchers, in pages (no cursor is held open between pages, so other
   * calls may run while it is consumed). Expired rows are left out unless `includeExpired`.
   */
  loadIntel(filter?: IntelFilter): AsyncIterable<IntelRecord>;
}

export interface BeginScanInput {
  /** The CLI verb. */
  command: string;
  args: string[];
  /** Host name the scan ran on or for; upserted into hosts. */
  host?: string;
  startedAt?: Date;
}

export interface ScanSummary {
  finishedAt?: Date;
  inputs: number;
  malicious: number;
  suspicious: number;
  clean: number;
  errors: number;
}

export interface ScanRecord {
  id: number;
  command: string;
  args: string[];
  host: string | null;
  startedAt: Date;
  /** null while the scan runs (or when it died before `finishScan`). */
  finishedAt: Date | null;
  /** The counts of `finishScan`; null until then. */
  summary: Omit<ScanSummary, 'finishedAt'> | null;
}

export interface ArtifactRecord {
  id: number;
  scanId: number;
  hostId: number | null;
  /** Row id of the containing artifact; null for an input. */
  parentId: number | null;
  sha256: string;
  path: string;
  /** Base name of an input, or the member/attachment name of a child. */
  name: string;
  size: number;
  type: FileType;
  verdict: Verdict;
  depth: number;
  relation: string | null;
  elapsedMs: number | null;
  /** What engines extracted from this node alone (children keep their own). */
  extracted: Extracted;
}

export interface ArtifactQuery {
  scanId?: number;
  /** Direct children of this artifact row. */
  parentId?: number;
  verdict?: Verdict;
  sha256?: string;
  limit?: number;
  offset?: number;
}

export interface FindingRecord {
  /** Row id (what incidents link to). */
  id: number;
  /** The finding id `<engine>.<slug>`. */
  ruleId: string;
  title: string;
  severity: Severity;
  step: Step;
  attack: string[];
  evidence: Evidence[];
  scanId: number;
  artifactId: number;
  artifactPath: string;
  artifactSha256: string;
  hostId: number | null;
  host: string | null;
  createdAt: Date;
  /** Event time when the layer knew it (`Finding.observedAt`), else null. */
  observedAt: Date | null;
}

export interface FindingQuery {
  scanId?: number;
  artifactId?: number;
  step?: Step;
  /** This severity or worse. */
  minSeverity?: Severity;
  ruleId?: string;
  /** Host name. */
  host?: string;
  /** Findings linked to this incident. */
  incidentId?: number;
  /** Exactly these row ids (at most MAX_PAGE_SIZE; unknown ids are left out). */
  ids?: readonly number[];
  /** Findings of this artifact and everything extracted from it (a mail with its attachments). */
  underArtifactId?: number;
  /** Row ids above this one (paging by id: `afterId` = the last id of the previous page). */
  afterId?: number;
  limit?: number;
  offset?: number;
}

export type IocKind = keyof ExtractedIocs;

export interface IocQuery {
  scanId?: number;
  kind?: IocKind;
  limit?: number;
  offset?: number;
}

export interface IocRecord {
  kind: IocKind;
  value: string;
  /** Artifacts the value was extracted from. */
  artifacts: number;
}

/** Findings grouped by everything a report's kill-chain and ATT&CK sections need. */
export interface RuleCount {
  ruleId: string;
  title: string;
  severity: Severity;
  step: Step;
  attack: string[];
  count: number;
}

export interface StoreStats {
  totals: { scans: number; inputs: number; artifacts: number; findings: number };
  /** Inputs (depth 0) by verdict: what an operator means by "files scanned". */
  inputsByVerdict: Record<Verdict, number>;
  /** Every artifact, children included. */
  artifactsByVerdict: Record<Verdict, number>;
  findingsByStep: Record<Step, number>;
  findingsBySeverity: Record<Severity, number>;
  /** Most frequent first, then by rule id. */
  findingsByRule: RuleCount[];
}

export interface HostInput {
  name: string;
  ip?: string;
  os?: string;
  lastSeen?: Date;
}

export interface HostAddressInput {
  /** Host name (upserted). */
  host: string;
  /** IPv4 or IPv6 literal; IPv6 is stored lower-cased. */
  address: string;
  seenAt: Date;
  /** The layer or log that saw it (`inventory`, `sysmon`, `security`, `dhcp`, `triage` …). */
  source: string;
}

export interface HostAddressRecord {
  address: string;
  hostId: number;
  host: string;
  seenAt: Date;
  source: string;
}

export interface HostAddressQuery {
  /** At most MAX_PAGE_SIZE. */
  addresses?: readonly string[];
  host?: string;
  limit?: number;
}

export interface Host {
  id: number;
  name: string;
  ip: string | null;
  os: string | null;
  firstSeen: Date;
  lastSeen: Date;
}

export const INCIDENT_STATUSES = [
  'new',
  'investigating',
  'contained',
  'remediated',
  'closed',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** What an incident is about: one compromised host, or one mailbox that received attack mail. */
export const INCIDENT_KINDS = ['host', 'mailbox'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface NewIncident {
  title: string;
  /** Default `host`. */
  kind?: IncidentKind;
  /** Host name or mailbox address. */
  subject?: string;
  owner?: string;
  hostId?: number;
  severity: Severity;
  status?: IncidentStatus;
  /** Kill-chain steps the incident reached. */
  steps?: Step[];
}

export type IncidentPatch = Partial<{
  title: string;
  owner: string | null;
  hostId: number | null;
  severity: Severity;
  status: IncidentStatus;
  steps: Step[];
}>;

export interface Incident {
  id: number;
  title: string;
  kind: IncidentKind;
  subject: string | null;
  owner: string | null;
  hostId: number | null;
  severity: Severity;
  status: IncidentStatus;
  steps: Step[];
  createdAt: Date;
  updatedAt: Date;
  /** Linked finding row ids, ascending. */
  findingIds: number[];
}

export interface NoteInput {
  author: string;
  text: string;
  at?: Date;
}

export interface IncidentNote {
  id: number;
  incidentId: number;
  author: string;
  text: string;
  createdAt: Date;
}

export interface MailQuery {
  scanId?: number;
  /** Mails this address sent, received (to/cc/reply-to) or quoted; compared case-insensitively. */
  address?: string;
  messageId?: string;
  artifactIds?: readonly number[];
  limit?: number;
  offset?: number;
}

export interface MailRecord extends ExtractedMail {
  artifactId: number;
  scanId: number;
  path: string;
  sha256: string;
}

/** Entity kinds of the correlation index. */
export const SIGHTING_KINDS = [
  'host',
  'user',
  'mailbox',
  'sha256',
  'file',
  'ip',
  'domain',
  'url',
] as const;
export type SightingKind = (typeof SIGHTING_KINDS)[number];

export interface SightingInput {
  kind: SightingKind;
  /** Normalised by the caller (lower-case hosts, domains, addresses and hashes). */
  value: string;
  findingId: number;
  /** The incident subject the finding belongs to, `host:<name>` or `mailbox:<address>`; null for none. */
  subject: string | null;
  /** Event time: the host event's, or the delivering mail's date for content; null when unknown. */
  observedAt?: Date | null;
}

export type SightingRecord = Required<Omit<SightingInput, 'observedAt'>> & {
  observedAt: Date | null;
};

export interface SightingQuery {
  kind?: SightingKind;
  value?: string;
  /** Several values of `kind` at once (at most MAX_PAGE_SIZE). */
  values?: readonly string[];
  findingIds?: readonly number[];
  limit?: number;
}
