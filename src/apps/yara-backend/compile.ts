import type { CompilerMessage, YaraX } from '@litko/yara-x-linux-x64-gnu';
import { RuleError } from '../../core/index.js';
import { YARA_EXTERNALS } from '../../engines/yara/index.js';
import type { YaraXModule } from './native.js';
import type { RuleFile } from './rule-files.js';

export interface CompiledRules {
  rules: YaraX;
  /** Rules that did not compile, one RuleError per compiler error, with file:line:col. */
  errors: RuleError[];
  /** Rules skipped for a reason that is not an error (a module YARA-X lacks, such as `magic`). */
  skipped: string[];
}

/** Modules of YARA 4 that YARA-X does not have: rules using them are skipped with a note, not errors. */
const IGNORED_MODULES = ['magic'];

/**
 * Compiles every file in ONE pass (`addRuleSources`): adding files one by one makes the binding recompile
 * all earlier sources each time, quadratic in the number of files. A broken rule does not stop the rest
 * (collect-errors, STYLE.md §6.3); only when something failed are the files validated one by one to say
 * which file each error is in, so the common path stays linear.
 */
export function compileRuleFiles(yx: YaraXModule, files: readonly RuleFile[]): CompiledRules {
  const options = {
    ignoreInvalidRules: true,
    defineVariables: { ...YARA_EXTERNALS },
    ignoreModules: IGNORED_MODULES,
  };
  let rules = yx.compile('', options);
  let usable = files;
  try {
    rules.addRuleSources(files.map((f) => ({ source: f.source, namespace: f.namespace })));
  } catch {
    // Something the tolerant mode cannot skip: compile only the files that validate alone.
    usable = files.filter((f) => yx.validate(f.source, options).errors.length === 0);
    rules = yx.compile('', options);
    rules.addRuleSources(usable.map((f) => ({ source: f.source, namespace: f.namespace })));
  }
  const skipped = rules
    .getIgnoredRules()
    .filter((r) => r.reason !== 'compile_error')
    .map((r) => `rule ${r.name} skipped: ${r.reason}${r.detail ? ` (${r.detail})` : ''}`);
  const failed = rules.getCompilationErrors().length > 0 || usable.length < files.length;
  const errors = failed
    ? files.flatMap((f) => yx.validate(f.source, options).errors.map((e) => toRuleError(e, f.path)))
    : [];
  return { rules, errors, skipped };
}

/** `error[E009]: unknown identifier \`foo\`\n --> line:1:21` → RuleError E_YARA_E009 at file:1:21. */
export function toRuleError(message: CompilerMessage, file: string): RuleError {
  const lines = message.message.split('\n');
  const title = (lines[0] ?? '').replace(/^error\[[^\]]*\]:\s*/, '');
  const label = lines.find((l) => /\^+\s/.test(l))?.replace(/^[\s|]*\^+\s*/, '');
  const where = /-->\s*line:(\d+):(\d+)/.exec(message.message);
  return new RuleError(
    `E_YARA_${message.code.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`,
    label ? `${title}: ${label}` : title,
    where ? { span: { file, line: Number(where[1]), col: Number(where[2]) } } : {},
  );
}
