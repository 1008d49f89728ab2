import type { FieldReader } from './fields.js';
import { isRecord } from './fields.js';
import type { HostSnapshot } from './types.js';
import { HOST_SNAPSHOT_SCHEMA } from './types.js';
import { readProcess, readRegistry, readService, readTask, validateSnapshot } from './validate.js';

/**
 * Velociraptor results (https://docs.velociraptor.app) mapped into the snapshot shape. A collection
 * stores each artifact source as JSON Lines under `results/<Artifact>%2F<Source>.json`; the GUI and hunt
 * exports are the same rows. Rows of our own artifact (`Custom.Emoguard.HostSnapshot`) are whole
 * snapshots; rows of the built-in artifacts below fill one snapshot per host.
 */
export type RowKind = 'snapshot' | 'process' | 'service' | 'startup' | 'task';

/** Built-in artifacts whose columns are mapped (artifact name prefix → row kind). */
export const VELOCIRAPTOR_ARTIFACTS: readonly [RegExp, RowKind][] = [
  [/^Custom\.Emoguard\.HostSnapshot\b/i, 'snapshot'],
  [/^Windows\.System\.Pslist\b/i, 'process'],
  [/^Windows\.System\.Services\b/i, 'service'],
  [/^Windows\.Sys\.StartupItems\b/i, 'startup'],
  [/^Windows\.System\.TaskScheduler\/Analysis\b/i, 'task'],
];

export function rowKindOfArtifact(artifact: string): RowKind | undefined {
  return VELOCIRAPTOR_ARTIFACTS.find(([pattern]) => pattern.test(artifact))?.[1];
}

/** Our snapshot shape (lowercase field names) or one of the mapped Velociraptor row shapes. */
export function rowKindOfColumns(row: Record<string, unknown>): RowKind | undefined {
  if (
    (typeof row.schema === 'string' && row.schema.startsWith('emoguard.host-snapshot')) ||
    'volumeSerial' in row ||
    'processes' in row
  ) {
    return 'snapshot';
  }
  if ('Pid' in row && 'Name' in row && ('Exe' in row || 'CommandLine' in row)) return 'process';
  if ('PathName' in row && 'Name' in row) return 'service';
  if ('Command' in row && ('ComHandler' in row || 'UserId' in row)) return 'task';
  if ('Command' in row && 'Name' in row && ('FullPath' in row || 'OSPath' in row)) return 'startup';
  return undefined;
}

interface HostRows {
  hostname: string;
  processes: HostSnapshot['processes'];
  registry: HostSnapshot['registry'];
  services: HostSnapshot['services'];
  scheduledTasks: HostSnapshot['scheduledTasks'];
}

/**
 * Gathers rows into snapshots: whole snapshots as they come, built-in artifact rows per host (the hunt
 * export's `Fqdn`/`ClientId` column, else the collection's host name).
 */
export class RowCollector {
  readonly snapshots: HostSnapshot[] = [];
  private readonly partials = new Map<string, HostRows>();

  constructor(
    private readonly read: FieldReader,
    /** Host name of rows that carry none (from the collection's client_info.json). */
    private readonly defaultHost = '',
  ) {}

  get count(): number {
    return this.snapshots.length + this.partials.size;
  }

  /** Adds one row; `kind` comes from the artifact name when known, else from the columns. */
  add(row: unknown, where: string, kind?: RowKind): void {
    if (!isRecord(row)) {
      this.read.sink.add('E_SNAPSHOT_ROW', 'row is not a JSON object', where);
      return;
    }
    const rowKind = kind ?? rowKindOfColumns(row);
    if (rowKind === undefined) {
      this.read.sink.add(
        'E_SNAPSHOT_ROW',
        'row is neither a snapshot nor a known Velociraptor row',
        where,
      );
      return;
    }
    if (rowKind === 'snapshot') {
      if (this.snapshots.length >= this.read.limits.maxSnapshots) {
        this.read.sink.add(
          'E_LIMIT_SNAPSHOTS',
          `more than ${this.read.limits.maxSnapshots} snapshots`,
          where,
        );
        return;
      }
      const source =
        kind === 'snapshot' || 'ClientId' in row || 'FlowId' in row ? 'velociraptor' : 'snapshot';
      this.snapshots.push(validateSnapshot(row, this.read, where, source));
      return;
    }
    this.addPartial(row, rowKind, where);
  }

  private addPartial(
    row: Record<string, unknown>,
    kind: Exclude<RowKind, 'snapshot'>,
    where: string,
  ): void {
    const { read } = this;
    const limits = read.limits;
    const host = read.str(
      row.Fqdn ?? row.Hostname ?? row.ClientId ?? this.defaultHost,
      `${where}.Fqdn`,
    );
    let partial = this.partials.get(host);
    if (!partial) {
      if (this.count >= limits.maxSnapshots) {
        read.sink.add('E_LIMIT_SNAPSHOTS', `more than ${limits.maxSnapshots} hosts`, where);
        return;
      }
      partial = { hostname: host, processes: [], registry: [], services: [], scheduledTasks: [] };
      this.partials.set(host, partial);
    }
    const mapped = mapRow(row, kind, read, where);
    if (mapped === undefined) return;
    const [list, max] = listOf(partial, kind, limits);
    if (list.length >= max) {
      read.sink.add('E_LIMIT_SNAPSHOT_ITEMS', `${kind} rows past ${max} were not read`, where);
      return;
    }
    (list as unknown[]).push(mapped);
  }

  /** Whole snapshots first, then one per host of built-in rows (a host with both keeps the whole one). */
  finish(): HostSnapshot[] {
    const whole = new Set(this.snapshots.map((s) => s.hostname.toLowerCase()));
    const built: HostSnapshot[] = [];
    for (const p of this.partials.values()) {
      if (whole.has(p.hostname.toLowerCase()) && p.hostname !== '') continue;
      built.push({
        schema: HOST_SNAPSHOT_SCHEMA,
        hostname: p.hostname,
        volumeSerial: null,
        collectedAt: null,
        arch: null,
        processes: p.processes,
        registry: p.registry,
        services: p.services,
        scheduledTasks: p.scheduledTasks,
        files: [],
        system32: [],
        knownFolders: [],
        network: { addresses: [] },
        source: 'velociraptor',
      });
    }
    return [...this.snapshots, ...built];
  }
}

function listOf(
  p: HostRows,
  kind: Exclude<RowKind, 'snapshot'>,
  limits: FieldReader['limits'],
): [unknown[], number] {
  if (kind === 'process') return [p.processes, limits.maxProcesses];
  if (kind === 'service') return [p.services, limits.maxServices];
  if (kind === 'task') return [p.scheduledTasks, limits.maxTasks];
  return [p.registry, limits.maxRegistryValues];
}

/** Velociraptor's column names → ours (artifact definitions in Velocidex/velociraptor artifacts/). */
function mapRow(
  row: Record<string, unknown>,
  kind: Exclude<RowKind, 'snapshot'>,
  read: FieldReader,
  where: string,
): unknown {
  const path = row.OSPath ?? row.FullPath;
  switch (kind) {
    case 'process':
      return readProcess(
        read,
        {
          pid: row.Pid,
          name: row.Name,
          path: row.Exe,
          commandLine: row.CommandLine,
          parentPid: row.Ppid,
          user: row.Username,
          createdAt: row.CreateTime,
        },
        where,
      );
    case 'service':
      return readService(
        read,
        {
          name: row.Name,
          displayName: row.DisplayName,
          binaryPath: row.PathName,
          serviceDll: firstOf(row.ServiceDll),
          startType: row.StartMode,
          state: row.State,
          account: row.UserAccount ?? row.StartName,
        },
        where,
      );
    case 'task':
      return readTask(
        read,
        {
          name: taskName(read.str(path, `${where}.OSPath`)),
          command: row.Command,
          arguments: row.Arguments,
          userId: row.UserId,
        },
        where,
      );
    case 'startup': {
      const full = read.str(path, `${where}.OSPath`);
      // Startup-folder files are listed too; only registry Run values map to `registry`.
      if (!/^HKEY_|^HK(LM|CU|U)\\/i.test(full)) return undefined;
      const cut = full.lastIndexOf('\\');
      return readRegistry(
        read,
        {
          key: cut < 0 ? full : full.slice(0, cut),
          name: row.Name,
          type: 'REG_SZ',
          data: row.Command,
        },
        where,
      );
    }
  }
}

/** Velociraptor subqueries in a column come back as a list of rows or values. */
function firstOf(value: unknown): unknown {
  if (!Array.isArray(value)) return isRecord(value) ? Object.values(value)[0] : value;
  const first: unknown = value[0];
  return isRecord(first) ? Object.values(first)[0] : first;
}

/** `C:\Windows\System32\Tasks\Microsoft\X` → `\Microsoft\X` (the name Task Scheduler shows). */
function taskName(path: string): string {
  const m = /[\\/]System32[\\/]Tasks([\\/].*)$/i.exec(path);
  return m ? m[1]!.replace(/\//g, '\\') : path;
}
