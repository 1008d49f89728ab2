import { resolve } from 'node:path';
import { ConfigError, describeError, type Engine } from '../../core/index.js';
import { loadYaraRules, yaraEngineFor } from './load.js';

export interface PreparedYara {
  /** True when the workers should add the yara engine (YARA-X loaded). */
  isActive: boolean;
  /** The operator's rule paths, absolute (the bundled rules are implied). */
  paths: string[];
  /** Lines for stderr: rule errors (`error[E_YARA_…]: … --> file:line:col`), skipped rules, warnings. */
  messages: string[];
}

/**
 * Run once by `scan` before the workers start: resolves `--yara` paths, compiles bundled + user rules
 * (filling the compiled-rules cache the workers then read) and collects what to tell the operator.
 * A missing rule path is a ConfigError (exit 2). When YARA-X cannot load on this platform, a scan
 * without `--yara` goes on without YARA (with a warning); with `--yara` it is an error.
 */
export function prepareYara(paths: readonly string[], env: NodeJS.ProcessEnv): PreparedYara {
  const absolute = paths.map((p) => resolve(p));
  try {
    const loaded = loadYaraRules({ paths: absolute, env });
    return {
      isActive: true,
      paths: absolute,
      messages: [
        ...loaded.errors.map((e) => e.render()),
        ...loaded.skipped.map((s) => `warning: ${s}`),
      ],
    };
  } catch (error) {
    if (error instanceof ConfigError && error.code === 'E_YARA_UNAVAILABLE' && paths.length === 0) {
      return {
        isActive: false,
        paths: [],
        messages: [`warning: YARA disabled: ${describeError(error)}`],
      };
    }
    throw error;
  }
}

/** The engines of a scan worker: `base` plus YARA over the bundled rules and `paths` (loaded once). */
export function enginesWithYara(base: readonly Engine[], paths: readonly string[]): Engine[] {
  return [...base, yaraEngineFor(paths, { env: process.env })];
}
