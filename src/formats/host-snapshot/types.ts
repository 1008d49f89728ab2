import type { Anomaly } from '../../core/index.js';

/** Schema tag the collectors write; documents without one are read as this version. */
export const HOST_SNAPSHOT_SCHEMA = 'emoguard.host-snapshot/1';

/**
 * The state of one Windows host as the collectors write it (collectors/README.md has the field by field
 * description). Plain JSON-able data: strings are bounded, arrays are capped, unknown fields are dropped.
 */
export interface HostSnapshot {
  schema: string;
  hostname: string;
  /** Serial number of the system volume (GetVolumeInformation), the seed of Emotet's 2019–2020 names. */
  volumeSerial: number | null;
  /** When the host state was read; ISO 8601, with the host's UTC offset when the collector gave it. */
  collectedAt: string | null;
  /** `x64` or `x86`: where CSIDL_SYSTEMX86 points (SysWOW64 or System32). Null when unknown (x64 assumed). */
  arch: 'x64' | 'x86' | null;
  processes: SnapshotProcess[];
  registry: RegistryValue[];
  services: ServiceEntry[];
  scheduledTasks: ScheduledTask[];
  files: FileEntry[];
  /** Executables and DLLs directly in %SystemRoot%\System32 (EmoCheck v3's name dictionary). */
  system32: System32Entry[];
  /** Folder names under %APPDATA% and the Program Files folders (EmoCheck v4's allowlist). */
  knownFolders: string[];
  /**
   * The host's own network addresses when it was collected (Win32_NetworkAdapterConfiguration, as
   * `ipconfig /all` shows them): correlation maps the client addresses of proxy/Zeek/Suricata findings
   * to this host by them (DHCP moves addresses, so they count at `collectedAt`).
   */
  network: { addresses: NetworkAddress[] };
  /** Where the snapshot came from: the collector JSON, or Velociraptor results mapped into this shape. */
  source: 'snapshot' | 'velociraptor';
}

export interface SnapshotProcess {
  pid: number;
  /** Image name as the process list shows it (`rundll32.exe`). */
  name: string;
  /** Full image path; empty when the collector could not read it (access denied). */
  path: string;
  commandLine: string;
  parentPid: number | null;
  user: string;
  createdAt: string | null;
}

/** REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ, REG_DWORD, REG_QWORD, REG_BINARY … as RegGetValue names them. */
export type RegistryType = string;

export interface RegistryValue {
  /** Full key path, hive first: `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`. */
  key: string;
  /** Value name; empty for the default value. */
  name: string;
  type: RegistryType;
  /**
   * Strings for the string types (REG_MULTI_SZ joined with NUL-free `\n`), a decimal string for numbers,
   * lowercase hex for REG_BINARY. Null when the collector could not read it.
   */
  data: string | null;
}

export interface ServiceEntry {
  name: string;
  displayName: string;
  /** The service's command line (ImagePath / Win32_Service.PathName). */
  binaryPath: string;
  /** Parameters\ServiceDll of svchost services, when present. */
  serviceDll: string;
  /** Boot, System, Auto, Manual, Disabled. */
  startType: string;
  /** Running, Stopped … */
  state: string;
  account: string;
}

export interface ScheduledTask {
  /** Task path and name: `\Microsoft\Windows\Defrag\ScheduledDefrag`. */
  name: string;
  /** Exec action program. */
  command: string;
  arguments: string;
  enabled: boolean | null;
  userId: string;
  author: string;
}

export interface FileEntry {
  path: string;
  size: number | null;
  /** Last write time, ISO 8601 with sub-second digits (EmoCheck v5 compares at 100 ms). */
  mtime: string | null;
  ctime: string | null;
  isDir: boolean;
  /** The file starts with `MZ`; null when the collector did not read it. */
  isPe: boolean | null;
}

export interface NetworkAddress {
  /** IPv4 dotted quad or lower-case IPv6 literal (zone index removed). */
  ip: string;
  /** MAC address as `aa:bb:cc:dd:ee:ff`, when the collector gave one. */
  mac?: string;
  /** Adapter description or alias (`Intel(R) Ethernet Connection I219-LM`, `Ethernet0`). */
  interface?: string;
}

export interface System32Entry {
  name: string;
  size: number | null;
}

/** Bounds on one snapshot. Each stops a hostile or broken collector output from exhausting memory. */
export interface SnapshotLimits {
  /** Bytes of one snapshot document (one JSON file or one JSONL line). */
  maxSnapshotBytes: number;
  /** Snapshots in one input (JSONL lines, Velociraptor rows). */
  maxSnapshots: number;
  maxProcesses: number;
  maxRegistryValues: number;
  maxServices: number;
  maxTasks: number;
  maxFiles: number;
  maxSystem32: number;
  maxKnownFolders: number;
  /** Addresses of the host (adapters × addresses; a workstation has a handful, a hypervisor tens). */
  maxAddresses: number;
  /** Characters of one string field; Windows command lines stop at 32,767. */
  maxStringChars: number;
  /** Bytes of one REG_BINARY value kept (Emotet's name marker is a few dozen). */
  maxBinaryBytes: number;
  /** Anomalies kept per input; the rest are counted in one last anomaly. */
  maxAnomalies: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_SNAPSHOT_LIMITS: Readonly<SnapshotLimits> = Object.freeze({
  maxSnapshotBytes: 64 * MiB,
  maxSnapshots: 100_000,
  maxProcesses: 20_000,
  maxRegistryValues: 50_000,
  maxServices: 10_000,
  maxTasks: 10_000,
  maxFiles: 200_000,
  maxSystem32: 50_000,
  maxKnownFolders: 100_000,
  maxAddresses: 1_000,
  maxStringChars: 32_768,
  maxBinaryBytes: 4096,
  maxAnomalies: 200,
});

export interface SnapshotParse {
  snapshots: HostSnapshot[];
  anomalies: Anomaly[];
}
