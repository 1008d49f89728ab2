import { createRequire } from 'node:module';

/** The SheetJS `cfb` package (one CommonJS file), which writes the compound files other formats rebuild. */
export type CfbPackage = typeof import('cfb');

let loaded: CfbPackage | undefined;

/**
 * The `cfb` package, required on first use: only rebuilding a decrypted document, copying an embedded
 * storage out, or building test fixtures writes a compound file, and loading the package at start-up
 * cost every scan worker about 20 ms of CPU.
 *
 * @example
 * const container = cfbPackage().utils.cfb_new();
 */
export function cfbPackage(): CfbPackage {
  loaded ??= createRequire(import.meta.url)('cfb') as CfbPackage;
  return loaded;
}
