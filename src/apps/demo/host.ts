/**
 * The demo's infected host, PC-SALES-01 (user tanaka): its identity, host snapshots as collectors/
 * collect.ps1 writes them (`emoguard.host-snapshot/1`), and process memory images as minidumps. Inert by
 * construction: names, paths and TEST-NET addresses; the "loader" is a PE header and a table of numbers,
 * the keys come from a fixed seed and protect nothing.
 */
import { createECDH, createHash } from 'node:crypto';
import { concatBytes } from '../../core/index.js';
import { DEMO_POWERSHELL, encodePowerShell } from './content.js';
import {
  buildMinidump,
  buildPeHeader,
  MEM_IMAGE,
  PAGE_EXECUTE_READ,
  PAGE_EXECUTE_READWRITE,
  PAGE_READWRITE,
} from '../../formats/minidump/index.js';
import {
  baseWindowsProcesses,
  processRowOf,
  writeHostSnapshot,
  type SnapshotSpec,
} from '../../formats/host-snapshot/index.js';

export const DEMO_HOST = {
  name: 'PC-SALES-01',
  fqdn: 'PC-SALES-01.victim.example.co.jp',
  user: 'tanaka',
  account: 'VICTIM\\tanaka',
  sid: 'S-1-5-21-1111111111-2222222222-3333333333-1104',
  profile: 'C:\\Users\\tanaka',
  /** The office LAN is private (RFC 1918, as in the netlog test builders); the Internet side is TEST-NET. */
  ip: '10.20.30.41',
} as const;

const LOCAL = `${DEMO_HOST.profile}\\AppData\\Local`;
/** Where the loader lands (⑤) and where it copies itself to persist (⑥), Emotet-style random names. */
export const LOADER_TEMP = `${LOCAL}\\Temp\\emoguard-demo.dll`;
export const LOADER_PERSISTED = `${LOCAL}\\Qpxwnbcyt\\bzrvmawk.dll`;

/** The C2 servers of the story (Feodo Tracker would list them); port numbers as Emotet used. */
export const DEMO_C2 = [
  { ip: '198.51.100.23', port: 8080 },
  { ip: '203.0.113.10', port: 443 },
  { ip: '198.51.100.77', port: 7080 },
  { ip: '203.0.113.45', port: 8080 },
  { ip: '192.0.2.120', port: 443 },
  { ip: '203.0.113.88', port: 7080 },
] as const;

/** The secondary payload's team server (post-infection). */
export const DEMO_BEACON_SERVER = {
  ip: '203.0.113.200',
  port: 443,
  host: 'cdn-update.example.net',
};

const SYSTEM32 = 'C:\\Windows\\System32';
const COLLECTED_AT = '2026-11-20T11:30:00.0000000+09:00';

const proc = processRowOf(DEMO_HOST.account, '2026-11-20T00:10:00.0000000Z');

/** What the snapshot shows of each step; a scenario's snapshot carries only its own traits. */
export type HostTrait = 'wmi-powershell' | 'loader-running' | 'run-key' | 'service';

/** A host snapshot of PC-SALES-01: a clean workstation plus the traits asked for. */
export function buildHostSnapshot(traits: readonly HostTrait[]): Uint8Array {
  const has = (t: HostTrait) => traits.includes(t);
  const persisted = `C:\\Windows\\system32\\rundll32.exe "${LOADER_PERSISTED}",DllRegisterServer`;
  const snapshot: SnapshotSpec = {
    schema: 'emoguard.host-snapshot/1',
    hostname: DEMO_HOST.name,
    volumeSerial: '5E6F7A8B',
    collectedAt: COLLECTED_AT,
    arch: 'x64',
    processes: [
      ...baseWindowsProcesses(proc),
      proc(
        3300,
        'OUTLOOK.EXE',
        'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
        3100,
      ),
      proc(
        3700,
        'WINWORD.EXE',
        'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
        3300,
      ),
      ...(has('wmi-powershell')
        ? [
            proc(
              4100,
              'powershell.exe',
              `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`,
              2044,
              `powershell -w hidden -enc ${encodePowerShell(DEMO_POWERSHELL)}`,
            ),
          ]
        : []),
      ...(has('loader-running')
        ? [
            proc(
              4200,
              'rundll32.exe',
              `${SYSTEM32}\\rundll32.exe`,
              4100,
              `rundll32.exe "${LOADER_TEMP}",Control_RunDLL`,
            ),
          ]
        : []),
    ],
    registry: [
      {
        key: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
        name: 'SecurityHealth',
        type: 'REG_EXPAND_SZ',
        data: '%windir%\\system32\\SecurityHealthSystray.exe',
      },
      ...(has('run-key')
        ? [
            {
              key: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
              name: 'qpxwnbcyt',
              type: 'REG_SZ',
              data: persisted,
            },
          ]
        : []),
    ],
    services: [
      {
        name: 'Spooler',
        displayName: 'Print Spooler',
        binaryPath: `${SYSTEM32}\\spoolsv.exe`,
        serviceDll: '',
        startType: 'Auto',
        state: 'Running',
        account: 'LocalSystem',
      },
      ...(has('service')
        ? [
            {
              name: 'qpxwnbcyt',
              displayName: 'qpxwnbcyt',
              binaryPath: persisted,
              serviceDll: '',
              startType: 'Auto',
              state: 'Running',
              account: 'LocalSystem',
            },
          ]
        : []),
    ],
    scheduledTasks: [],
    files: [
      {
        path: `${LOCAL}\\Temp`,
        size: null,
        mtime: '2026-11-20T00:00:00.0000000Z',
        ctime: null,
        isDir: true,
        isPe: null,
      },
      ...(has('loader-running') || has('run-key') || has('service')
        ? [
            {
              path: LOADER_TEMP,
              size: 421_888,
              mtime: '2026-11-20T00:13:35.0000000Z',
              ctime: null,
              isDir: false,
              isPe: true,
            },
            {
              path: LOADER_PERSISTED,
              size: 421_888,
              mtime: '2026-11-20T00:14:00.0000000Z',
              ctime: null,
              isDir: false,
              isPe: true,
            },
          ]
        : []),
    ],
    system32: [
      { name: 'svchost.exe', size: 57_360 },
      { name: 'rundll32.exe', size: 71_680 },
    ],
    knownFolders: ['Microsoft', 'Adobe', 'Zoom'],
    // The address the proxy and Zeek logs name the client by: correlation maps them to this host by it.
    // The MAC is from the documentation block of RFC 7042 (00-00-5E-00-53-xx).
    network: {
      addresses: [{ ip: DEMO_HOST.ip, mac: '00:00:5e:00:53:41', interface: 'Ethernet0' }],
    },
  };
  return writeHostSnapshot(snapshot);
}

/** 8-byte entries: IPv4 as a little-endian u32, port u16, flag u16, then a zero entry (Emotet's C2 table). */
function c2Table(servers: readonly { ip: string; port: number }[]): Uint8Array {
  const bytes = new Uint8Array((servers.length + 1) * 8);
  const view = new DataView(bytes.buffer);
  servers.forEach((s, i) => {
    const [a, b, c, d] = s.ip.split('.').map(Number) as [number, number, number, number];
    view.setUint32(i * 8, ((a << 24) | (b << 16) | (c << 8) | d) >>> 0, true);
    view.setUint16(i * 8 + 4, s.port, true);
    view.setUint16(i * 8 + 6, 1, true);
  });
  return bytes;
}

/** A P-256 public key as a BCRYPT_ECCKEY_BLOB (magic, cbKey = 32, X, Y), from a fixed seed. */
function eccKeyBlob(magic: 'ECK1' | 'ECS1', seed: string): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(createHash('sha256').update(`emoguard demo ${seed}`).digest());
  const point = new Uint8Array(ecdh.getPublicKey()); // 04 || X || Y
  const head = new Uint8Array(8);
  head.set(new TextEncoder().encode(magic));
  new DataView(head.buffer).setUint32(4, 32, true);
  return concatBytes([head, point.subarray(1)]);
}

function filler(length: number, seed: string): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0, n = 0; at < length; n++, at += 32) {
    out.set(
      createHash('sha256')
        .update(`${seed}:${n}`)
        .digest()
        .subarray(0, Math.min(32, length - at)),
      at,
    );
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

/**
 * ⑥ The memory of the rundll32 process that runs the loader: the unpacked loader as a PE in private
 * read-write-execute memory, carrying its C2 table, its ECDH/ECDSA public keys and its persistence command.
 */
export function buildLoaderMemoryImage(): Uint8Array {
  const loader = concatBytes([
    buildPeHeader(0x400),
    filler(0x200, 'code'),
    c2Table(DEMO_C2),
    filler(0x40, 'gap'),
    eccKeyBlob('ECK1', 'ecdh'),
    eccKeyBlob('ECS1', 'ecdsa'),
    text(`\0rundll32.exe "${LOADER_PERSISTED}",DllRegisterServer\0`),
    filler(0x100, 'tail'),
  ]);
  return buildMinidump({
    regions: [
      {
        va: 0x7ff6a0000000n,
        data: buildPeHeader(0x1000),
        protect: PAGE_EXECUTE_READ,
        type: MEM_IMAGE,
      },
      { va: 0x1f0000n, data: loader, protect: PAGE_EXECUTE_READWRITE },
      { va: 0x400000n, data: filler(0x800, 'heap'), protect: PAGE_READWRITE },
    ],
    modules: [{ base: 0x7ff6a0000000n, size: 0x1000, name: 'C:\\Windows\\System32\\rundll32.exe' }],
  }).bytes;
}

/**
 * post: the memory of a process hosting a Cobalt Strike-like beacon (the secondary payload): a reflective
 * DLL in RWX memory with the beacon's tell-tale strings and its team server. Strings only; nothing runs.
 */
export function buildBeaconMemoryImage(): Uint8Array {
  const beacon = concatBytes([
    buildPeHeader(0x400),
    text('\0beacon.x64.dll\0ReflectiveLoader\0'),
    text(`%s.4%08x%08x%08x%08x%08x.%s\0%02d/%02d/%02d %02d:%02d:%02d\0`),
    text(`https://${DEMO_BEACON_SERVER.host}/jquery-3.3.1.min.js\0${DEMO_BEACON_SERVER.ip}\0`),
    text('\0(emoguard demo: inert strings shaped like a Cobalt Strike beacon)\0'),
    filler(0x200, 'beacon'),
  ]);
  return buildMinidump({
    regions: [{ va: 0x2a0000n, data: beacon, protect: PAGE_EXECUTE_READWRITE }],
  }).bytes;
}
