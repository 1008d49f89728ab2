/**
 * Guards the start-up of `emoguard scan` (issue 3): what each of its threads loads before the first
 * input. The main thread loads the CLI, the runner, the output and YARA's preparation, not the pipeline
 * (its workers scan); a scan worker loads the pipeline and the engines of common inputs, not hunt,
 * Sigma, disarm, the store, or the parsers and packages of rare formats, which load on first use
 * (`import()`, `deferAnalyze`, a lazy `require`). Each module costs start-up time in every thread:
 * before this test, a one-file scan loaded ~590 modules in the main thread and ~520 in each worker.
 * The closure follows what Node loads at start: static imports and re-exports, not `import()` or types.
 */
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { test } from 'node:test';
import { readSourceTree } from './support/architecture.js';
import { repoRoot } from './support/fixtures.js';
import { parseImports } from './support/imports.js';

const BUILTINS = new Set(builtinModules);

interface Closure {
  modules: Set<string>;
  packages: Set<string>;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Source files and packages loaded when `entry` is imported (paths repo-relative, `.ts`). */
function staticClosure(entry: string): Closure {
  const files = new Map(readSourceTree(repoRoot()).map((f) => [f.path, f]));
  const closure: Closure = { modules: new Set(), packages: new Set() };
  const todo = [entry];
  for (let path = todo.pop(); path !== undefined; path = todo.pop()) {
    if (closure.modules.has(path)) continue;
    const file = files.get(path);
    assert.ok(file, `${path} is imported but not found`);
    closure.modules.add(path);
    for (const ref of parseImports(file)) {
      if (ref.isTypeOnly || ref.kind === 'dynamic') continue;
      if (ref.specifier.startsWith('.')) {
        const joined = posix.normalize(posix.join(posix.dirname(path), ref.specifier));
        todo.push(joined.replace(/\.js$/, '.ts'));
      } else if (!ref.specifier.startsWith('node:') && !BUILTINS.has(ref.specifier)) {
        closure.packages.add(packageName(ref.specifier));
      }
    }
  }
  return closure;
}

function loaded(closure: Closure, prefixes: readonly string[]): string[] {
  return [...closure.modules].filter((m) => prefixes.some((p) => m.startsWith(p))).sort();
}

test('scan worker: loads the pipeline, not hunt, Sigma, disarm, the store or rare formats', () => {
  const worker = staticClosure('src/apps/scan-runner/worker.ts');
  assert.ok(worker.modules.has('src/pipeline/scan.ts'));
  assert.deepEqual(
    loaded(worker, [
      'src/pipeline/index.ts',
      'src/pipeline/hunt',
      'src/pipeline/disarm',
      'src/pipeline/policy',
      'src/engines/sigma/',
      'src/engines/disarm/',
      'src/engines/chain/',
      'src/engines/ioc/',
      'src/engines/mail/engine.ts',
      'src/engines/archive/zip-members.ts',
      'src/engines/container/rar.ts',
      'src/engines/lnk/analyze.ts',
      'src/engines/memory/analyze.ts',
      'src/formats/mime/',
      'src/formats/rar/',
      'src/formats/sevenzip/',
      'src/formats/netlog/',
      'src/formats/intel/',
      'src/store/',
      'src/correlate/',
      'src/apps/msgid/',
    ]),
    [],
  );
  const rare = [
    'yaml',
    'mailparser',
    'nodemailer',
    '@kenjiuno/msgreader',
    'cfb',
    'node-unrar-js',
    // Office documents are read through central.ts/direct.ts; zip.js only for what those cannot read.
    '@zip.js/zip.js',
  ];
  assert.deepEqual(
    rare.filter((p) => worker.packages.has(p)),
    [],
  );
});

test('scan main thread: loads the runner and the output, not the pipeline, engines or store', () => {
  const main = staticClosure('src/apps/cli/commands/scan.ts');
  assert.ok(main.modules.has('src/apps/scan-runner/run.ts'));
  assert.deepEqual(
    loaded(main, [
      'src/pipeline/',
      'src/store/',
      'src/correlate/',
      'src/apps/msgid/',
      'src/apps/scan-runner/large-file-scan.ts',
      ...['mail', 'office', 'vba', 'xlm', 'archive', 'container', 'triage'].map(
        (e) => `src/engines/${e}/`,
      ),
    ]),
    [],
  );
  assert.deepEqual(
    [...main.packages].filter((p) => p !== 'commander'),
    [],
  );
});
