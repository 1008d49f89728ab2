/** Shapes shared by the loader, the compiler and the engine. */
import type { RuleSpan, Severity, Step } from '../../core/index.js';
import type { EventDocument } from './document.js';

/** Kleene three-valued logic: a rule fires only on TRUE. UNKNOWN stands for a field the source lacks. */
export type Tri = 0 | 1 | 2;
export const FALSE: Tri = 0;
export const TRUE: Tri = 1;
export const UNKNOWN: Tri = 2;

/**
 * What the prefilter knows about a node: it can be TRUE only if one of these lower-cased literals
 * occurs in the event's values. `null`: no such literal set (always evaluate); `[]`: never TRUE.
 */
export type Requirement = readonly string[] | null;

export interface Evaluator {
  (doc: EventDocument): Tri;
}

export interface CompiledNode {
  evaluate: Evaluator;
  requirement: Requirement;
  /**
   * Every literal set known to be necessary (a conjunction of `Requirement`s: for an AND of
   * selections, one per branch), `requirement` among them. The prefilter gates on `requirement` and
   * checks the others with one bit read each before evaluating the rule. Absent: `[requirement]`.
   */
  clauses?: readonly (readonly string[])[];
  /** EventIDs the node can be TRUE for (from `EventID` selections), or null when any. */
  eventIds: ReadonlySet<number> | null;
}

/** Where a rule applies and how its field names read there (from the logsource mapping). */
export interface SourceVariant {
  /** For messages: `Microsoft-Windows-Sysmon/Operational:1` or `Security:4688`. */
  label: string;
  /** Lower-cased channels; empty means every channel. */
  channels: readonly string[];
  /** EventIDs; empty means every EventID of the channels. */
  eventIds: readonly number[];
  /** Sigma field name → the field in this source (Security 4688: Image → NewProcessName). */
  fields: Readonly<Record<string, string>>;
  /** Sigma field → (lower-cased source value → Sigma value), e.g. MandatoryLabel SIDs → High. */
  values: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Sigma fields this source can have; others evaluate to UNKNOWN. Undefined: all. */
  available?: ReadonlySet<string>;
  /** Extra equality conditions of the source (Sysmon 12 `EventType: CreateKey` for registry_add). */
  where: Readonly<Record<string, readonly string[]>>;
}

export interface Logsource {
  product?: string;
  category?: string;
  service?: string;
}

export interface RuleTests {
  match: { event: Record<string, unknown>; span: RuleSpan }[];
  nomatch: { event: Record<string, unknown>; span: RuleSpan }[];
}

/** A rule compiled for one source variant. */
export interface RuleVariant {
  variant: SourceVariant;
  node: CompiledNode;
  /** Fields the rule reads, as named in this source; `''` for an unfielded keyword search. */
  fields: readonly string[];
}

/** A loaded detection rule. */
export interface SigmaRule {
  id: string;
  name?: string;
  title: string;
  level: Severity;
  status?: string;
  path: string;
  span: RuleSpan;
  tags: readonly string[];
  /** ATT&CK technique ids from `attack.tXXXX` tags, upper-case. */
  attack: readonly string[];
  step: Step;
  logsource: Logsource;
  variants: readonly RuleVariant[];
  tests?: RuleTests;
}

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

/** A loaded Sigma v2 correlation rule. */
export interface SigmaCorrelation {
  id: string;
  name?: string;
  title: string;
  level: Severity;
  path: string;
  span: RuleSpan;
  tags: readonly string[];
  attack: readonly string[];
  step: Step;
  type: CorrelationType;
  /** Referenced rule ids, in the order written (temporal_ordered). */
  rules: readonly string[];
  groupBy: readonly string[];
  /** alias → (rule id → field) */
  aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  timespanMs: number;
  condition: CountCondition;
  /** value_count: the field whose distinct values are counted. */
  field?: string;
  /** Emit the referenced rules' own detections too (`generate: true`). */
  generate: boolean;
}
