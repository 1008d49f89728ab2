import type { YaraX } from '@litko/yara-x-linux-x64-gnu';
import { LimitError } from '../../core/index.js';
import type { YaraRuleMatch, YaraScanner, YaraVariables } from '../../engines/yara/index.js';

/**
 * `YaraScanner` over a YARA-X rule set. Only offsets and lengths are taken from the binding: its `data`
 * strings are lossy UTF-8, so the engine slices the scanned buffer itself.
 */
export class YaraXScanner implements YaraScanner {
  constructor(
    private readonly rules: YaraX,
    private readonly timeoutMs: number,
  ) {}

  scan(bytes: Uint8Array, variables: YaraVariables = {}): YaraRuleMatch[] {
    let raw;
    try {
      raw = this.rules.scan(bytes, variables);
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
}
