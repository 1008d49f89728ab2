/**
 * Limits of the Sigma engine. Rule packs come from third parties and event logs from attacked hosts, so
 * both sides are bounded: a hostile rule cannot blow up loading (alias bombs, permutation explosions,
 * catastrophic regexes) and a hostile log cannot grow correlation state without end.
 */
import { ConfigError } from '../../core/index.js';

export interface SigmaLimits {
  /** Bytes of one rule file; a larger file is refused (E_SIGMA_TOO_LARGE). Stops YAML bombs by size. */
  maxRuleFileBytes: number;
  /** YAML nodes visited in one rule document, aliases included. Stops alias ("billion laughs") bombs. */
  maxNodesPerRule: number;
  /** Values one rule expands to after windash/base64offset/expand. Stops permutation explosions. */
  maxValuesPerRule: number;
  /** Characters of a condition. */
  maxConditionChars: number;
  /** Nesting of parentheses and `not` in a condition. Stops stack exhaustion in the parser. */
  maxConditionDepth: number;
  /**
   * Characters of an event value a regex (`re`) sees; longer values are cut. Backtracking cost grows with
   * input length, so this bounds a slow rule on a huge command line or script block.
   */
  maxRegexInputChars: number;
  /** Groups (distinct group-by values) one correlation tracks; more are dropped and reported. */
  maxCorrelationGroups: number;
  /** Rule matches one correlation keeps for evaluation in `finish()`; more are dropped and reported. */
  maxCorrelationEvents: number;
}

export const MAX_RULE_FILE_BYTES = 1024 * 1024;
export const MAX_NODES_PER_RULE = 20_000;
export const MAX_VALUES_PER_RULE = 10_000;
export const MAX_CONDITION_CHARS = 4096;
export const MAX_CONDITION_DEPTH = 32;
export const MAX_REGEX_INPUT_CHARS = 65_536;
export const MAX_CORRELATION_GROUPS = 10_000;
export const MAX_CORRELATION_EVENTS = 100_000;

export const DEFAULT_SIGMA_LIMITS: Readonly<SigmaLimits> = {
  maxRuleFileBytes: MAX_RULE_FILE_BYTES,
  maxNodesPerRule: MAX_NODES_PER_RULE,
  maxValuesPerRule: MAX_VALUES_PER_RULE,
  maxConditionChars: MAX_CONDITION_CHARS,
  maxConditionDepth: MAX_CONDITION_DEPTH,
  maxRegexInputChars: MAX_REGEX_INPUT_CHARS,
  maxCorrelationGroups: MAX_CORRELATION_GROUPS,
  maxCorrelationEvents: MAX_CORRELATION_EVENTS,
};

/** Defaults overridden by `overrides`; each value must be a positive safe integer. */
export function resolveSigmaLimits(overrides: Partial<SigmaLimits> = {}): SigmaLimits {
  const limits = { ...DEFAULT_SIGMA_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new ConfigError('E_CONFIG_LIMIT', `sigma limit ${name} must be a positive integer`);
  }
  return limits;
}
