/**
 * How tshark is confined. A capture is hostile input to a large C dissector set, so each run gets:
 * a fresh empty HOME / XDG_CONFIG_HOME / WIRESHARK_CONFIG_DIR (no personal preferences, profiles, Lua
 * or binary plugins, colour rules or `init.lua` load: tshark 4.0 has no switch that turns Lua off, and
 * its personal plugin folders live under HOME), a minimal environment (no WIRESHARK_PLUGIN_DIR,
 * LD_PRELOAD, SSLKEYLOGFILE …), stdin closed, its own process group (killed whole), and, where util-linux
 * allows it without privileges we lack: no network (`unshare -n`, or `unshare -rn` in a user namespace),
 * no new privileges (`setpriv --no-new-privs`) and resource limits (`prlimit`: address space, CPU
 * seconds, file size, no core dumps). What applied is returned so the run can say so.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';

export interface SandboxLimits {
  /** RLIMIT_AS of tshark. Default 4 GiB (a 50 MB capture needs ~250 MiB). */
  maxMemoryBytes?: number;
  /** RLIMIT_CPU in seconds. */
  maxCpuSeconds: number;
  /** RLIMIT_FSIZE: bounds what `--export-objects` may write. Default 1 GiB. */
  maxFileBytes?: number;
}

export const DEFAULT_TSHARK_MEMORY_BYTES = 4 * 1024 ** 3;
export const DEFAULT_TSHARK_FILE_BYTES = 1024 ** 3;

export interface SandboxedCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** What confines this run, e.g. `clean-config`, `no-network`, `prlimit(as,cpu,fsize,core)`. */
  protections: string[];
  /** Removes the private HOME. */
  cleanup(): void;
}

interface Probe {
  unshare: string[] | undefined;
  setpriv: boolean;
  prlimit: boolean;
}

let probed: Probe | undefined;

const works = (command: string, args: string[]) => {
  try {
    return spawnSync(command, args, { stdio: 'ignore', timeout: 5000 }).status === 0;
  } catch {
    return false;
  }
};

/** Which util-linux wrappers run here (checked once per process by running them on `true`). */
export function probeSandbox(): Probe {
  if (probed === undefined) {
    const unshare = works('unshare', ['-n', 'true'])
      ? ['-n']
      : works('unshare', ['-r', '-n', 'true'])
        ? ['-r', '-n']
        : undefined;
    probed = {
      unshare,
      setpriv: works('setpriv', ['--no-new-privs', 'true']),
      prlimit: works('prlimit', ['--core=0', 'true']),
    };
  }
  return probed;
}

/** The binary's path: named with a slash as given, else found on PATH; undefined when absent. */
export function resolveBinary(binary: string, path: string | undefined): string | undefined {
  const candidates =
    binary.includes('/') || isAbsolute(binary)
      ? [binary]
      : (path ?? '')
          .split(delimiter)
          .filter((d) => d !== '')
          .map((d) => join(d, binary));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `binary args…` wrapped in what this machine allows, with a private empty HOME. */
export function sandboxCommand(
  binary: string,
  args: readonly string[],
  limits: SandboxLimits,
  probe: Probe = probeSandbox(),
): SandboxedCommand {
  const home = mkdtempSync(join(tmpdir(), 'emoguard-tshark-home-'));
  mkdirSync(join(home, 'wireshark'));
  // SECURITY: only these variables reach tshark; a WIRESHARK_PLUGIN_DIR or LD_PRELOAD in our own
  // environment must not load code into the dissector.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    WIRESHARK_CONFIG_DIR: join(home, 'wireshark'),
    TMPDIR: home,
    LANG: 'C.UTF-8',
  };
  const protections = ['clean-config', 'minimal-env', 'stdin-closed', 'process-group'];
  const prefix: string[] = [];
  if (probe.unshare) {
    prefix.push('unshare', ...probe.unshare, '--');
    protections.push('no-network');
  }
  if (probe.setpriv) {
    prefix.push('setpriv', '--no-new-privs', '--');
    protections.push('no-new-privs');
  }
  if (probe.prlimit) {
    prefix.push(
      'prlimit',
      `--as=${limits.maxMemoryBytes ?? DEFAULT_TSHARK_MEMORY_BYTES}`,
      `--cpu=${Math.max(1, Math.ceil(limits.maxCpuSeconds))}`,
      `--fsize=${limits.maxFileBytes ?? DEFAULT_TSHARK_FILE_BYTES}`,
      '--core=0',
      '--',
    );
    protections.push('prlimit(as,cpu,fsize,core)');
  }
  const [file, ...rest] = [...prefix, binary, ...args];
  return {
    file: file!,
    args: rest,
    env,
    protections,
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
