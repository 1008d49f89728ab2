/**
 * One bench worker for bench/netlog.bench.ts: matches a byte range of a Zeek log (whole lines) against
 * the indicators it is given, exactly as `hunt` would (reader → optional prefilter → ioc engine).
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import {
  buildIocSet,
  createIocHuntEngine,
  createIocPrefilter,
  type IocInput,
} from '../src/engines/ioc/index.js';
import { NetlogReader, type NetlogFormat } from '../src/formats/netlog/index.js';

export interface NetlogJob {
  file: string;
  start: number;
  /** Exclusive. */
  end: number;
  /** Header lines to feed first (a range after the first has none of its own). */
  header: string;
  path: string;
  format: NetlogFormat;
  iocs: IocInput[];
  prefilter: boolean;
}

export interface NetlogJobResult {
  lines: number;
  events: number;
  filtered: number;
  detections: number;
  buildMs: number;
  matchMs: number;
}

const job = workerData as NetlogJob;
const t0 = performance.now();
const iocs = buildIocSet(job.iocs);
const buildMs = performance.now() - t0;
const engine = createIocHuntEngine({ iocs });
const reader = new NetlogReader({
  path: job.path,
  format: job.format,
  ...(job.prefilter ? { filter: createIocPrefilter({ iocs }) } : {}),
});
let detections = 0;
const headerLines = job.header === '' ? 0 : job.header.split('\n').length - 1;
const t1 = performance.now();
for (const e of reader.push(new TextEncoder().encode(job.header)))
  detections += engine.match(e).length;
for await (const chunk of createReadStream(job.file, {
  start: job.start,
  end: job.end - 1,
  highWaterMark: 256 * 1024,
})) {
  for (const e of reader.push(chunk as Uint8Array)) detections += engine.match(e).length;
}
for (const e of reader.end()) detections += engine.match(e).length;
detections += engine.finish?.().length ?? 0;
const summary = reader.summary();
const result: NetlogJobResult = {
  lines: summary.lines - headerLines,
  events: summary.events,
  filtered: summary.filtered,
  detections,
  buildMs,
  matchMs: performance.now() - t1,
};
parentPort!.postMessage(result);
