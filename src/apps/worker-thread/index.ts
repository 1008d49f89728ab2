/**
 * @module apps/worker-thread — starting a worker thread on a sibling script (Node 20 `worker_threads`,
 * https://nodejs.org/docs/latest-v20.x/api/worker_threads.html). Workers run as .ts under tsx (tests,
 * benches) and as .js from dist/ (bin/emoguard). Node 20 does not apply the parent's `--import tsx`
 * hooks to workers, so a .ts worker registers tsx itself before importing the script.
 *
 * @example
 * const worker = startWorker(siblingScript(import.meta.url, 'worker'), { workerData });
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `./<name>.ts` or `./<name>.js` beside the module at `moduleUrl`, whichever that module itself is. */
export function siblingScript(moduleUrl: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(moduleUrl))}`, moduleUrl);
}

/** A worker on `url`; a .ts script is started through tsx's ESM loader. */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
