/**
 * @module scan-runner — runs the pipeline over files, directories and standard input in worker threads
 * with per-input watchdogs, bounded memory, and a progress bar. Used by the CLI and later the gateway.
 *
 * @example
 * for await (const item of scanPaths(['mails/'], { limits })) console.log(item);
 */
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
export { scanLargeFile, type LargeFileType, type LargeScanOptions } from './large-file-scan.js';
