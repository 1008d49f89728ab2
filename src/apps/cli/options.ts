import { resolve } from 'node:path';
import { ConfigError, LIMIT_NAMES, resolveLimits, type Limits } from '../../core/index.js';

export const DEFAULT_DB = 'emoguard.db';

/** The store file: `--db`, else `$EMOGUARD_DB`, else `./emoguard.db`. */
export function resolveDbPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return resolve(flag ?? (env.EMOGUARD_DB || DEFAULT_DB));
}

/** `--limit maxDepth=5 --limit maxFileSize=1048576` → validated Limits. */
export function parseLimitFlags(flags: readonly string[]): Limits {
  const overrides: Record<string, string> = {};
  for (const flag of flags) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(flag);
    if (!m) {
      throw new ConfigError(
        'E_CONFIG_LIMIT',
        `--limit wants NAME=VALUE, got "${flag}" (names: ${LIMIT_NAMES.join(', ')})`,
      );
    }
    overrides[m[1]!] = m[2]!;
  }
  return resolveLimits(overrides);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new ConfigError('E_CONFIG_NUMBER', `expected a positive integer, got "${value}"`);
  return n;
}
