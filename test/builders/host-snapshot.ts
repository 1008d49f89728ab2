/**
 * Host snapshots built in code (collectors/README.md schema): a clean Windows 10 workstation, the traits
 * of each Emotet generation that EmoCheck v1–v5 looks for, emoguard's own heuristics, Velociraptor
 * results and collection ZIPs, and hostile documents. Everything is inert text: paths and names only.
 */
import {
  baseWindowsProcesses,
  processRowOf,
  type FileSpec,
  type ProcessSpec,
  type RegistrySpec,
  type ServiceSpec,
  type SnapshotSpec,
  type TaskSpec,
} from '../../src/formats/host-snapshot/index.js';
import { writeZip } from '../../src/formats/zip/index.js';
import { emotetV1Names, encodeV2Name } from '../../src/engines/triage/index.js';

export type { FileSpec, ProcessSpec, RegistrySpec, ServiceSpec, SnapshotSpec, TaskSpec };

export const USER = 'alice';
export const LOCAL = `C:\\Users\\${USER}\\AppData\\Local`;
export const ROAMING = `C:\\Users\\${USER}\\AppData\\Roaming`;
export const RUN_HKCU = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';
export const RUN_HKLM = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';
export const EXPLORER_HKCU = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer';
export const SERIAL = '1A2B3C4D';
export const COLLECTED_AT = '2024-05-01T10:20:30.1234567+09:00';

const SYSTEM32 = 'C:\\Windows\\System32';

/** A process row of the fixture workstation's user. */
export const proc = processRowOf(`WS-0042\\${USER}`, '2024-05-01T09:00:00.0000000Z');

/** A clean Windows 10 x64 workstation: system processes, Office, OneDrive and Teams in AppData, Defender. */
export function buildCleanSnapshot(overrides: Partial<SnapshotSpec> = {}): SnapshotSpec {
  return {
    schema: 'emoguard.host-snapshot/1',
    hostname: 'WS-0042',
    volumeSerial: SERIAL,
    collectedAt: COLLECTED_AT,
    arch: 'x64',
    processes: [
      ...baseWindowsProcesses(proc),
      proc(
        3500,
        'OneDrive.exe',
        `${LOCAL}\\Microsoft\\OneDrive\\OneDrive.exe`,
        3100,
        `"${LOCAL}\\Microsoft\\OneDrive\\OneDrive.exe" /background`,
      ),
      proc(3600, 'Teams.exe', `${LOCAL}\\Microsoft\\Teams\\current\\Teams.exe`, 3100),
      proc(
        3700,
        'WINWORD.EXE',
        'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
        3100,
      ),
      proc(
        3800,
        'rundll32.exe',
        `${SYSTEM32}\\rundll32.exe`,
        3100,
        `${SYSTEM32}\\rundll32.exe shell32.dll,Control_RunDLL desk.cpl`,
      ),
      proc(
        3900,
        'powershell.exe',
        `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`,
        3100,
        'powershell.exe -NoProfile',
      ),
    ],
    registry: [
      {
        key: RUN_HKCU,
        name: 'OneDrive',
        type: 'REG_SZ',
        data: `"${LOCAL}\\Microsoft\\OneDrive\\OneDrive.exe" /background`,
      },
      {
        key: RUN_HKCU,
        name: 'com.squirrel.Teams.Teams',
        type: 'REG_SZ',
        data: `${LOCAL}\\Microsoft\\Teams\\Update.exe --processStart "Teams.exe"`,
      },
      {
        key: RUN_HKLM,
        name: 'SecurityHealth',
        type: 'REG_EXPAND_SZ',
        data: '%windir%\\system32\\SecurityHealthSystray.exe',
      },
      {
        key: EXPLORER_HKCU,
        name: 'ShellState',
        type: 'REG_BINARY',
        data: '240000003e28000000000000',
      },
    ],
    services: [
      {
        name: 'Spooler',
        displayName: 'Print Spooler',
        binaryPath: `${SYSTEM32}\\spoolsv.exe`,
        startType: 'Auto',
        state: 'Running',
        account: 'LocalSystem',
      },
      {
        name: 'Dnscache',
        binaryPath: `${SYSTEM32}\\svchost.exe -k NetworkService -p`,
        serviceDll: '%SystemRoot%\\System32\\dnsrslvr.dll',
        startType: 'Auto',
        state: 'Running',
      },
    ],
    scheduledTasks: [
      {
        name: '\\Microsoft\\Windows\\Defrag\\ScheduledDefrag',
        command: '%windir%\\system32\\defrag.exe',
        arguments: '-c -h -o -$',
        enabled: true,
      },
      {
        name: '\\OneDrive Standalone Update Task',
        command: `${LOCAL}\\Microsoft\\OneDrive\\OneDriveStandaloneUpdater.exe`,
        enabled: true,
      },
    ],
    files: [
      dir(`${LOCAL}\\Microsoft`, '2024-04-01T00:00:00Z'),
      file(`${LOCAL}\\Microsoft\\OneDrive`, { isDir: true }),
      dir(`${LOCAL}\\Temp`, '2024-05-01T00:00:00Z'),
      file(`${LOCAL}\\Temp\\setup.log`, { size: 1200, isPe: false }),
      dir(`${LOCAL}\\Google`, '2024-03-01T00:00:00Z'),
      file(`${LOCAL}\\Google\\updater.exe`, {
        size: 2_000_000,
        mtime: '2024-02-20T00:00:00.0000000Z',
        isPe: true,
      }),
    ],
    system32: [
      { name: 'svchost.exe', size: 57_360 },
      { name: 'dsrole.dll', size: 28_672 },
      { name: 'wlanapi.dll', size: 360_448 },
      { name: 'mstask.dll', size: 61_440 },
      { name: 'mfpmp.exe', size: 20_480 },
    ],
    knownFolders: ['Microsoft', 'Google', 'Mozilla', 'Adobe', 'Zoom'],
    ...overrides,
  };
}

export function file(path: string, fields: Omit<FileSpec, 'path'> = {}): FileSpec {
  return { path, size: null, mtime: null, ctime: null, isDir: false, isPe: null, ...fields };
}

export function dir(path: string, mtime: string): FileSpec {
  return file(path, { isDir: true, mtime });
}

function serialOf(spec: SnapshotSpec): number {
  return Number.parseInt(spec.volumeSerial, 16);
}

/** v1 (until Feb 2020): a process named from the volume serial, running from %LOCALAPPDATA%. */
export function withEmotetV1(spec: SnapshotSpec, pid = 5100): SnapshotSpec {
  const name = emotetV1Names(serialOf(spec))[0]!;
  const path = `${LOCAL}\\${name}`;
  return { ...spec, processes: [...spec.processes, proc(pid, name, path, 3100)] };
}

/** v2 (Feb–Aug 2020): the name XOR-encoded in HKCU\…\Explorer\<serial hex>, and that process running. */
export function withEmotetV2(
  spec: SnapshotSpec,
  name = 'mstask',
  pid = 5200,
  isRunning = true,
): SnapshotSpec {
  const serial = serialOf(spec);
  const marker: RegistrySpec = {
    key: EXPLORER_HKCU,
    name: serial.toString(16),
    type: 'REG_BINARY',
    data: encodeV2Name(name, serial),
  };
  const running = isRunning ? [proc(pid, `${name}.exe`, `${LOCAL}\\${name}.exe`, 3100)] : [];
  return {
    ...spec,
    registry: [...spec.registry, marker],
    processes: [...spec.processes, ...running],
  };
}

/** v3 (Aug 2020): %LOCALAPPDATA%\dsrole\dsrole.exe (System32 names), a Run value, the process running. */
export function withEmotetV3(
  spec: SnapshotSpec,
  options: { size?: number; isRunning?: boolean } = {},
): SnapshotSpec {
  const path = `${LOCAL}\\dsrole\\dsrole.exe`;
  return {
    ...spec,
    files: [
      ...spec.files,
      dir(`${LOCAL}\\dsrole`, '2024-04-30T08:00:00Z'),
      file(path, { size: options.size ?? 348_160, isPe: true }),
    ],
    registry: [...spec.registry, { key: RUN_HKCU, name: 'dsrole', type: 'REG_SZ', data: path }],
    processes:
      options.isRunning === false
        ? spec.processes
        : [...spec.processes, proc(5300, 'dsrole.exe', path, 3100)],
  };
}

export const V4_DIR = 'Xmzqfbnhwt';
export const V4_FILE = 'ndqrxlkw.vpt';

/** v4 (Dec 2020): a DLL with an odd extension in a random folder, a Run value, rundll32 running it. */
export function withEmotetV4(
  spec: SnapshotSpec,
  options: { isRunning?: boolean } = {},
): SnapshotSpec {
  const path = `${LOCAL}\\${V4_DIR}\\${V4_FILE}`;
  const command = `C:\\Windows\\SysWOW64\\rundll32.exe "${path}",Control_RunDLL`;
  return {
    ...spec,
    files: [
      ...spec.files,
      dir(`${LOCAL}\\${V4_DIR}`, '2024-04-30T08:00:00Z'),
      file(path, { size: 421_888, isPe: true }),
    ],
    registry: [
      ...spec.registry,
      { key: RUN_HKCU, name: 'Qmvhzrkaxp', type: 'REG_SZ', data: command },
    ],
    processes:
      options.isRunning === false
        ? spec.processes
        : [
            ...spec.processes,
            proc(5400, 'rundll32.exe', 'C:\\Windows\\SysWOW64\\rundll32.exe', 3100, command),
          ],
  };
}

/** v4 as an administrator: SysWOW64\<random>\<file>, a service named after the file, rundll32 via System32. */
export function withEmotetV4Service(spec: SnapshotSpec): SnapshotSpec {
  const path = `C:\\Windows\\SysWOW64\\${V4_DIR}\\${V4_FILE}`;
  const command = `C:\\Windows\\SysWOW64\\rundll32.exe "${path}",ShowDialogA`;
  const running = `C:\\Windows\\system32\\rundll32.exe "C:\\Windows\\system32\\${V4_DIR}\\${V4_FILE}",ShowDialogA`;
  return {
    ...spec,
    files: [
      ...spec.files,
      dir(`C:\\Windows\\SysWOW64\\${V4_DIR}`, '2024-04-30T08:00:00Z'),
      file(path, { size: 421_888, isPe: true }),
    ],
    services: [
      ...spec.services,
      {
        name: V4_FILE,
        binaryPath: command,
        startType: 'Auto',
        state: 'Running',
        account: 'LocalSystem',
      },
    ],
    processes: [
      ...spec.processes,
      proc(5450, 'rundll32.exe', `${SYSTEM32}\\rundll32.exe`, 612, running),
    ],
  };
}

/** v5 (generic): a PE whose last write is 7 days (+0.1 s) before its folder's, run by regsvr32. */
export function withEmotetV5(
  spec: SnapshotSpec,
  options: { offsetMs?: number; isRunning?: boolean } = {},
): SnapshotSpec {
  const folder = `${LOCAL}\\Pqfkrtowe`;
  const path = `${folder}\\kvwxnq.dll`;
  const folderTime = Date.parse('2024-04-30T08:00:00.000Z');
  const fileTime = folderTime - 7 * 86_400_000 + (options.offsetMs ?? 100);
  const command = `C:\\Windows\\system32\\regsvr32.exe /s "${path}"`;
  return {
    ...spec,
    files: [
      ...spec.files,
      dir(folder, iso7(folderTime)),
      file(path, { size: 512_000, mtime: iso7(fileTime), isPe: true }),
    ],
    processes:
      options.isRunning === false
        ? spec.processes
        : [
            ...spec.processes,
            proc(5500, 'regsvr32.exe', `${SYSTEM32}\\regsvr32.exe`, 3100, command),
          ],
  };
}

/** .NET's "o" format: seven fractional digits, UTC. */
function iso7(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** WMI → PowerShell (Emotet's step ④) still running, with an encoded, inert command. */
export function withWmiPowerShell(
  spec: SnapshotSpec,
  command = "Write-Output 'emoguard test'",
): SnapshotSpec {
  const encoded = btoa(
    String.fromCharCode(
      ...new Uint8Array(new Uint16Array([...command].map((c) => c.charCodeAt(0))).buffer),
    ),
  );
  const line = `powershell.exe -nop -w hidden -enc ${encoded}`;
  return {
    ...spec,
    processes: [
      ...spec.processes,
      proc(
        6100,
        'powershell.exe',
        `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`,
        2044,
        line,
      ),
    ],
  };
}

/** The office LAN address (RFC 1918) and adapter collect.ps1 reads from Win32_NetworkAdapterConfiguration. */
export const HOST_IP = '192.168.10.25';
export const HOST_MAC = '00:15:5d:01:02:03';

/** The host's adapter addresses (`network.addresses`), as collect.ps1 writes them. */
export function withNetwork(
  spec: SnapshotSpec,
  addresses: { ip: string; mac?: string; interface?: string }[] = [
    { ip: HOST_IP, mac: HOST_MAC, interface: 'Intel(R) Ethernet Connection I219-LM' },
    {
      ip: 'fe80::215:5dff:fe01:203',
      mac: HOST_MAC,
      interface: 'Intel(R) Ethernet Connection I219-LM',
    },
  ],
): SnapshotSpec {
  return { ...spec, network: { addresses } };
}

export function snapshotJson(spec: unknown): string {
  return JSON.stringify(spec, null, 1);
}

export function snapshotBytes(spec: unknown): Uint8Array {
  return new TextEncoder().encode(snapshotJson(spec));
}

/** One snapshot per line, as a Velociraptor hunt over Custom.Emoguard.HostSnapshot exports them. */
export function snapshotJsonl(specs: readonly unknown[]): Uint8Array {
  return new TextEncoder().encode(specs.map((s) => JSON.stringify(s)).join('\n') + '\n');
}

/** Windows.System.Pslist rows (Velociraptor's column names). */
export function pslistRows(
  processes: readonly ProcessSpec[],
  fqdn?: string,
): Record<string, unknown>[] {
  return processes.map((p) => ({
    Pid: p.pid,
    Ppid: p.parentPid,
    TokenIsElevated: false,
    Name: p.name,
    CommandLine: p.commandLine,
    Exe: p.path,
    Username: p.user ?? '',
    ...(fqdn ? { Fqdn: fqdn, ClientId: 'C.0123456789abcdef' } : {}),
  }));
}

/** Windows.Sys.StartupItems rows for Run values (HKEY_USERS paths, as Velociraptor sees them as SYSTEM). */
export function startupRows(values: readonly RegistrySpec[]): Record<string, unknown>[] {
  return values.map((v) => ({
    Name: v.name,
    OSPath: `${v.key.replace(/^HKCU/, 'HKEY_USERS\\S-1-5-21-1111-2222-3333-1001').replace(/^HKLM/, 'HKEY_LOCAL_MACHINE')}\\${v.name}`,
    Command: v.data,
    Enabled: 'enabled',
  }));
}

/** Windows.System.Services rows. */
export function serviceRows(services: readonly ServiceSpec[]): Record<string, unknown>[] {
  return services.map((s) => ({
    State: s.state ?? 'Running',
    Name: s.name,
    DisplayName: s.displayName ?? s.name,
    PathName: s.binaryPath,
    StartMode: s.startType ?? 'Auto',
    UserAccount: s.account ?? 'LocalSystem',
    ServiceDll: s.serviceDll ? [{ ServiceDll: s.serviceDll }] : null,
  }));
}

export function jsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

export interface CollectionSpec {
  hostname?: string;
  /** Artifact source name → its rows, e.g. `Windows.System.Pslist` or `Custom.Emoguard.HostSnapshot/Snapshot`. */
  results: Record<string, readonly unknown[]>;
  /** Extra members (uploads). */
  extra?: Record<string, string>;
}

/** A Velociraptor offline-collection ZIP: results/<Artifact>%2F<Source>.json, client_info.json, uploads.json. */
export function buildVelociraptorCollection(spec: CollectionSpec): Uint8Array {
  const members = Object.entries(spec.results).map(([source, rows]) => ({
    name: `results/${source.replace(/\//g, '%2F')}.json`,
    data: jsonl(rows),
  }));
  return writeZip([
    {
      name: 'collection_context.json',
      data: JSON.stringify({ session_id: 'F.TEST', total_collected_rows: 1 }),
    },
    {
      name: 'client_info.json',
      data: JSON.stringify({
        Hostname: spec.hostname ?? 'WS-0042',
        Fqdn: `${spec.hostname ?? 'WS-0042'}.example.com`,
        OS: 'windows',
      }),
    },
    { name: 'uploads.json', data: '' },
    ...members,
    ...Object.entries(spec.extra ?? {}).map(([name, data]) => ({ name, data })),
  ]);
}

/** JSON nested `depth` levels deep inside an otherwise valid snapshot's unknown field. */
export function buildDeepSnapshot(depth: number): Uint8Array {
  const head = snapshotJson(buildCleanSnapshot()).replace(/\}\s*$/, ',"junk":');
  return new TextEncoder().encode(`${head}${'['.repeat(depth)}${']'.repeat(depth)}}`);
}

/** A snapshot whose process list has `count` rows (a flood from a broken or hostile collector). */
export function buildHugeSnapshot(count: number): Uint8Array {
  const spec = buildCleanSnapshot();
  const row = JSON.stringify(
    proc(9999, 'filler.exe', 'C:\\Program Files\\Filler\\filler.exe', 3100),
  );
  const head = snapshotJson({ ...spec, processes: [] }).replace(
    '"processes": []',
    `"processes": [${Array(count).fill(row).join(',')}]`,
  );
  return new TextEncoder().encode(head);
}
