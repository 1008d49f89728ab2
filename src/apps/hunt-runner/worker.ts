import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { describeError, type Anomaly, type Detection, type LogEvent } from '../../core/index.js';
import {
  chunkFileOffset,
  EVTX_CHUNK_SIZE,
  evtxRecordToLogEvent,
  parseEvtxChunk,
} from '../../formats/evtx/index.js';
import { WinlogReader, type WinlogMappings } from '../../formats/winlog-json/index.js';
import {
  createSigmaEngine,
  unpackSigmaRules,
  type PackedRuleSet,
  type SigmaEngine,
} from '../../engines/sigma/index.js';

/**
 * One unit of work: an EVTX chunk ([MS-EVEN6] 2.3: chunks parse on their own), or the byte range
 * [start, end) of a log with one event per line, cut at newlines (see ranges.ts).
 */
export type HuntTask =
  | { type: 'chunk'; path: string; index: number }
  | { type: 'lines'; path: string; start: number; end: number };

/**
 * Messages from the hunt pool: `init` once (the rules the main thread loaded, packed as data: no YAML
 * is parsed here), then tasks, each read from the file by this worker (no bytes cross on the way in).
 */
export type HuntWorkerRequest =
  | { type: 'init'; rules: PackedRuleSet; mappings: WinlogMappings; allEvents: boolean }
  | (HuntTask & { id: number });

/** One event and the Sigma detections of the rules that run in workers, in the engine's order. */
export interface MatchedEvent {
  event: LogEvent;
  detections: Detection[];
}

/** What a `lines` task adds: line numbers in it count from its first line (the pool shifts them). */
export interface LinesReport {
  /** Lines in the range (every range but a file's last ends with a newline). */
  lines: number;
  anomalies: { anomaly: Anomaly; line: number }[];
  unknown: { count: number; first: number };
}

export type HuntWorkerReply =
  | {
      id: number;
      ok: true;
      items: MatchedEvent[];
      skipped: number;
      errors: string[];
      lines?: LinesReport;
    }
  | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('hunt worker must run in a worker thread');

let engine: SigmaEngine | undefined;
let mappings: WinlogMappings = {};
let allEvents = true;
const buffer = new Uint8Array(EVTX_CHUNK_SIZE);
/** Bytes of a line range read per step. */
const TEXT_STEP = 1024 * 1024;
let textBuffer: Uint8Array | undefined;

port.on('message', (request: HuntWorkerRequest) => {
  if (request.type === 'init') {
    engine = createSigmaEngine(unpackSigmaRules(request.rules), {
      prefilter: request.rules.prefilter,
    });
    mappings = request.mappings;
    allEvents = request.allEvents;
    return;
  }
  port.postMessage(handle(request));
});

class Matcher {
  readonly items: MatchedEvent[] = [];
  readonly errors: string[] = [];
  skipped = 0;

  add(event: LogEvent): void {
    let detections: Detection[] = [];
    try {
      detections = engine!.match(event);
    } catch (error) {
      // As runHunt does: one hostile record must not hide the rest of the log.
      this.errors.push(`sigma: ${describeError(error)}`);
    }
    // Copying an event to the main thread costs about what parsing it did: only what the main thread's
    // engines read crosses (process starts for the chain and trees, events with detections), unless
    // Sigma correlations need every event.
    if (allEvents || detections.length > 0 || isProcessStart(event))
      this.items.push({ event, detections });
    else this.skipped++;
  }
}

function handle(request: HuntTask & { id: number }): HuntWorkerReply {
  try {
    const matcher = new Matcher();
    const lines = request.type === 'chunk' ? chunk(request, matcher) : range(request, matcher);
    const { items, skipped, errors } = matcher;
    return { id: request.id, ok: true, items, skipped, errors, ...(lines ? { lines } : {}) };
  } catch (error) {
    return { id: request.id, ok: false, message: describeError(error) };
  }
}

function chunk(task: Extract<HuntTask, { type: 'chunk' }>, matcher: Matcher): undefined {
  const fd = openSync(task.path, 'r');
  let n: number;
  try {
    n = readSync(fd, buffer, 0, buffer.length, chunkFileOffset(task.index));
  } finally {
    closeSync(fd);
  }
  for (const item of parseEvtxChunk(buffer.subarray(0, n), task.index)) {
    if (item.type === 'record') matcher.add(evtxRecordToLogEvent(item, task.path));
  }
  return undefined;
}

function range(task: Extract<HuntTask, { type: 'lines' }>, matcher: Matcher): LinesReport {
  const reader = new WinlogReader({ path: task.path, mappings, fragment: true });
  const anomalies: LinesReport['anomalies'] = [];
  const take = (items: ReturnType<WinlogReader['push']>) => {
    for (const item of items) {
      if (item.type === 'event') matcher.add(item.event);
      else anomalies.push({ anomaly: item.anomaly, line: item.line ?? 0 });
    }
  };
  const text = (textBuffer ??= new Uint8Array(TEXT_STEP));
  // Ranges start after a newline: no UTF-8 sequence is cut at `start`.
  const decoder = new TextDecoder('utf-8');
  const fd = openSync(task.path, 'r');
  try {
    for (let at = task.start; at < task.end;) {
      const n = readSync(fd, text, 0, Math.min(text.length, task.end - at), at);
      if (n <= 0) break;
      take(reader.push(decoder.decode(text.subarray(0, n), { stream: true })));
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  take(reader.push(decoder.decode()));
  take(reader.finish());
  return { lines: reader.lines, anomalies, unknown: reader.unknownLines() };
}

function isProcessStart(event: LogEvent): boolean {
  const system = (event.data.Event as { System?: Record<string, unknown> } | undefined)?.System;
  const raw = system?.EventID;
  const id = Number(
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['#text'] : raw,
  );
  const channel = String(system?.Channel ?? '').toLowerCase();
  return (
    (id === 1 && channel === 'microsoft-windows-sysmon/operational') ||
    (id === 4688 && channel === 'security')
  );
}
