import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { describeError, type Detection, type LogEvent } from '../../core/index.js';
import {
  chunkFileOffset,
  EVTX_CHUNK_SIZE,
  evtxRecordToLogEvent,
  parseEvtxChunk,
} from '../../formats/evtx/index.js';
import {
  createSigmaEngine,
  DEFAULT_SIGMA_LIMITS,
  loadSigmaRules,
  parseSigmaMapping,
  type SigmaEngine,
} from '../../engines/sigma/index.js';
import { workerRuleSet } from './split.js';

/**
 * Messages from the hunt pool: `init` once (the rule paths, loaded here as in the main thread), then one
 * EVTX chunk per task, read from the file by this worker (no bytes cross threads on the way in).
 */
export type HuntWorkerRequest =
  | { type: 'init'; rules: HuntRules; allEvents: boolean }
  | { type: 'chunk'; id: number; path: string; index: number };

/**
 * The rule texts and mapping the main thread loaded, so every worker compiles the same rules in the same
 * order (rule order is detection order).
 */
export interface HuntRules {
  sources: readonly { path: string; text: string }[];
  mappingText: string;
  mappingName: string;
}

/** One event and the Sigma detections of the rules that run in workers, in the engine's order. */
export interface MatchedEvent {
  event: LogEvent;
  detections: Detection[];
}

export type HuntWorkerReply =
  | { id: number; ok: true; items: MatchedEvent[]; skipped: number; errors: string[] }
  | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('hunt worker must run in a worker thread');

let engine: SigmaEngine | undefined;
let allEvents = true;
const buffer = new Uint8Array(EVTX_CHUNK_SIZE);

port.on('message', (request: HuntWorkerRequest) => {
  if (request.type === 'init') {
    const { sources, mappingText, mappingName } = request.rules;
    const set = loadSigmaRules(sources, {
      mapping: parseSigmaMapping(mappingText, mappingName),
      limits: DEFAULT_SIGMA_LIMITS,
    });
    engine = createSigmaEngine(workerRuleSet(set));
    allEvents = request.allEvents;
    return;
  }
  port.postMessage(handle(request));
});

function handle(request: Extract<HuntWorkerRequest, { type: 'chunk' }>): HuntWorkerReply {
  try {
    const fd = openSync(request.path, 'r');
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, chunkFileOffset(request.index));
    } finally {
      closeSync(fd);
    }
    const items: MatchedEvent[] = [];
    const errors: string[] = [];
    let skipped = 0;
    for (const item of parseEvtxChunk(buffer.subarray(0, n), request.index)) {
      if (item.type !== 'record') continue;
      const event = evtxRecordToLogEvent(item, request.path);
      let detections: Detection[] = [];
      try {
        detections = engine!.match(event);
      } catch (error) {
        // As runHunt does: one hostile record must not hide the rest of the log.
        errors.push(`sigma: ${describeError(error)}`);
      }
      // Copying an event to the main thread costs about what parsing it did: only what the main thread's
      // engines read crosses (process starts for the chain and trees, events with detections), unless
      // Sigma correlations need every event.
      if (allEvents || detections.length > 0 || isProcessStart(event))
        items.push({ event, detections });
      else skipped++;
    }
    return { id: request.id, ok: true, items, skipped, errors };
  } catch (error) {
    return { id: request.id, ok: false, message: describeError(error) };
  }
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
