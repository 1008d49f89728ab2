/**
 * The Sigma hunt engine. Rules are indexed by (channel, EventID) from their logsource and detection,
 * and gated by an Aho-Corasick prefilter over the literals each rule needs: for one event only the
 * rules of its bucket whose literals occur in it are evaluated, so 3,000 rules cost a handful of rule
 * evaluations per event instead of 3,000.
 */
import type { Detection, HuntEngine, LogEvent, LogEventKind } from '../../core/index.js';
import { AhoCorasick, isFoldable } from './aho-corasick.js';
import { CorrelationTracker } from './correlation.js';
import { EventDocument, mayResolveToSystem } from './document.js';
import type { LoadedRuleSet } from './loader.js';
import { TRUE, type Evaluator, type SigmaRule, type SourceVariant } from './types.js';

export interface SigmaEngineOptions {
  /** Evaluate every rule of a bucket, without the literal prefilter (benchmarks, cross-checks). */
  noPrefilter?: boolean;
}

interface Entry {
  order: number;
  rule: SigmaRule;
  variant: SourceVariant;
  evaluate: Evaluator;
  /** Prefilter literals (ids into the automaton): one must occur. null: always evaluate. */
  literals: Int32Array | null;
  trackers: CorrelationTracker[];
  emit: boolean;
  fields: readonly string[];
}

interface Bucket {
  entries: Entry[];
  gated: boolean;
  /** Fields outside EventData/UserData that gated rules read: the prefilter scans them too. */
  systemFields: string[];
}

export interface SigmaEngineStats {
  rules: number;
  correlations: number;
  /** Rule variants (one rule on Sysmon 1 and Security 4688 is two). */
  entries: number;
  /** Entries with a literal prefilter. */
  gatedEntries: number;
  literals: number;
  automatonStates: number;
  automatonBytes: number;
  events: number;
  /** Rule evaluations actually run (after index and prefilter). */
  evaluations: number;
}

export interface SigmaEngine extends HuntEngine {
  readonly name: 'sigma';
  readonly kinds: readonly LogEventKind[];
  readonly stats: SigmaEngineStats;
}

const ANY = '*';
/** (channel, EventID) buckets kept merged; hostile logs can invent channels without end. */
export const MAX_BUCKET_CACHE = 4096;

/**
 * The Sigma engine over a loaded rule set.
 *
 * @example
 * const engine = createSigmaEngine(loadSigmaRules(sources, { mapping }));
 * for (const event of events) for (const d of engine.match(event)) print(d);
 * for (const d of engine.finish?.() ?? []) print(d);
 */
export function createSigmaEngine(
  set: LoadedRuleSet,
  options: SigmaEngineOptions = {},
): SigmaEngine {
  const trackers = set.correlations.map((c) => new CorrelationTracker(c, set.limits));
  const trackersOf = new Map<string, CorrelationTracker[]>();
  const silenced = new Set<string>();
  for (const t of trackers) {
    for (const id of t.correlation.rules) {
      trackersOf.set(id, [...(trackersOf.get(id) ?? []), t]);
      if (!t.correlation.generate) silenced.add(id);
    }
  }
  for (const t of trackers)
    if (t.correlation.generate) for (const id of t.correlation.rules) silenced.delete(id);

  const literalIds = new Map<string, number>();
  const index = new Map<string, Entry[]>();
  let order = 0;
  let gatedEntries = 0;
  for (const rule of set.rules) {
    for (const { variant, node, fields } of rule.variants) {
      let ids: (number | typeof ANY)[] =
        variant.eventIds.length > 0 ? [...variant.eventIds] : [ANY];
      if (node.eventIds)
        ids =
          ids[0] === ANY
            ? [...node.eventIds]
            : ids.filter((id) => node.eventIds!.has(id as number));
      if (ids.length === 0) continue; // the detection's EventIDs and the logsource's never meet
      const req =
        options.noPrefilter || !node.requirement?.every(isFoldable) ? null : node.requirement;
      const literals =
        req === null
          ? null
          : Int32Array.from(
              req,
              (lit) =>
                literalIds.get(lit) ?? (literalIds.set(lit, literalIds.size), literalIds.size - 1),
            );
      if (literals) gatedEntries++;
      const entry: Entry = {
        order: order++,
        rule,
        variant,
        evaluate: node.evaluate,
        literals,
        trackers: trackersOf.get(rule.id) ?? [],
        emit: !silenced.has(rule.id),
        fields,
      };
      for (const channel of variant.channels.length > 0 ? variant.channels : [ANY]) {
        for (const id of ids) {
          const key = `${channel}\u0000${id}`;
          const list = index.get(key);
          if (list) list.push(entry);
          else index.set(key, [entry]);
        }
      }
    }
  }
  const automaton = new AhoCorasick([...literalIds.keys()]);
  const buckets = new Map<string, Map<number | undefined, Bucket>>();
  let cached = 0;
  const bucketFor = (channel: string, id: number | undefined): Bucket => {
    let byId = buckets.get(channel);
    let bucket = byId?.get(id);
    if (bucket) return bucket;
    const parts = [
      index.get(`${channel}\u0000${id}`),
      index.get(`${channel}\u0000${ANY}`),
      index.get(`${ANY}\u0000${id}`),
      index.get(`${ANY}\u0000${ANY}`),
    ];
    const entries = [...new Set(parts.flatMap((p) => p ?? []))].sort((a, b) => a.order - b.order);
    const gated = entries.filter((e) => e.literals !== null);
    const systemFields = [
      ...new Set(gated.flatMap((e) => e.fields.filter((f) => f !== '' && mayResolveToSystem(f)))),
    ];
    bucket = { entries, gated: gated.length > 0, systemFields };
    // SECURITY: hostile logs can invent channels and EventIDs without end; the cache stays bounded.
    if (++cached > MAX_BUCKET_CACHE) {
      buckets.clear();
      cached = 1;
      byId = undefined;
    }
    if (!byId) buckets.set(channel, (byId = new Map()));
    byId.set(id, bucket);
    return bucket;
  };

  const stats: SigmaEngineStats = {
    rules: set.rules.length,
    correlations: set.correlations.length,
    entries: order,
    gatedEntries,
    literals: literalIds.size,
    automatonStates: automaton.stateCount,
    automatonBytes: automaton.byteSize,
    events: 0,
    evaluations: 0,
  };

  const match = (event: LogEvent): Detection[] => {
    if (event.kind !== 'windows') return [];
    stats.events++;
    const doc = new EventDocument(event.data);
    const bucket = bucketFor(doc.channel(), doc.eventId());
    if (bucket.entries.length === 0) return [];
    const stamp = bucket.gated ? automaton.scan(doc.haystackFor(bucket.systemFields)) : 0;
    let out: Detection[] | undefined;
    let fired: Set<string> | undefined;
    for (const e of bucket.entries) {
      if (e.literals !== null && !anyHit(automaton, e.literals, stamp)) continue;
      stats.evaluations++;
      if (e.evaluate(doc) !== TRUE) continue;
      if (fired?.has(e.rule.id)) continue;
      (fired ??= new Set()).add(e.rule.id);
      const time = event.time ?? doc.systemTime();
      for (const t of e.trackers) t.add(e.rule.id, e.variant, doc, event, time);
      if (e.emit) (out ??= []).push(detectionOf(e.rule, event, doc, time));
    }
    return out ?? [];
  };

  return {
    name: 'sigma',
    kinds: ['windows'],
    stats,
    match,
    finish: () => trackers.flatMap((t) => t.finish()),
  };
}

function anyHit(automaton: AhoCorasick, literals: Int32Array, stamp: number): boolean {
  for (let i = 0; i < literals.length; i++) if (automaton.has(literals[i]!, stamp)) return true;
  return false;
}

function detectionOf(
  rule: SigmaRule,
  event: LogEvent,
  doc: EventDocument,
  time: string | undefined,
): Detection {
  const host = event.host ?? doc.find('Computer')?.[0];
  return {
    rule: { id: rule.id, title: rule.title, level: rule.level, path: rule.path },
    source: event.source,
    ...(host !== undefined ? { host } : {}),
    ...(time !== undefined ? { time } : {}),
    step: rule.step,
    attack: [...rule.attack],
    event: event.data,
  };
}
