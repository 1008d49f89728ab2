/**
 * The Sigma hunt engine. Rules are indexed by (channel, EventID) from their logsource and detection,
 * and gated by an Aho-Corasick prefilter over the literals each rule needs: for one event only the
 * rules of its bucket whose literals occur in it are evaluated, so 3,000 rules cost a handful of rule
 * evaluations per event instead of 3,000.
 */
import type { Detection, HuntEngine, LogEvent, LogEventKind } from '../../core/index.js';
import { AhoCorasick, isFoldable, type AhoCorasickTables } from './aho-corasick.js';
import { CorrelationTracker } from './correlation.js';
import { clausesOf } from './compile.js';
import { EventDocument, mayResolveToSystem } from './document.js';
import type { LoadedRuleSet } from './loader.js';
import { TRUE, type Evaluator, type SigmaRule, type SourceVariant } from './types.js';

export interface SigmaEngineOptions {
  /** Evaluate every rule of a bucket, without the literal prefilter (benchmarks, cross-checks). */
  noPrefilter?: boolean;
  /**
   * The prefilter automaton of this rule set, built elsewhere (`sigmaPrefilterTables`, e.g. once in
   * the main thread for every worker); used when its literals are the set's, else rebuilt.
   */
  prefilter?: AhoCorasickTables;
}

interface Entry {
  order: number;
  rule: SigmaRule;
  variant: SourceVariant;
  evaluate: Evaluator;
  /** Prefilter literals (ids into the automaton): one must occur. null: always evaluate. */
  literals: Int32Array | null;
  /**
   * The rule's other necessary literal sets (ids): an event the prefilter lets through is evaluated
   * only if each has a literal in it, which costs a bit read per literal instead of the rule's tests.
   */
  checks: Int32Array[];
  trackers: CorrelationTracker[];
  emit: boolean;
  fields: readonly string[];
  /** The last event this entry was made a candidate for (dedupes entries hit by several literals). */
  mark: number;
}

interface Bucket {
  entries: Entry[];
  gated: boolean;
  /** Entries without prefilter: evaluated for every event of the bucket. */
  ungated: Entry[];
  /** Prefilter literal id → the gated entries of this bucket it lets through. */
  byLiteral: Map<number, Entry[]>;
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
  /** Prefilter candidates dropped by their other necessary literals, without evaluation. */
  checkedOut: number;
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
  const { index, literals, entries: order, gatedEntries } = indexEntries(set, options, trackers);
  const automaton = new AhoCorasick(prefilterFor(literals, options.prefilter));
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
    const byLiteral = new Map<number, Entry[]>();
    for (const e of gated)
      for (const id of e.literals!) {
        const list = byLiteral.get(id);
        if (list === undefined) byLiteral.set(id, [e]);
        else if (list.at(-1) !== e) list.push(e);
      }
    const ungated = entries.filter((e) => e.literals === null);
    bucket = { entries, gated: gated.length > 0, ungated, byLiteral, systemFields };
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
    literals: literals.length,
    automatonStates: automaton.stateCount,
    automatonBytes: automaton.byteSize,
    events: 0,
    evaluations: 0,
    checkedOut: 0,
  };

  const match = (event: LogEvent): Detection[] => {
    if (event.kind !== 'windows') return [];
    stats.events++;
    const doc = new EventDocument(event.data);
    const bucket = bucketFor(doc.channel(), doc.eventId());
    if (bucket.entries.length === 0) return [];
    const candidates = bucket.gated ? candidatesOf(bucket, doc) : bucket.entries;
    let out: Detection[] | undefined;
    let fired: Set<string> | undefined;
    for (const e of candidates) {
      if (e.checks.length > 0 && !passesChecks(e)) {
        stats.checkedOut++;
        continue;
      }
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

  let mark = 0;
  let stamp = 0;
  // SECURITY: sound only because the last scan covered every field the entry reads (systemFields).
  const passesChecks = (e: Entry): boolean => {
    for (let c = 0; c < e.checks.length; c++) {
      const ids = e.checks[c]!;
      let found = false;
      for (let i = 0; i < ids.length && !found; i++) found = automaton.has(ids[i]!, stamp);
      if (!found) return false;
    }
    return true;
  };
  /**
   * The entries the prefilter lets through, in rule order: from the literals found (few per event),
   * not by asking each of the bucket's hundreds of entries whether one of its literals was found.
   */
  const candidatesOf = (bucket: Bucket, doc: EventDocument): Entry[] => {
    stamp = automaton.scan(doc.haystackFor(bucket.systemFields));
    const hits = automaton.hitIds();
    const now = ++mark;
    const list = bucket.ungated.slice();
    for (let h = 0; h < hits.length; h++) {
      const entries = bucket.byLiteral.get(hits[h]!);
      if (entries === undefined) continue;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        if (e.mark === now) continue;
        e.mark = now;
        list.push(e);
      }
    }
    return list.length > 1 ? list.sort((a, b) => a.order - b.order) : list;
  };

  return {
    name: 'sigma',
    kinds: ['windows'],
    stats,
    match,
    finish: () => trackers.flatMap((t) => t.finish()),
  };
}

/** The prefilter automaton's tables for `set`, as createSigmaEngine would build them. */
export function sigmaPrefilterTables(
  set: LoadedRuleSet,
  options: SigmaEngineOptions = {},
): AhoCorasickTables {
  return prefilterFor(indexEntries(set, options, []).literals, options.prefilter);
}

/** Automata built or unpacked last, reused when the literal list is the same (~0.5 s with SigmaHQ). */
const recentPrefilters: AhoCorasickTables[] = [];
const MAX_RECENT_PREFILTERS = 2;

/** Keeps `tables` for the next engine over the same literals (an unpacked rule set's). */
export function rememberPrefilter(tables: AhoCorasickTables): void {
  if (!recentPrefilters.includes(tables)) recentPrefilters.unshift(tables);
  recentPrefilters.length = Math.min(recentPrefilters.length, MAX_RECENT_PREFILTERS);
}

function prefilterFor(literals: string[], given: AhoCorasickTables | undefined): AhoCorasickTables {
  // SECURITY: tables are reused only for the identical literal list, in the same order.
  for (const t of given ? [given, ...recentPrefilters] : recentPrefilters)
    if (sameList(t.patterns, literals)) return t;
  const built = new AhoCorasick(literals).tables();
  rememberPrefilter(built);
  return built;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Rule variants by `channel\0EventID` (either may be `*`), in rule order, with their literal ids. */
function indexEntries(
  set: LoadedRuleSet,
  options: SigmaEngineOptions,
  trackers: readonly CorrelationTracker[],
): { index: Map<string, Entry[]>; literals: string[]; entries: number; gatedEntries: number } {
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
      const idOf = (lit: string) =>
        literalIds.get(lit) ?? (literalIds.set(lit, literalIds.size), literalIds.size - 1);
      const checks =
        literals === null
          ? []
          : (node.clauses ?? clausesOf(node))
              .filter((c) => c !== req && c.every(isFoldable) && !sameList(c, req!))
              .map((c) => Int32Array.from(c, idOf));
      const entry: Entry = {
        order: order++,
        rule,
        variant,
        evaluate: node.evaluate,
        literals,
        checks,
        trackers: trackersOf.get(rule.id) ?? [],
        emit: !silenced.has(rule.id),
        fields,
        mark: 0,
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
  return { index, literals: [...literalIds.keys()], entries: order, gatedEntries };
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
