/**
 * The `ioc` hunt engine over network events: threat-intel lookups (when indicators are loaded) and the
 * indicator-free heuristics, record by record; C2 rotation once all records are seen.
 */
import type { Detection, HuntEngine, LogEvent } from '../../core/index.js';
import { viewOf } from '../../formats/netlog/index.js';
import {
  c2CheckinOf,
  emotetAlertOf,
  executableMasqueradeOf,
  lolbinDownloadOf,
} from './heuristics.js';
import type { IocSet } from './ioc-set.js';
import { matchIocs } from './match-iocs.js';
import { RotationTracker, type RotationOptions } from './rotation.js';

export interface IocHuntOptions {
  /** Loaded indicators; without them only the heuristics run. */
  iocs?: IocSet;
  /** Indicator-free detections (default true). */
  heuristics?: boolean;
  rotation?: RotationOptions;
}

/**
 * @example
 * const engine = createIocHuntEngine({ iocs: buildIocSet(await collect(store.loadIntel())) });
 * for await (const d of runHunt(readNetlog(chunks, { path }), [engine])) …
 */
export function createIocHuntEngine(options: IocHuntOptions = {}): HuntEngine {
  const set = options.iocs !== undefined && options.iocs.size > 0 ? options.iocs : undefined;
  const isHeuristic = options.heuristics !== false;
  const rotation = isHeuristic ? new RotationTracker(options.rotation) : undefined;
  return {
    name: 'ioc',
    kinds: ['network'],
    match(event: LogEvent): Detection[] {
      const view = viewOf(event);
      const out = set ? matchIocs(set, view, event) : [];
      if (!isHeuristic) return out;
      if (view.kind === 'http' || view.kind === 'file') {
        const found = [
          lolbinDownloadOf(view, event),
          executableMasqueradeOf(view, event),
          c2CheckinOf(view, event),
        ];
        for (const d of found) if (d) out.push(d);
      } else if (view.kind === 'alert') {
        const d = emotetAlertOf(view, event);
        if (d) out.push(d);
      }
      rotation!.observe(view, event);
      return out;
    },
    finish(): Detection[] {
      return rotation ? rotation.finish() : [];
    },
  };
}
