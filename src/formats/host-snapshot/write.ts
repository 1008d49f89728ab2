/**
 * Host snapshots written as collectors/windows/collect.ps1 writes them (`emoguard.host-snapshot/1`,
 * collectors/README.md): the demo's infected host and the test fixtures come from here, so both are
 * what `parseHostSnapshot` reads.
 */
import type {
  FileEntry,
  RegistryValue,
  ScheduledTask,
  ServiceEntry,
  SnapshotProcess,
} from './types.js';

// Rows as the collectors write them: the parser's types, with the fields a collector may omit optional.
export type ProcessSpec = Omit<SnapshotProcess, 'user' | 'createdAt'> &
  Partial<Pick<SnapshotProcess, 'user' | 'createdAt'>>;
export type RegistrySpec = RegistryValue;
export type ServiceSpec = Pick<ServiceEntry, 'name' | 'binaryPath'> & Partial<ServiceEntry>;
export type TaskSpec = Pick<ScheduledTask, 'name' | 'command'> & Partial<ScheduledTask>;
export type FileSpec = Pick<FileEntry, 'path'> & Partial<FileEntry>;

export interface SnapshotSpec {
  schema?: string;
  hostname: string;
  volumeSerial: string;
  collectedAt: string;
  arch?: 'x64' | 'x86';
  processes: ProcessSpec[];
  registry: RegistrySpec[];
  services: ServiceSpec[];
  scheduledTasks: TaskSpec[];
  files: FileSpec[];
  system32: { name: string; size: number }[];
  knownFolders: string[];
  /** The host's addresses (collect.ps1: Win32_NetworkAdapterConfiguration of IP-enabled adapters). */
  network?: { addresses: { ip: string; mac?: string; interface?: string }[] };
}

/** Makes one process row: pid, name, image path, parent pid, command line (the path when omitted). */
export type ProcessRow = (
  pid: number,
  name: string,
  path: string,
  parentPid: number | null,
  commandLine?: string,
) => ProcessSpec;

/** The `ProcessRow` of one user's processes, all started at `createdAt`. */
export function processRowOf(user: string, createdAt: string): ProcessRow {
  return (pid, name, path, parentPid, commandLine = path) => ({
    pid,
    name,
    path,
    commandLine,
    parentPid,
    user,
    createdAt,
  });
}

const SYSTEM32 = 'C:\\Windows\\System32';

/**
 * The processes every Windows 10 workstation runs before anyone logs on to Office: System, the service
 * control manager, a netsvcs svchost, the WMI provider host (the parent of Emotet's PowerShell, step ③)
 * and the shell.
 */
export function baseWindowsProcesses(row: ProcessRow): ProcessSpec[] {
  return [
    row(4, 'System', '', 0),
    row(612, 'services.exe', `${SYSTEM32}\\services.exe`, 500),
    row(
      700,
      'svchost.exe',
      `${SYSTEM32}\\svchost.exe`,
      612,
      `${SYSTEM32}\\svchost.exe -k netsvcs -p`,
    ),
    row(2044, 'WmiPrvSE.exe', `${SYSTEM32}\\wbem\\WmiPrvSE.exe`, 700),
    row(3100, 'explorer.exe', 'C:\\Windows\\explorer.exe', 3000),
  ];
}

/** The snapshot file: the spec as JSON (one-space indents). */
export function writeHostSnapshot(spec: SnapshotSpec): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(spec, null, 1));
}
