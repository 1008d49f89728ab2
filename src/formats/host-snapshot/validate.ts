import { At, FieldReader, isRecord, locate, parseVolumeSerial, type Where } from './fields.js';
import { readNetwork } from './network.js';
import {
  HOST_SNAPSHOT_SCHEMA,
  type FileEntry,
  type HostSnapshot,
  type RegistryValue,
  type ScheduledTask,
  type ServiceEntry,
  type SnapshotProcess,
  type System32Entry,
} from './types.js';

/**
 * Reads one snapshot object field by field (collectors/README.md): known fields only, each bounded and
 * typed; a row that cannot be used is dropped with an anomaly, the rest of the snapshot is kept.
 * SECURITY: only known fields are read, and never recursively, so unknown nesting costs nothing.
 */
export function validateSnapshot(
  value: Record<string, unknown>,
  read: FieldReader,
  where: string,
  source: HostSnapshot['source'] = 'snapshot',
): HostSnapshot {
  const { limits } = read;
  const serial = scalarOf(value.volumeSerial);
  const volumeSerial = parseVolumeSerial(serial);
  if (volumeSerial === null && serial !== undefined && serial !== null && serial !== '') {
    read.sink.add(
      'E_SNAPSHOT_VOLUME_SERIAL',
      'volumeSerial is not a 32-bit hex number',
      locate(where, 'volumeSerial'),
    );
  }
  const arch = read.str(value.arch, where, 'arch').toLowerCase();
  const schema = read.str(value.schema, where, 'schema');
  return {
    schema: schema === '' ? HOST_SNAPSHOT_SCHEMA : schema,
    hostname: read.str(value.hostname, where, 'hostname'),
    volumeSerial,
    collectedAt: read.time(value.collectedAt, where, 'collectedAt'),
    arch: arch === 'x86' || arch === 'x64' ? arch : null,
    processes: rows(read, value.processes, limits.maxProcesses, where, 'processes', readProcess),
    registry: rows(read, value.registry, limits.maxRegistryValues, where, 'registry', readRegistry),
    services: rows(read, value.services, limits.maxServices, where, 'services', readService),
    scheduledTasks: rows(
      read,
      value.scheduledTasks,
      limits.maxTasks,
      where,
      'scheduledTasks',
      readTask,
    ),
    files: rows(read, value.files, limits.maxFiles, where, 'files', readFile),
    system32: rows(read, value.system32, limits.maxSystem32, where, 'system32', readSystem32),
    knownFolders: rows(
      read,
      value.knownFolders,
      limits.maxKnownFolders,
      where,
      'knownFolders',
      (r, v, w) => {
        const name = isRecord(v) ? (v.name ?? v.Name) : v;
        return typeof name === 'string' && name !== '' ? r.clip(name, w) : undefined;
      },
    ),
    network: { addresses: readNetwork(read, value.network, where) },
    source,
  };
}

type RowReader<T> = (read: FieldReader, value: unknown, where: Where) => T | undefined;

function rows<T>(
  read: FieldReader,
  value: unknown,
  max: number,
  where: Where,
  field: string,
  one: RowReader<T>,
): T[] {
  const out: T[] = [];
  const list = locate(where, field);
  const items = read.array(value, max, list);
  for (let i = 0; i < items.length; i++) {
    const at = new At(list, i);
    const row = one(read, items[i], at);
    if (row !== undefined) out.push(row);
    else
      read.sink.add(
        'E_SNAPSHOT_ROW',
        'row skipped: required fields missing or of the wrong type',
        String(at),
      );
  }
  return out;
}

/** Also used for Velociraptor pslist rows once their columns are renamed. */
export const readProcess: RowReader<SnapshotProcess> = (read, value, where) => {
  if (!isRecord(value)) return undefined;
  const pid = read.int(value.pid, where, 'pid');
  if (pid === null) return undefined;
  const path = read.str(value.path, where, 'path');
  const name = read.str(value.name, where, 'name') || baseName(path);
  return {
    pid,
    name,
    path,
    commandLine: read.str(value.commandLine, where, 'commandLine'),
    parentPid: read.int(value.parentPid, where, 'parentPid'),
    user: read.str(value.user, where, 'user'),
    createdAt: read.time(value.createdAt, where, 'createdAt'),
  };
};

export const readRegistry: RowReader<RegistryValue> = (read, value, where) => {
  if (!isRecord(value)) return undefined;
  const key = read.str(value.key, where, 'key');
  if (key === '') return undefined;
  let type = read.str(value.type, where, 'type').toUpperCase();
  const raw = value.data;
  if (type === '' && Array.isArray(raw) && raw.every((b) => typeof b === 'number'))
    type = 'REG_BINARY';
  if (type !== '' && !type.startsWith('REG_')) type = `REG_${type}`;
  return {
    key,
    name: read.str(value.name, where, 'name'),
    type,
    data:
      type === 'REG_BINARY'
        ? binaryData(read, raw, where, 'data')
        : stringData(read, raw, where, 'data'),
  };
};

/** REG_BINARY as lowercase hex, from hex text ("4d 5a", "hex:4d,5a") or an array of byte numbers. */
function binaryData(read: FieldReader, raw: unknown, where: Where, field: string): string | null {
  if (raw === undefined || raw === null) return null;
  const max = read.limits.maxBinaryBytes;
  let hex: string | undefined;
  if (typeof raw === 'string') {
    const bare = raw.replace(/^hex(\(\w+\))?:/i, '').replace(/[\s,:-]/g, '');
    if (/^(?:[0-9a-f]{2})*$/i.test(bare)) hex = bare.toLowerCase();
  } else if (Array.isArray(raw)) {
    const bytes = raw.slice(0, max + 1);
    if (bytes.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) {
      hex = bytes.map((b: number) => b.toString(16).padStart(2, '0')).join('');
      if (raw.length > max + 1) hex += '00'; // marks "longer" for the cut below
    }
  }
  if (hex === undefined) {
    read.sink.add(
      'E_SNAPSHOT_FIELD_TYPE',
      'REG_BINARY data is neither hex text nor an array of bytes',
      locate(where, field),
    );
    return null;
  }
  if (hex.length > max * 2) {
    read.sink.add(
      'E_LIMIT_SNAPSHOT_BINARY',
      `binary value cut to ${max} bytes`,
      locate(where, field),
    );
    hex = hex.slice(0, max * 2);
  }
  return hex;
}

function stringData(read: FieldReader, raw: unknown, where: Where, field: string): string | null {
  if (raw === undefined || raw === null) return null;
  if (Array.isArray(raw)) {
    const list = locate(where, field);
    const parts = read.array(raw, 1024, list).map((p, i) => read.str(p, new At(list, i)));
    return read.clip(parts.join('\n'), list);
  }
  return read.str(raw, where, field);
}

export const readService: RowReader<ServiceEntry> = (read, value, where) => {
  if (!isRecord(value)) return undefined;
  const name = read.str(value.name, where, 'name');
  if (name === '') return undefined;
  return {
    name,
    displayName: read.str(value.displayName, where, 'displayName'),
    binaryPath: read.str(value.binaryPath, where, 'binaryPath'),
    serviceDll: read.str(scalarOf(value.serviceDll), where, 'serviceDll'),
    startType: read.str(value.startType, where, 'startType'),
    state: read.str(value.state, where, 'state'),
    account: read.str(value.account, where, 'account'),
  };
};

export const readTask: RowReader<ScheduledTask> = (read, value, where) => {
  if (!isRecord(value)) return undefined;
  const name = read.str(value.name, where, 'name');
  if (name === '') return undefined;
  return {
    name,
    command: firstString(read, value.command, where, 'command'),
    arguments: firstString(read, value.arguments, where, 'arguments'),
    enabled: read.bool(value.enabled, where, 'enabled'),
    userId: read.str(value.userId, where, 'userId'),
    author: read.str(value.author, where, 'author'),
  };
};

/** Tasks with several Exec actions come as arrays (Velociraptor's XML mapping); the first one is read. */
function firstString(read: FieldReader, value: unknown, where: Where, field: string): string {
  return read.str(
    Array.isArray(value) ? value.find((v) => typeof v === 'string') : value,
    where,
    field,
  );
}

export const readFile: RowReader<FileEntry> = (read, value, where) => {
  if (!isRecord(value)) return undefined;
  const path = read.str(value.path, where, 'path');
  if (path === '') return undefined;
  return {
    path,
    size: read.int(value.size, where, 'size'),
    mtime: read.time(value.mtime, where, 'mtime'),
    ctime: read.time(value.ctime, where, 'ctime'),
    isDir: read.bool(value.isDir, where, 'isDir') ?? false,
    isPe: read.bool(value.isPe, where, 'isPe'),
  };
};

const readSystem32: RowReader<System32Entry> = (read, value, where) => {
  if (typeof value === 'string')
    return value === '' ? undefined : { name: read.clip(value, where), size: null };
  if (!isRecord(value)) return undefined;
  const name = read.str(value.name, where, 'name');
  return name === '' ? undefined : { name, size: read.int(value.size, where, 'size') };
};

/**
 * One value where a collector may give a list or a row (a Velociraptor subquery in a column): the first
 * element, or the row's only field.
 */
function scalarOf(value: unknown): unknown {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (!isRecord(first)) return first;
  const values = Object.values(first);
  return values.length === 1 ? values[0] : first;
}

/** The last path component, for either separator. */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut < 0 ? path : path.slice(cut + 1);
}
