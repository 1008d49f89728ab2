/**
 * `emoguard rules check [PATH]...`: loads Sigma rule files and directories strictly (every refused rule
 * is an error), runs each rule's `tests: {match, nomatch}` examples, prints `error[E_…]: message
 * --> file:line:col` per problem (or one JSON object with --json) and exits 2 on any problem. Also the
 * file side of the Sigma engine for `emoguard hunt`: reading rule files and the bundled mapping.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ConfigError, RuleError } from '../../../core/index.js';
import {
  DEFAULT_SIGMA_LIMITS,
  loadSigmaRules,
  parseSigmaMapping,
  runRuleTests,
  type LoadedRuleSet,
  type RuleSource,
  type SigmaLimits,
} from '../../../engines/sigma/index.js';
import { EXIT_ERROR, EXIT_OK, write, type CliIO } from '../io.js';
import { collect } from '../options.js';
import { safeText } from '../output/terminal.js';

/** The package root (src/apps/cli/commands/ under tsx, dist/apps/cli/commands/ when built). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** emoguard's own Sigma rules, used when no rule path is given. */
export function bundledSigmaRulesDir(): string {
  return join(PACKAGE_ROOT, 'rules', 'sigma');
}

/** Sigma logsource → Windows channel/EventID mapping shipped with emoguard. */
export function bundledSigmaMappingPath(): string {
  return join(PACKAGE_ROOT, 'rules', 'mappings', 'sigma-windows.yml');
}

const RULE_FILE = /\.ya?ml$/i;
/** Rule files one directory may hold: a runaway tree is refused instead of read into memory. */
export const MAX_RULE_FILES = 100_000;

/**
 * Rule files under `paths` (files as given; directories walked recursively, `.yml`/`.yaml`, sorted).
 * Unreadable or oversized files become RuleErrors instead of stopping the run.
 */
export function readRuleSources(
  paths: readonly string[],
  maxFileBytes: number = DEFAULT_SIGMA_LIMITS.maxRuleFileBytes,
  maxFiles: number = MAX_RULE_FILES,
): { sources: RuleSource[]; errors: RuleError[] } {
  const sources: RuleSource[] = [];
  const errors: RuleError[] = [];
  const at = (file: string) => ({ span: { file, line: 1, col: 1 } });
  const readOne = (file: string) => {
    try {
      const size = statSync(file).size;
      if (size > maxFileBytes) {
        errors.push(
          new RuleError(
            'E_SIGMA_TOO_LARGE',
            `rule file is ${size} bytes, more than ${maxFileBytes} (limit maxRuleFileBytes)`,
            at(file),
          ),
        );
        return;
      }
      sources.push({ path: file, text: readFileSync(file, 'utf8') });
    } catch (error) {
      errors.push(
        new RuleError('E_SIGMA_READ', `cannot read: ${(error as Error).message}`, at(file)),
      );
    }
  };
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (error) {
      errors.push(
        new RuleError('E_SIGMA_READ', `cannot read: ${(error as Error).message}`, at(path)),
      );
      continue;
    }
    if (!isDir) {
      readOne(path);
      continue;
    }
    const files = readdirSync(path, { recursive: true })
      .map(String)
      .filter((f) => RULE_FILE.test(f))
      .sort();
    if (files.length > maxFiles) {
      errors.push(
        new RuleError(
          'E_SIGMA_TOO_MANY_FILES',
          `directory holds ${files.length} rule files, more than ${maxFiles}`,
          at(path),
        ),
      );
      continue;
    }
    for (const f of files) readOne(join(path, f));
  }
  return { sources, errors };
}

export interface SigmaFileOptions {
  /** Mapping file; default: the bundled rules/mappings/sigma-windows.yml. */
  mappingPath?: string;
  placeholders?: Readonly<Record<string, readonly string[]>>;
  limits?: Partial<SigmaLimits>;
}

/**
 * Reads and loads Sigma rules from files and directories (for `hunt --rules` and `rules check`).
 * Read errors are merged into `set.errors`. Throws ConfigError when the mapping itself is unusable.
 */
export function loadSigmaRuleFiles(
  paths: readonly string[],
  options: SigmaFileOptions = {},
): LoadedRuleSet {
  const mappingPath = options.mappingPath ?? bundledSigmaMappingPath();
  let mappingText: string;
  try {
    mappingText = readFileSync(mappingPath, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'E_SIGMA_MAPPING',
      `cannot read the Sigma mapping ${mappingPath}: ${(error as Error).message}`,
    );
  }
  let mapping;
  try {
    const shown =
      options.mappingPath === undefined ? 'rules/mappings/sigma-windows.yml' : mappingPath;
    mapping = parseSigmaMapping(mappingText, shown);
  } catch (error) {
    throw new ConfigError(
      'E_SIGMA_MAPPING',
      error instanceof RuleError ? error.render() : String(error),
    );
  }
  const limits = { ...DEFAULT_SIGMA_LIMITS, ...options.limits };
  const { sources, errors } = readRuleSources(paths, limits.maxRuleFileBytes);
  const set = loadSigmaRules(sources, {
    mapping,
    limits,
    ...(options.placeholders ? { placeholders: options.placeholders } : {}),
  });
  set.errors.unshift(...errors);
  return set;
}

interface RulesCheckFlags {
  json?: boolean;
  mapping?: string;
  placeholder?: string[];
}

/** `--placeholder admins=alice,bob` (repeatable) → { admins: ['alice', 'bob'] }. */
export function parsePlaceholderFlags(flags: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const flag of flags) {
    const m = /^([^=]+)=(.*)$/.exec(flag);
    if (!m)
      throw new ConfigError(
        'E_CONFIG_PLACEHOLDER',
        `--placeholder wants NAME=VALUE[,VALUE…], got "${flag}"`,
      );
    out[m[1]!] = [...(out[m[1]!] ?? []), ...m[2]!.split(',')];
  }
  return out;
}

export function registerRules(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const rules = program.command('rules').description('work with detection rules (Sigma)');
  rules
    .command('check')
    .description("load Sigma rules strictly and run each rule's tests: examples")
    .argument('[paths...]', 'rule files or directories (default: the bundled rules/sigma)')
    .option('--json', 'print one JSON object: counts and every error')
    .option(
      '--mapping <file>',
      'logsource mapping (default: bundled rules/mappings/sigma-windows.yml)',
    )
    .option(
      '--placeholder <name=values>',
      'values of an expand placeholder, comma-separated (repeatable)',
      collect,
    )
    .addHelpText('after', '\nExit status: 0 every rule loads and passes its tests, 2 any error.')
    .action(async (paths: string[], flags: RulesCheckFlags) =>
      setExit(await runRulesCheck(paths, flags, io)),
    );
}

export async function runRulesCheck(
  paths: string[],
  flags: RulesCheckFlags,
  io: CliIO,
): Promise<number> {
  const targets = paths.length > 0 ? paths : [bundledSigmaRulesDir()];
  const set = loadSigmaRuleFiles(targets, {
    ...(flags.mapping ? { mappingPath: flags.mapping } : {}),
    placeholders: parsePlaceholderFlags(flags.placeholder ?? []),
  });
  const tests = runRuleTests(set);
  const errors = [...set.errors, ...tests.failures];
  const summary = {
    files: set.files,
    rules: set.rules.length,
    correlations: set.correlations.length,
    tests: { rules: tests.rules, passed: tests.passed, failed: tests.failures.length },
    errors: errors.length,
  };
  if (flags.json) {
    await write(
      io.stdout,
      `${JSON.stringify({ ok: errors.length === 0, ...summary, errors: errors.map((e) => e.toJSON()) })}\n`,
    );
  } else {
    const cwd = process.cwd();
    for (const e of errors) {
      const shown = e.span
        ? new RuleError(e.code, e.message, {
            span: { ...e.span, file: relative(cwd, e.span.file) || e.span.file },
          })
        : e;
      await write(io.stdout, `${safeText(shown.render())}\n`);
    }
    const verdict =
      errors.length === 0 ? 'ok' : `${errors.length} error${errors.length === 1 ? '' : 's'}`;
    await write(
      io.stderr,
      `rules check: ${verdict}: ${summary.files} files, ${summary.rules} rules, ${summary.correlations} correlations, ` +
        `tests ${tests.passed} passed / ${tests.failures.length} failed in ${tests.rules} rules\n`,
    );
  }
  return errors.length === 0 ? EXIT_OK : EXIT_ERROR;
}
