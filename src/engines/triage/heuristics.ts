/**
 * emoguard's own host checks, beyond EmoCheck: what Emotet-style loaders look like on a host whatever
 * their generation — random names in user-writable folders, autoruns and system binaries (rundll32,
 * regsvr32) pointed at them, and PowerShell still running under WMI.
 */
import { clipText, type ExtractedPowerShell, type Finding } from '../../core/index.js';
import { parseTimestampMicros } from '../../formats/host-snapshot/index.js';
import { findEncodedCommands } from '../../formats/powershell/index.js';
import * as F from './findings.js';
import type { HostView, ProcView } from './host-view.js';
import { hasOddDllExtension, looksRandomName, V4_FOLDER } from './names.js';
import {
  baseNameOf,
  folderKind,
  isUserWritable,
  normalizePath,
  parseProxyLaunch,
  programOf,
  splitExtension,
} from './paths.js';

export interface HeuristicOutput {
  findings: Finding[];
  powershell: ExtractedPowerShell[];
}

const SYSTEM_BINARIES: ReadonlySet<string> = new Set([
  'svchost.exe',
  'lsass.exe',
  'csrss.exe',
  'smss.exe',
  'services.exe',
  'winlogon.exe',
  'wininit.exe',
  'explorer.exe',
  'taskhostw.exe',
  'taskhost.exe',
  'rundll32.exe',
  'regsvr32.exe',
  'dllhost.exe',
  'conhost.exe',
  'spoolsv.exe',
  'lsm.exe',
  'sihost.exe',
  'wmiprvse.exe',
  'searchindexer.exe',
]);
const SYSTEM_LOCATION =
  /^[a-z]:\\windows\\(?:(?:system32|syswow64)\\(?:wbem\\)?|winsxs\\.+\\)?[^\\]+$/;
const POWERSHELL = new Set(['powershell.exe', 'pwsh.exe']);

export function runHeuristics(
  view: HostView,
  maxChars: number,
  checkDeadline: () => void,
): HeuristicOutput {
  const out: HeuristicOutput = { findings: [], powershell: [] };
  view.procs.forEach((proc, i) => {
    if (i % 256 === 255) checkDeadline();
    checkProcess(view, proc, maxChars, out);
  });
  checkAutoruns(view, maxChars, out);
  return out;
}

function checkProcess(
  view: HostView,
  proc: ProcView,
  maxChars: number,
  out: HeuristicOutput,
): void {
  const where = `process ${proc.p.pid} ${proc.p.name}`;
  const image = proc.path !== '' ? proc.path : normalizePath(programOf(proc.p.commandLine));
  const text = clipText(proc.p.path || proc.p.commandLine, maxChars);
  if (SYSTEM_BINARIES.has(proc.name) && proc.path !== '' && !SYSTEM_LOCATION.test(proc.path)) {
    out.findings.push(
      F.systemNameMasquerade({ location: where, text, note: `${proc.p.name} outside C:\\Windows` }),
    );
  }
  const base = splitExtension(baseNameOf(image))[0];
  if (image !== '' && isUserWritable(image) && looksRandomName(base)) {
    out.findings.push(
      F.userDirRandomProcess({
        location: where,
        text,
        note: `random-looking name in a ${folderKind(image)} folder`,
      }),
    );
  }
  if (proc.name === 'rundll32.exe' || proc.name === 'regsvr32.exe') {
    const reason = proxyReason(proc.p.commandLine);
    if (reason) {
      const finding = proc.name === 'rundll32.exe' ? F.rundll32UserDir : F.regsvr32UserDir;
      out.findings.push(
        finding({ location: where, text: clipText(proc.p.commandLine, maxChars), note: reason }),
      );
    }
  }
  if (POWERSHELL.has(proc.name)) checkWmiPowerShell(view, proc, maxChars, out);
}

function checkWmiPowerShell(
  view: HostView,
  proc: ProcView,
  maxChars: number,
  out: HeuristicOutput,
): void {
  const parent = proc.p.parentPid === null ? undefined : view.byPid.get(proc.p.parentPid);
  if (parent?.name !== 'wmiprvse.exe') return;
  // PIDs are reused: a "parent" started after the child is not its parent.
  const born = proc.p.createdAt === null ? null : parseTimestampMicros(proc.p.createdAt);
  const parentBorn = parent.p.createdAt === null ? null : parseTimestampMicros(parent.p.createdAt);
  if (born !== null && parentBorn !== null && parentBorn > born) return;
  const encoded = findEncodedCommands(proc.p.commandLine, {
    maxResults: 5,
    maxBase64Chars: maxChars * 8,
  });
  for (const e of encoded)
    out.powershell.push({
      raw: clipText(e.raw, maxChars),
      decoded: clipText(e.decoded, maxChars * 8),
    });
  out.findings.push(
    F.wmiPowerShell({
      location: `process ${proc.p.pid} ${proc.p.name}`,
      text: clipText(proc.p.commandLine || proc.p.path, maxChars),
      note:
        `parent ${parent.p.pid} ${parent.p.name}` +
        (encoded[0] ? `; decoded: ${clipText(encoded[0].decoded.replace(/\s+/g, ' '), 200)}` : ''),
    }),
  );
}

/** Why a rundll32/regsvr32 command line is suspicious, or undefined when its DLL sits somewhere normal. */
function proxyReason(command: string): string | undefined {
  const proxy = parseProxyLaunch(command);
  if (!proxy) return undefined;
  const dll = normalizePath(proxy.dll);
  const inUserDir = isUserWritable(dll);
  if (!inUserDir && !isRandomSystemFolder(dll)) return undefined;
  const where = inUserDir
    ? `a ${folderKind(dll)} folder`
    : 'a random folder of the system directory';
  const entry = proxy.entry === '' ? '' : ` through ${entryKind(proxy.entry)}`;
  const odd = hasOddDllExtension(baseNameOf(dll)) ? ' (not a .dll extension)' : '';
  return `${proxy.kind} loads a DLL from ${where}${entry}${odd}`;
}

function entryKind(entry: string): string {
  if (/^control_rundll$/i.test(entry)) return 'Control_RunDLL';
  if (/^#\d+$/.test(entry)) return `ordinal ${entry}`;
  if (/^dllregisterserver$/i.test(entry)) return 'DllRegisterServer';
  return `export "${entry}"`;
}

/**
 * `SysWOW64\<letters>\<file>` (or System32, where the WOW64 redirector sends a 32-bit rundll32) under a
 * random-looking folder name or with an odd extension: EmoCheck v4's administrator shape.
 */
function isRandomSystemFolder(path: string): boolean {
  const m = /^[a-z]:\\windows\\(?:system32|syswow64)\\([^\\]+)\\([^\\]+)$/.exec(path);
  if (!m) return false;
  const [, dir, file] = m as unknown as [string, string, string];
  return V4_FOLDER.test(dir) && (looksRandomName(dir) || hasOddDllExtension(file));
}

/** Why an autorun command line is suspicious: a proxied user-folder DLL, encoded PowerShell, a random name. */
function launchReason(command: string, isService: boolean): string | undefined {
  const proxied = proxyReason(command);
  if (proxied) return proxied;
  const program = normalizePath(programOf(command));
  if (POWERSHELL.has(baseNameOf(program)) || /^powershell\b|^pwsh\b/.test(program)) {
    return findEncodedCommands(command, { maxResults: 1 }).length > 0
      ? 'PowerShell with an encoded command'
      : undefined;
  }
  if (!isUserWritable(program)) return undefined;
  const kind = folderKind(program);
  if (looksRandomName(splitExtension(baseNameOf(program))[0]))
    return `random-named program in a ${kind} folder`;
  return isService ? `service program in a ${kind} folder` : undefined;
}

function checkAutoruns(view: HostView, maxChars: number, out: HeuristicOutput): void {
  for (const r of view.runValues) {
    if (r.v.data === null) continue;
    const reason = launchReason(r.v.data, false);
    if (reason)
      out.findings.push(
        F.runKeyUserDir({
          location: `registry ${r.display}`,
          text: clipText(r.v.data, maxChars),
          note: reason,
        }),
      );
  }
  for (const s of view.snapshot.services) {
    let reason = s.binaryPath === '' ? undefined : launchReason(s.binaryPath, true);
    if (!reason && s.serviceDll !== '' && isUserWritable(normalizePath(s.serviceDll))) {
      reason = `ServiceDll in a ${folderKind(normalizePath(s.serviceDll))} folder`;
    }
    if (reason) {
      out.findings.push(
        F.serviceUserDir({
          location: `service ${s.name}`,
          text: clipText(s.binaryPath || s.serviceDll, maxChars),
          note: reason,
        }),
      );
    }
  }
  for (const t of view.snapshot.scheduledTasks) {
    if (t.command === '') continue;
    const command = `"${t.command.replace(/"/g, '')}" ${t.arguments}`;
    const reason = launchReason(command, false);
    if (reason)
      out.findings.push(
        F.taskUserDir({
          location: `task ${t.name}`,
          text: clipText(command.trim(), maxChars),
          note: reason,
        }),
      );
  }
}
