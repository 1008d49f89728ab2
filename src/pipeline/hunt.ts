import { describeError, type Detection, type HuntEngine, type LogEvent } from '../core/index.js';

export interface HuntStats {
  events: number;
  detections: number;
  /** Engine failures on single events: counted and reported, never fatal. */
  engineErrors: number;
  firstErrors: string[];
}

const MAX_REPORTED_ERRORS = 20;

/**
 * Streams events through every hunt engine that takes their kind, yielding detections as they happen, then
 * what the engines find once all events are seen (correlations, chains, rotations). An engine that throws on
 * one event is counted and the hunt goes on: one hostile record must not hide the rest of a log.
 */
export async function* runHunt(
  events: AsyncIterable<LogEvent> | Iterable<LogEvent>,
  engines: readonly HuntEngine[],
  stats: HuntStats = newHuntStats(),
): AsyncGenerator<Detection> {
  for await (const event of events) {
    stats.events++;
    for (const engine of engines) {
      if (!engine.kinds.includes(event.kind)) continue;
      const found = guarded(engine, stats, () => engine.match(event));
      stats.detections += found.length;
      yield* found;
    }
  }
  for (const engine of engines) {
    if (!engine.finish) continue;
    const found = guarded(engine, stats, () => engine.finish!());
    stats.detections += found.length;
    yield* found;
  }
}

export function newHuntStats(): HuntStats {
  return { events: 0, detections: 0, engineErrors: 0, firstErrors: [] };
}

function guarded(engine: HuntEngine, stats: HuntStats, work: () => Detection[]): Detection[] {
  try {
    const found = work();
    for (const d of found) d.engine ??= engine.name;
    return found;
  } catch (error) {
    stats.engineErrors++;
    if (stats.firstErrors.length < MAX_REPORTED_ERRORS) {
      stats.firstErrors.push(`${engine.name}: ${describeError(error)}`);
    }
    return [];
  }
}
