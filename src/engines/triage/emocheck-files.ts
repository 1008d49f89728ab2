/**
 * EmoCheck v3–v5 (JPCERTCC/EmoCheck, emocheck/modules/scan_v3.cpp, scan_v4.cpp, scan_v5.cpp): Emotet
 * files one folder below %LOCALAPPDATA% or CSIDL_SYSTEMX86, found by their names, their autorun entry
 * or their timestamps. Each returns candidates; emocheck.ts then looks for the process that runs them.
 */
import { parseTimestampMicros } from '../../formats/host-snapshot/index.js';
import type { EmotetCandidate } from './candidate.js';
import type { FileView, HostView } from './host-view.js';
import { V4_FILE, V4_FOLDER } from './names.js';
import { baseNameOf, normalizePath, parentOf, splitExtension } from './paths.js';
import { SYSTEM32_FALLBACK_NAMES } from './system32-names.js';

/** scan_v3: a copy smaller than this is not Emotet (its loader was larger). */
const V3_MIN_SIZE = 10_000;
/** scan_v4: a Run value name of 7–16 letters, when it is not the file name itself. */
const V4_VALUE_NAME = /^[A-Za-z]{7,16}$/;
/** scan_v4: rundll32 with an entry point of 4–15 letters (RunDLL, ShowDialogA or a random word). */
const V4_RUNDLL = /rundll32\.exe.*,.*[A-Za-z]{4,15}/i;
/** scan_v5: folder time − file time within 7 days −0.3 s … +0.3 s (EmoCheck compares 100 ms units). */
const V5_MIN_US = 604_799_700_000;
const V5_MAX_US = 604_800_300_000;

function twoDeep(f: FileView): boolean {
  return !f.f.isDir && f.rest.length === 2;
}

/**
 * v3 (August 2020): `<root>\<a>\<b>.exe` where a and b are names of System32 executables or DLLs. Valid
 * when at least 10,000 bytes and not the size of System32's own file of that name.
 */
export function v3Candidates(view: HostView): {
  candidates: EmotetCandidate[];
  isFallback: boolean;
} {
  const exes = view.files.filter((f) => twoDeep(f) && f.rest[1]!.endsWith('.exe'));
  const isFallback = view.snapshot.system32.length === 0;
  if (exes.length === 0) return { candidates: [], isFallback };
  // Only the names the candidate files use are looked up in System32's listing (thousands of entries).
  const wanted = new Set(exes.flatMap((f) => [f.rest[0]!, splitExtension(f.rest[1]!)[0]]));
  const keywords = new Set<string>();
  const sizes = new Map<string, number>();
  for (const entry of view.snapshot.system32) {
    const lower = entry.name.toLowerCase();
    const dot = lower.lastIndexOf('.');
    const ext = lower.slice(dot + 1);
    if (dot <= 0 || (ext !== 'exe' && ext !== 'dll')) continue;
    const base = lower.slice(0, dot);
    if (!wanted.has(base)) continue;
    keywords.add(base);
    if (entry.size !== null) sizes.set(lower, entry.size);
  }
  if (isFallback) for (const name of SYSTEM32_FALLBACK_NAMES) keywords.add(name);
  const candidates: EmotetCandidate[] = [];
  for (const f of exes) {
    const [dir, file] = f.rest as [string, string];
    const [base, ext] = splitExtension(file);
    if (ext !== 'exe' || !keywords.has(dir) || !keywords.has(base)) continue;
    const size = f.f.size;
    const systemSize = sizes.get(file);
    const isValid =
      !(size !== null && size < V3_MIN_SIZE) && !(systemSize !== undefined && systemSize === size);
    const run = view.runValues.find(
      (r) =>
        r.hive === 'user' &&
        r.v.name.toLowerCase() === base &&
        r.v.data !== null &&
        normalizePath(r.v.data) === f.path,
    );
    candidates.push({
      method: 'v3',
      fileName: file,
      filePath: f.f.path,
      path: f.path,
      ...(run ? { registryKey: run.display, commandLine: run.v.data ?? '' } : {}),
      isAdmin: f.root === 'sysx86',
      isValid,
      isPersistent: run !== undefined,
      note:
        `EmoCheck v3: ${dir}\\${file} uses System32 names` +
        (isValid ? '' : ' but is too small or the same size as the System32 file') +
        (run ? `; started by ${run.display}` : ''),
      location: `file ${f.f.path}`,
    });
  }
  return { candidates, isFallback };
}

/**
 * v4 (December 2020): `<root>\<4–16 letters>\<3–15 letters>.<3 letters, not exe/dll>`, a PE, in a folder
 * no installed software uses, started by rundll32 from a user Run value (LocalAppData) or a service
 * named after the file (SysWOW64).
 */
export function v4Candidates(view: HostView): EmotetCandidate[] {
  const allow = new Set(view.snapshot.knownFolders.map((n) => n.toLowerCase()));
  const candidates: EmotetCandidate[] = [];
  for (const f of view.files) {
    if (!twoDeep(f) || f.f.isPe === false) continue;
    const dir = f.rest[0]!;
    const fileName = baseNameOf(f.f.path);
    if (!V4_FOLDER.test(dir) || !V4_FILE.test(fileName) || allow.has(dir)) continue;
    const lower = fileName.toLowerCase();
    const candidate =
      f.root === 'localappdata' ? v4FromRunKey(view, f, lower) : v4FromService(view, f, lower);
    if (candidate) candidates.push(candidate);
  }
  return candidates;
}

function v4FromRunKey(view: HostView, f: FileView, lower: string): EmotetCandidate | undefined {
  const run = view.runValues.find((r) => {
    const data = r.v.data ?? '';
    const isNamed = r.v.name.toLowerCase() === lower || V4_VALUE_NAME.test(r.v.name);
    return (
      r.hive === 'user' && isNamed && V4_RUNDLL.test(data) && data.toLowerCase().includes(lower)
    );
  });
  if (!run) return undefined;
  return {
    method: 'v4',
    fileName: lower,
    filePath: f.f.path,
    path: f.path,
    registryKey: run.display,
    commandLine: run.v.data ?? '',
    isAdmin: false,
    isValid: true,
    isPersistent: true,
    note: `EmoCheck v4: random-folder DLL started by rundll32 from ${run.display}`,
    location: `registry ${run.display}`,
  };
}

function v4FromService(view: HostView, f: FileView, lower: string): EmotetCandidate | undefined {
  const base = splitExtension(lower)[0];
  const service = view.snapshot.services.find((s) => {
    const name = s.name.toLowerCase();
    return (
      (name === lower || name === base) &&
      V4_RUNDLL.test(s.binaryPath) &&
      s.binaryPath.toLowerCase().includes(lower)
    );
  });
  if (!service) return undefined;
  return {
    method: 'v4',
    fileName: lower,
    filePath: f.f.path,
    path: f.path,
    service: service.name,
    commandLine: service.binaryPath,
    isAdmin: true,
    isValid: true,
    isPersistent: true,
    note: `EmoCheck v4: random-folder DLL in SysWOW64 started by rundll32 from the service "${service.name}"`,
    location: `service ${service.name}`,
  };
}

/**
 * v5 (generic, all generations): a PE one folder below a search root whose last-write time is exactly
 * 7 days before its folder's.
 */
export function v5Candidates(view: HostView): EmotetCandidate[] {
  const candidates: EmotetCandidate[] = [];
  const days = new Map<number, Set<string>>();
  for (const f of view.files) {
    if (!twoDeep(f) || f.f.isPe === false || f.f.mtime === null) continue;
    const folderTime = view.dirTimes.get(parentOf(f.path));
    if (folderTime === undefined || !isPlausibleDay(f.f.mtime, folderTime, days)) continue;
    const mtime = parseTimestampMicros(f.f.mtime);
    if (mtime === null) continue;
    const diff = folderTime - mtime;
    if (diff < V5_MIN_US || diff >= V5_MAX_US) continue;
    const autorun = autorunFor(view, f.path);
    candidates.push({
      method: 'v5',
      fileName: baseNameOf(f.path),
      filePath: f.f.path,
      path: f.path,
      ...autorun,
      isAdmin: f.root === 'sysx86',
      isValid: true,
      isPersistent: autorun.registryKey !== undefined || autorun.service !== undefined,
      note: `EmoCheck v5: last write ${f.f.mtime} is 7 days before its folder's (${(diff / 1e6 - 604_800).toFixed(3)} s off)`,
      location: `file ${f.f.path}`,
    });
  }
  return candidates;
}

/**
 * A UTC time whose date is not the folder's date minus 6–8 days cannot be 7 days off: skip it without
 * parsing (thousands of files). Times with another zone are always parsed.
 */
function isPlausibleDay(
  mtime: string,
  folderTime: number,
  cache: Map<number, Set<string>>,
): boolean {
  if (!/[Zz]$/.test(mtime)) return true;
  let dates = cache.get(folderTime);
  if (!dates) {
    const day = 86_400_000;
    const base = Math.floor(folderTime / 1000) - 7 * day;
    dates = new Set([-day, 0, day].map((d) => new Date(base + d).toISOString().slice(0, 10)));
    cache.set(folderTime, dates);
  }
  return dates.has(mtime.slice(0, 10));
}

/** The Run value or service whose command line names `path`, if any. */
function autorunFor(
  view: HostView,
  path: string,
): { registryKey?: string; service?: string; commandLine?: string } {
  const run = view.runValues.find(
    (r) => r.v.data !== null && normalizePath(r.v.data).includes(path),
  );
  if (run) return { registryKey: run.display, commandLine: run.v.data ?? '' };
  const service = view.snapshot.services.find(
    (s) =>
      normalizePath(s.binaryPath).includes(path) ||
      (s.serviceDll !== '' && normalizePath(s.serviceDll) === path),
  );
  return service ? { service: service.name, commandLine: service.binaryPath } : {};
}
