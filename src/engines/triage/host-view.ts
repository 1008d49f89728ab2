import {
  parseTimestampMicros,
  type FileEntry,
  type HostSnapshot,
  type RegistryValue,
  type SnapshotProcess,
} from '../../formats/host-snapshot/index.js';
import { baseNameOf, normalizePath, underSearchRoot, unify } from './paths.js';

/** A snapshot with every path normalized once, so that each check compares plain strings. */
export interface HostView {
  snapshot: HostSnapshot;
  procs: ProcView[];
  byPid: Map<number, ProcView>;
  /** Values under Run/RunOnce (and WOW6432Node, Policies\Explorer\Run) of any hive. */
  runValues: RegView[];
  registry: RegView[];
  /** Files and folders one or two levels below %LOCALAPPDATA% or CSIDL_SYSTEMX86; the rest is not kept. */
  files: FileView[];
  /** Normalized folder path → last-write time in µs, for folders one level under a search root. */
  dirTimes: Map<string, number>;
}

export interface ProcView {
  p: SnapshotProcess;
  index: number;
  /** Lowercase image name. */
  name: string;
  /** Normalized image path ('' when unknown). */
  path: string;
  /** EmoCheck-unified command line. */
  cmd: string;
}

export interface RegView {
  v: RegistryValue;
  index: number;
  hive: 'user' | 'machine' | 'other';
  /** Key below the hive, lowercase, backslashes: `software\microsoft\windows\currentversion\run`. */
  rest: string;
  /** How reports name it: `HKCU\Software\…\Run\<value>` (or HKU\<SID>\…, HKLM\…). */
  display: string;
}

export interface FileView {
  f: FileEntry;
  index: number;
  path: string;
  root: 'localappdata' | 'sysx86';
  /** Segments below the root. */
  rest: string[];
}

const MAYBE_UNDER_ROOT = /appdata[\\/]local|syswow64|system32/i;
const RUN_KEY =
  /^software\\(?:wow6432node\\)?microsoft\\windows\\currentversion\\(?:run|runonce|runonceex|runservices|runservicesonce|policies\\explorer\\run)$/;

export function buildHostView(snapshot: HostSnapshot): HostView {
  const procs = snapshot.processes.map((p, index): ProcView => ({
    p,
    index,
    name: (p.name || baseNameOf(p.path)).toLowerCase(),
    path: p.path === '' ? '' : normalizePath(p.path),
    cmd: unify(p.commandLine),
  }));
  const byPid = new Map<number, ProcView>();
  for (const proc of procs) if (!byPid.has(proc.p.pid)) byPid.set(proc.p.pid, proc);
  const registry = snapshot.registry.map(regView);
  const files: FileView[] = [];
  const dirTimes = new Map<string, number>();
  snapshot.files.forEach((f, index) => {
    // Only folders, PEs (or unread files) and .exe files one or two levels below a search root matter
    // to EmoCheck v3–v5: skip the rest before normalizing thousands of paths.
    if (!f.isDir && f.isPe === false && !/\.exe$/i.test(f.path)) return;
    if (!MAYBE_UNDER_ROOT.test(f.path)) return;
    const path = normalizePath(f.path);
    const under = underSearchRoot(path, snapshot.arch);
    if (!under || under.rest.length === 0 || under.rest.length > 2) return;
    files.push({ f, index, path, root: under.root, rest: under.rest });
    if (f.isDir && under.rest.length === 1 && f.mtime !== null) {
      const mtime = parseTimestampMicros(f.mtime);
      if (mtime !== null) dirTimes.set(path, mtime);
    }
  });
  return {
    snapshot,
    procs,
    byPid,
    registry,
    runValues: registry.filter((r) => RUN_KEY.test(r.rest)),
    files,
    dirTimes,
  };
}

function regView(v: RegistryValue, index: number): RegView {
  const key = v.key
    .replace(/^(?:Microsoft\.PowerShell\.Core\\)?Registry::/i, '')
    .replace(/\//g, '\\');
  let hive: RegView['hive'] = 'other';
  let prefix = '';
  let rest = key;
  const user = /^(?:HKEY_CURRENT_USER|HKCU:?)(?:\\|$)/i.exec(key);
  const users = /^(?:HKEY_USERS|HKU:?)\\([^\\]+)(?:\\|$)/i.exec(key);
  const machine = /^(?:HKEY_LOCAL_MACHINE|HKLM:?)(?:\\|$)/i.exec(key);
  if (user) [hive, prefix, rest] = ['user', 'HKCU', key.slice(user[0].length)];
  else if (users) [hive, prefix, rest] = ['user', `HKU\\${users[1]}`, key.slice(users[0].length)];
  else if (machine) [hive, prefix, rest] = ['machine', 'HKLM', key.slice(machine[0].length)];
  const tail = rest.replace(/\\+$/, '');
  return {
    v,
    index,
    hive,
    rest: tail.toLowerCase(),
    display: `${prefix === '' ? '' : `${prefix}\\`}${tail}\\${v.name}`,
  };
}
