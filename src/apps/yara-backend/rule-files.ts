import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../core/index.js';

/** One rule file and the namespace its rules are compiled into. */
export interface RuleFile {
  path: string;
  /** `emoguard` for the bundled rules; the file's base name for user rules (deduplicated). */
  namespace: string;
  source: string;
}

const RULE_EXTENSIONS = new Set(['.yar', '.yara']);
/** Rule files per directory walk: a rule pack of tens of thousands of files is a mistake, not a pack. */
const MAX_RULE_FILES = 20_000;

/**
 * `rules/yara/` of the emoguard package, found from this file whether it runs as TypeScript (src/) or
 * JavaScript (dist/): the nearest ancestor holding emoguard's package.json.
 */
export function bundledRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'emoguard') {
          return join(dir, 'rules', 'yara');
        }
      } catch {
        // not our package.json: keep walking up
      }
    }
    dir = dirname(dir);
  }
  throw new ConfigError('E_YARA_BUNDLED_RULES', 'cannot find the emoguard package root');
}

/** The .yar/.yara files under `path` (a file, or a directory walked recursively), sorted. */
function listRuleFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new ConfigError('E_YARA_RULES_NOT_FOUND', `--yara ${path}: no such file or directory`, {
      cause: error,
    });
  }
  if (stat.isFile()) return [resolve(path)];
  const files = readdirSync(path, { recursive: true })
    .map((entry) => join(path, String(entry)))
    .filter((file) => RULE_EXTENSIONS.has(extname(file).toLowerCase()) && statSync(file).isFile())
    .map((file) => resolve(file))
    .sort();
  if (files.length === 0) {
    throw new ConfigError('E_YARA_RULES_NOT_FOUND', `--yara ${path}: no .yar or .yara files`);
  }
  if (files.length > MAX_RULE_FILES) {
    throw new ConfigError(
      'E_YARA_TOO_MANY_FILES',
      `--yara ${path}: ${files.length} rule files (at most ${MAX_RULE_FILES})`,
    );
  }
  return files;
}

/**
 * Reads the bundled rules (always, unless `includeBundled` is false) and the user's paths. Each user file
 * gets its own namespace (its base name, `-2`, `-3` … on collisions) so that two public packs defining
 * the same rule name do not break each other, as `yara ns1:a.yar ns2:b.yar` would do by hand.
 */
export function readRuleFiles(paths: readonly string[], includeBundled = true): RuleFile[] {
  const out: RuleFile[] = [];
  const seen = new Set<string>();
  const used = new Set<string>(['emoguard']);
  if (includeBundled) {
    for (const path of listRuleFiles(bundledRulesDir())) {
      seen.add(path);
      out.push({ path, namespace: 'emoguard', source: readFileSync(path, 'utf8') });
    }
  }
  for (const given of paths) {
    for (const path of listRuleFiles(given)) {
      if (seen.has(path)) continue;
      seen.add(path);
      const base = basename(path, extname(path)).replace(/[^A-Za-z0-9_-]/g, '_') || 'rules';
      let namespace = base;
      for (let n = 2; used.has(namespace); n++) namespace = `${base}-${n}`;
      used.add(namespace);
      out.push({ path, namespace, source: readFileSync(path, 'utf8') });
    }
  }
  return out;
}
