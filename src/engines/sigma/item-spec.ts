/** What the modifiers build for one `field|modifiers: values` item, shared by modifiers.ts and match-types.ts. */
import type { RuleError } from '../../core/index.js';
import type { FieldValues } from './document.js';
import type { Requirement } from './types.js';

export const TIME_PARTS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
export const RE_FLAGS = ['i', 'm', 's'] as const;

/** A prefilter literal shorter than this would be present in nearly every event: not worth indexing. */
export const MIN_LITERAL = 3;

/** What one `field|modifiers: values` item tests, before field names are bound to a source. */
export interface ItemSpec {
  /** undefined: an unfielded keyword search. */
  field: string | undefined;
  /** `fieldref`: the other field. */
  refField?: string;
  /** Whether `test` receives lower-cased values. */
  lower: boolean;
  test: (values: FieldValues, ref?: FieldValues) => boolean;
  requirement: Requirement;
  /** `EventID: 4688`-like items: the ids, for the rule index. */
  eventIds?: number[];
}

export type RawValue =
  | { kind: 'null' }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string; value: number }
  | { kind: 'boolean'; value: boolean };

export interface ItemContext {
  fail: (code: `E_${string}`, message: string) => RuleError;
  placeholders: Readonly<Record<string, readonly string[]>> | undefined;
  maxValues: number;
  maxRegexInput: number;
}

/** The longest literal: for `all`, the one value every match must contain and the rarest guess. */
export function bestSingle(literals: readonly string[]): string {
  return literals.reduce((a, b) => (b.length > a.length ? b : a));
}

export function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}
