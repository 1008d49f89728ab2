import type { YaraX } from '@litko/yara-x-linux-x64-gnu';
import { LimitError } from '../../core/index.js';
import type { YaraRuleMatch, YaraScanner, YaraVariables } from '../../engines/yara/index.js';

/**
 * `YaraScanner` over a YARA-X rule set. Only offsets and lengths are taken from the binding: its `data`
 * strings are lossy UTF-8, so the engine slices the scanned buffer itself.
 */
export class YaraXScanner implements YaraScanner {
  /**
   * @param usedVariables the external variables the rule sources name (`variablesUsedBy`); only these
   *   are passed per scan. The binding converts and sets every variable it is given on every call, which
   *   cost more than scanning a small document; a variable no rule reads cannot change a match.
   *   Undefined: pass them all.
   */
  constructor(
    private readonly rules: YaraX,
    private readonly timeoutMs: number,
    private readonly usedVariables?: readonly string[],
  ) {}

  scan(bytes: Uint8Array, variables: YaraVariables = {}): YaraRuleMatch[] {
    let raw;
    try {
      raw = this.rules.scan(bytes, this.pick(variables));
    } catch (error) {
      if (/timed out/i.test((error as Error).message)) {
        throw new LimitError('E_LIMIT_TIME', `YARA scan of ${bytes.length} bytes timed out`, {
          limit: 'maxTimePerArtifactMs',
          max: this.timeoutMs,
          cause: error,
        });
      }
      throw error;
    }
    if (raw.length === 0) return [];
    return raw.map((m) => ({
      rule: m.ruleIdentifier,
      namespace: m.namespace,
      tags: m.tags,
      meta: m.meta,
      strings: m.matches.map((s) => ({
        identifier: s.identifier,
        offset: s.offset,
        length: s.length,
      })),
    }));
  }

  private pick(variables: YaraVariables): YaraVariables {
    const used = this.usedVariables;
    if (used === undefined) return variables;
    const picked: YaraVariables = {};
    for (const name of used) {
      const value = variables[name];
      if (value !== undefined) picked[name] = value;
    }
    return picked;
  }
}

/**
 * Which of `names` the rule sources may read: a whole-word mention anywhere (comments and strings
 * included, so never too few). A source with an `include` may read names from a file not given here:
 * then all of them.
 */
export function variablesUsedBy(
  sources: readonly string[],
  names: readonly string[],
): readonly string[] {
  if (sources.some((source) => /\binclude\b/.test(source))) return names;
  return names.filter((name) => {
    const word = new RegExp(`\\b${name}\\b`);
    return sources.some((source) => word.test(source));
  });
}
