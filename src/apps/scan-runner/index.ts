/**
 * @module scan-runner — runs the pipeline over files, directories and standard input in worker threads
 * with per-input watchdogs, bounded memory, and a progress bar. Used by the CLI and later the gateway.
 *
 * @example
 * for await (const item of scanPaths(['mails/'], { limits })) console.log(item);
 */
import type { LargeScanOptions, LargeScanOutput } from './large-file-scan.js';

export { scanPaths } from './run.js';
export { Scanner } from './scanner.js';
export type { RunItem, RunOptions, RunProgress } from './run.js';
export { createProgressBar } from './progress.js';
export { walkInputs } from './walk.js';
export { readInputFile } from './read.js';
export {
  largeFileTimeLimitMs,
  MEMORY_IMAGE_EXTENSIONS,
  routeLargeInput,
  scanLargeInput,
  type LargeFileOptions,
  type LargeRoute,
} from './large-file.js';
export type { LargeFileType, LargeScanOptions, LargeScanOutput } from './large-file-scan.js';

/**
 * Streams one large file through the detectors in this thread (see large-file-scan.ts). Loaded on first
 * call: it pulls in the pipeline and its engines, which `scan` itself runs only in its worker threads.
 */
export async function scanLargeFile(options: LargeScanOptions): Promise<LargeScanOutput> {
  return (await import('./large-file-scan.js')).scanLargeFile(options);
}
