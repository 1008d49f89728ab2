/**
 * Evaluation of Sigma v2 correlations over the matches of their rules, in `finish()` so that events
 * from several files and hosts, read in any order, are sorted by time first. State is bounded: at most
 * `maxCorrelationGroups` groups and `maxCorrelationEvents` matches per correlation; what is dropped is
 * reported as a `sigma.correlation-limit` detection, never silently.
 *
 * Windows: for each group, a window starts at each match and spans `timespan`; a window that meets the
 * condition is reported and the next window starts after it (one detection per burst, not one per
 * event). `temporal` counts distinct rules in the window (default: all of them); `temporal_ordered`
 * needs the rules' matches in the written order, the first to last within `timespan`.
 */
import type { Detection, LogEvent } from '../../core/index.js';
import type { EventDocument } from './document.js';
import type { SigmaLimits } from './limits.js';
import type { CountCondition, SigmaCorrelation, SourceVariant } from './types.js';

interface Match {
  t: number;
  rule: number;
  value: string | undefined;
  event: LogEvent;
  host: string | undefined;
}

/** Events quoted in a correlation detection; the count says how many there were. */
export const MAX_QUOTED_EVENTS = 10;

export function meetsCondition(n: number, c: CountCondition): boolean {
  return (
    (c.gt === undefined || n > c.gt) &&
    (c.gte === undefined || n >= c.gte) &&
    (c.lt === undefined || n < c.lt) &&
    (c.lte === undefined || n <= c.lte) &&
    (c.eq === undefined || n === c.eq)
  );
}

export class CorrelationTracker {
  private readonly groups = new Map<string, { values: string[]; matches: Match[] }>();
  private stored = 0;
  private droppedGroups = 0;
  private droppedEvents = 0;
  private untimed = 0;

  constructor(
    readonly correlation: SigmaCorrelation,
    private readonly limits: SigmaLimits,
  ) {}

  /** Records a match of referenced rule `ruleId` on `doc`, read through the rule's source variant. */
  add(
    ruleId: string,
    variant: SourceVariant,
    doc: EventDocument,
    event: LogEvent,
    time: string | undefined,
  ): void {
    const c = this.correlation;
    const rule = c.rules.indexOf(ruleId);
    if (rule < 0) return;
    const t = time === undefined ? NaN : Date.parse(time);
    if (Number.isNaN(t)) {
      this.untimed++;
      return;
    }
    const read = (field: string) => {
      const f = c.aliases[field]?.[ruleId] ?? field;
      return doc.find(variant.fields[f] ?? f)?.[0];
    };
    const values = c.groupBy.map((f) => read(f) ?? '');
    const key = JSON.stringify(values);
    let group = this.groups.get(key);
    if (!group) {
      if (this.groups.size >= this.limits.maxCorrelationGroups) {
        this.droppedGroups++;
        return;
      }
      group = { values, matches: [] };
      this.groups.set(key, group);
    }
    if (this.stored >= this.limits.maxCorrelationEvents) {
      this.droppedEvents++;
      return;
    }
    this.stored++;
    const host = event.host ?? doc.find('Computer')?.[0];
    group.matches.push({
      t,
      rule,
      value: c.field !== undefined ? read(c.field) : undefined,
      event,
      host,
    });
  }

  finish(): Detection[] {
    const out: Detection[] = [];
    for (const group of this.groups.values()) {
      const matches = group.matches.sort((a, b) => a.t - b.t);
      for (const window of this.windows(matches)) out.push(this.detection(group.values, window));
    }
    const c = this.correlation;
    if (this.droppedGroups > 0 || this.droppedEvents > 0) {
      out.push({
        rule: {
          id: 'sigma.correlation-limit',
          title: 'Sigma correlation state limit reached: results may be incomplete',
          level: 'medium',
        },
        source: { path: c.path },
        step: c.step,
        attack: [],
        event: {
          correlation: c.id,
          droppedGroups: this.droppedGroups,
          droppedEvents: this.droppedEvents,
          limits: {
            maxCorrelationGroups: this.limits.maxCorrelationGroups,
            maxCorrelationEvents: this.limits.maxCorrelationEvents,
          },
        },
      });
    }
    return out;
  }

  /** Matches that had no parsable time and so could not be correlated. */
  get untimedMatches(): number {
    return this.untimed;
  }

  private *windows(m: readonly Match[]): Generator<{ matches: Match[]; count: number }> {
    const c = this.correlation;
    if (c.type === 'temporal_ordered') {
      yield* orderedWindows(m, c.rules.length, c.timespanMs);
      return;
    }
    const span = c.timespanMs;
    const counts = new Map<string | number, number>();
    const key = (x: Match) =>
      c.type === 'value_count' ? x.value : c.type === 'temporal' ? x.rule : 0;
    const ok = (n: number) =>
      c.type === 'temporal' && Object.keys(c.condition).length === 0
        ? n === c.rules.length
        : meetsCondition(n, c.condition);
    const measure = (i: number, j: number) => (c.type === 'event_count' ? j - i : counts.size);
    let j = 0;
    for (let i = 0; i < m.length;) {
      while (j < m.length && m[j]!.t - m[i]!.t <= span) {
        const k = key(m[j]!);
        if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
        j++;
      }
      const n = measure(i, j);
      if (ok(n)) {
        yield { matches: m.slice(i, j), count: n };
        counts.clear();
        i = j;
        continue;
      }
      const k = key(m[i]!);
      if (k !== undefined) {
        const left = (counts.get(k) ?? 1) - 1;
        if (left === 0) counts.delete(k);
        else counts.set(k, left);
      }
      i++;
    }
  }

  private detection(values: readonly string[], w: { matches: Match[]; count: number }): Detection {
    const c = this.correlation;
    const first = w.matches[0]!;
    const last = w.matches[w.matches.length - 1]!;
    const hosts = [
      ...new Set(w.matches.map((x) => x.host).filter((h): h is string => h !== undefined)),
    ];
    return {
      rule: { id: c.id, title: c.title, level: c.level, path: c.path },
      source: last.event.source,
      ...(hosts.length === 1 ? { host: hosts[0] } : {}),
      time: new Date(last.t).toISOString(),
      step: c.step,
      attack: [...c.attack],
      event: {
        Correlation: {
          type: c.type,
          group: Object.fromEntries(c.groupBy.map((f, i) => [f, values[i]])),
          count: w.count,
          events: w.matches.length,
          first: new Date(first.t).toISOString(),
          last: new Date(last.t).toISOString(),
          hosts,
        },
      },
      events: w.matches.slice(0, MAX_QUOTED_EVENTS).map((x) => x.event.data),
    };
  }
}

/** Chains rules[0] → rules[1] → … in time order, first to last within `span`; one per burst. */
function* orderedWindows(
  m: readonly Match[],
  n: number,
  span: number,
): Generator<{ matches: Match[]; count: number }> {
  // best[k]: the chain of length k with the latest start so far (the most room left in the window)
  let best: (Match[] | undefined)[] = new Array(n + 1);
  for (const x of m) {
    for (let k = n - 1; k >= 1; k--) {
      const chain = best[k];
      if (x.rule === k && chain && x.t - chain[0]!.t <= span) {
        const longer = [...chain, x];
        if (k + 1 === n) {
          yield { matches: longer, count: n };
          best = new Array(n + 1);
          break;
        }
        if (!best[k + 1] || best[k + 1]![0]!.t <= chain[0]!.t) best[k + 1] = longer;
      }
    }
    if (x.rule === 0) {
      if (n === 1) yield { matches: [x], count: 1 };
      else best[1] = [x];
    }
  }
}
