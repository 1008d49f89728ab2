/**
 * Windows paths and command lines as they appear in process lists, Run keys, services and tasks.
 * Everything is compared in one normal form: lowercase, backslashes, no quotes, one space per run of
 * white space — EmoCheck's PathUnification plus the prefixes and variables Windows itself expands.
 */

const ENV_EXPANSIONS: readonly [RegExp, string][] = [
  [/%(systemroot|windir)%/gi, 'c:\\windows'],
  [/%systemdrive%/gi, 'c:'],
  [/%programdata%|%allusersprofile%/gi, 'c:\\programdata'],
  [/%localappdata%/gi, 'c:\\users\\%user%\\appdata\\local'],
  [/%appdata%/gi, 'c:\\users\\%user%\\appdata\\roaming'],
  [/%(temp|tmp)%/gi, 'c:\\users\\%user%\\appdata\\local\\temp'],
  [/%userprofile%/gi, 'c:\\users\\%user%'],
  [/%public%/gi, 'c:\\users\\public'],
];

/** EmoCheck's PathUnification: quotes removed, runs of white space collapsed, lowercase. */
export function unify(text: string): string {
  const bare = text.includes('"') ? text.replace(/"/g, '') : text;
  return (/\s\s/.test(bare) ? bare.replace(/\s\s+/g, ' ') : bare).toLowerCase();
}

/** A path or command line in the normal form used for every comparison here. */
export function normalizePath(text: string): string {
  let p = unify(text.trim()).replace(/\//g, '\\');
  p = p.replace(/^\\\\\?\\|^\\\?\?\\/, '');
  if (p.startsWith('\\systemroot\\')) p = `c:\\windows${p.slice('\\systemroot'.length)}`;
  if (p.startsWith('system32\\')) p = `c:\\windows\\${p}`;
  if (p.includes('%')) for (const [re, to] of ENV_EXPANSIONS) p = p.replace(re, to);
  return p;
}

export type FolderKind =
  | 'localappdata'
  | 'roaming'
  | 'temp'
  | 'public'
  | 'programdata'
  | 'user-profile'
  | 'sysx86'
  | 'system'
  | 'program-files'
  | 'other';

const PROFILE = String.raw`[a-z]:\\(?:users\\[^\\]+|windows\\(?:system32|syswow64)\\config\\systemprofile|windows\\serviceprofiles\\[^\\]+)`;
const LOCAL_APPDATA = new RegExp(String.raw`^${PROFILE}\\appdata\\local\\`);
const TEMP = new RegExp(
  String.raw`^(?:${PROFILE}\\appdata\\local\\temp\\|[a-z]:\\windows\\temp\\)`,
);
const ROAMING = new RegExp(String.raw`^${PROFILE}\\appdata\\(?:roaming|locallow)\\`);
const USER_PROFILE = /^[a-z]:\\users\\[^\\]+\\/;
const PUBLIC = /^[a-z]:\\users\\public\\/;
const PROGRAM_DATA = /^[a-z]:\\programdata\\/;
const SYSWOW64 = /^[a-z]:\\windows\\syswow64\\/;
const SYSTEM = /^[a-z]:\\windows\\/;
const PROGRAM_FILES = /^[a-z]:\\program files(?: \(x86\))?\\/;

/** Where a normalized path points; the first match wins (Temp before LocalAppData, Public before a profile). */
export function folderKind(path: string): FolderKind {
  if (TEMP.test(path)) return 'temp';
  if (LOCAL_APPDATA.test(path)) return 'localappdata';
  if (ROAMING.test(path)) return 'roaming';
  if (PUBLIC.test(path)) return 'public';
  if (USER_PROFILE.test(path)) return 'user-profile';
  if (PROGRAM_DATA.test(path)) return 'programdata';
  if (SYSWOW64.test(path)) return 'sysx86';
  if (SYSTEM.test(path)) return 'system';
  if (PROGRAM_FILES.test(path)) return 'program-files';
  return 'other';
}

const USER_WRITABLE: ReadonlySet<FolderKind> = new Set([
  'localappdata',
  'roaming',
  'temp',
  'public',
  'programdata',
  'user-profile',
]);

/** Folders a standard user can write to without elevation: where droppers put their loaders. */
export function isUserWritable(path: string): boolean {
  return USER_WRITABLE.has(folderKind(path));
}

/**
 * The path below one of EmoCheck's search roots as segments: %LOCALAPPDATA% (any profile) and
 * CSIDL_SYSTEMX86 (SysWOW64, or System32 on 32-bit Windows). Undefined elsewhere.
 */
export function underSearchRoot(
  path: string,
  arch: 'x64' | 'x86' | null,
): { root: 'localappdata' | 'sysx86'; rootPath: string; rest: string[] } | undefined {
  if (
    !path.includes('\\appdata\\local\\') &&
    !path.includes(arch === 'x86' ? '\\system32\\' : '\\syswow64\\')
  ) {
    return undefined;
  }
  const local = LOCAL_APPDATA.exec(path);
  const sys = local
    ? null
    : (arch === 'x86' ? /^[a-z]:\\windows\\system32\\/ : SYSWOW64).exec(path);
  const m = local ?? sys;
  if (!m) return undefined;
  return {
    root: local ? 'localappdata' : 'sysx86',
    rootPath: m[0].slice(0, -1),
    rest: path
      .slice(m[0].length)
      .split('\\')
      .filter((s) => s !== ''),
  };
}

export function baseNameOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut < 0 ? path : path.slice(cut + 1);
}

export function parentOf(path: string): string {
  const cut = path.lastIndexOf('\\');
  return cut < 0 ? '' : path.slice(0, cut);
}

/** `name.ext` → [`name`, `ext`]; no dot → [`name`, ``]. */
export function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot + 1)];
}

const MAX_ARGS = 64;

/**
 * Splits a command line like CommandLineToArgvW: the program name up to its closing quote or the first
 * space; then arguments where 2n backslashes before a quote are n backslashes and toggle quoting, 2n+1
 * are n and a literal quote. At most 64 arguments.
 */
export function splitCommandLine(command: string): string[] {
  const args: string[] = [];
  let i = 0;
  const text = command.trimStart();
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    args.push(end < 0 ? text.slice(1) : text.slice(1, end));
    i = end < 0 ? text.length : end + 1;
  } else {
    const m = /^[^\s]*/.exec(text)!;
    args.push(m[0]);
    i = m[0].length;
  }
  while (i < text.length && args.length < MAX_ARGS) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let arg = '';
    let quoted = false;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\') {
        let n = 0;
        while (text[i + n] === '\\') n++;
        if (text[i + n] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) arg += '"';
          else quoted = !quoted;
          i += n;
        } else {
          arg += '\\'.repeat(n);
          i += n - 1;
        }
      } else if (c === '"') quoted = !quoted;
      else if (!quoted && /\s/.test(c)) break;
      else arg += c;
    }
    args.push(arg);
  }
  return args;
}

/**
 * The program a command line starts. Unquoted paths with spaces (`C:\Program Files\x\y.exe -a`) are
 * resolved the way CreateProcess tries them: up to the first `.exe` followed by a space.
 */
export function programOf(command: string): string {
  const first = firstArgument(command);
  if (/\.(exe|com|bat|cmd|scr)$/i.test(first) || command.trimStart().startsWith('"')) return first;
  const m = /^\s*(.+?\.(?:exe|com|scr))(?:\s|$)/i.exec(command);
  return m ? m[1]! : first;
}

export interface ProxyLaunch {
  kind: 'rundll32' | 'regsvr32';
  /** The DLL path as written. */
  dll: string;
  /** rundll32's entry point (`Control_RunDLL`, `#1`, `DllRegisterServer` …); empty for regsvr32. */
  entry: string;
}

/** argv[0] by CommandLineToArgvW's rule for it: up to the closing quote, or to the first white space. */
function firstArgument(command: string): string {
  const text = command.trimStart();
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    return end < 0 ? text.slice(1) : text.slice(1, end);
  }
  return /^\S*/.exec(text)![0];
}

const PROXY = /rundll32|regsvr32/i;

/** rundll32.exe "dll",entry / regsvr32.exe [/s] dll: the DLL and entry point a system binary is told to run. */
export function parseProxyLaunch(command: string): ProxyLaunch | undefined {
  if (!PROXY.test(command)) return undefined;
  const program = baseNameOf(programOf(command)).toLowerCase();
  const args = splitCommandLine(command).slice(1);
  if (program === 'rundll32.exe' || program === 'rundll32') {
    const joined = args.join(' ');
    const comma = joined.indexOf(',');
    const dll = (comma < 0 ? joined : joined.slice(0, comma)).trim();
    const entry = comma < 0 ? '' : (/^\s*([^\s,]*)/.exec(joined.slice(comma + 1))?.[1] ?? '');
    return dll === '' ? undefined : { kind: 'rundll32', dll, entry };
  }
  if (program === 'regsvr32.exe' || program === 'regsvr32') {
    const dll = args.filter((a) => !/^[/-]/.test(a)).pop();
    return dll === undefined ? undefined : { kind: 'regsvr32', dll, entry: '' };
  }
  return undefined;
}
