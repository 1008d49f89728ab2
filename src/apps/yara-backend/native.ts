import { createRequire } from 'node:module';
import { ConfigError } from '../../core/index.js';

export type YaraXModule = typeof import('@litko/yara-x-linux-x64-gnu');

export const YARA_X_PACKAGE = '@litko/yara-x-linux-x64-gnu';

let loaded: YaraXModule | undefined;

/**
 * The YARA-X binding, loaded once per thread. It is a prebuilt napi module for x86-64 glibc Linux; on
 * another platform loading fails with E_YARA_UNAVAILABLE and the caller decides whether that is fatal.
 */
export function loadYaraX(): YaraXModule {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)(YARA_X_PACKAGE) as YaraXModule;
    return loaded;
  } catch (error) {
    throw new ConfigError(
      'E_YARA_UNAVAILABLE',
      `YARA-X could not be loaded (${YARA_X_PACKAGE}, x86-64 glibc Linux only): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** `@litko/yara-x-linux-x64-gnu@0.7.2`: part of the compiled-rules cache key (blobs are version-bound). */
export function yaraXVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)(`${YARA_X_PACKAGE}/package.json`) as {
      version?: string;
    };
    return `${YARA_X_PACKAGE}@${pkg.version ?? 'unknown'}`;
  } catch {
    return `${YARA_X_PACKAGE}@unknown`;
  }
}
