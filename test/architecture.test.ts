/**
 * Enforces the layering of STYLE.md §6 on src/ (tests included), then checks the checker itself on small
 * synthetic trees so that a rule that silently stops matching is caught too.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkArchitecture,
  formatViolations,
  readSourceTree,
  RULES,
  type RuleId,
  type SourceFile,
} from './support/architecture.js';
import { repoRoot } from './support/fixtures.js';

const DOC = '/** @module x — spec */\n';

function violationsOf(files: SourceFile[], rule?: RuleId): string[] {
  const { violations } = checkArchitecture(files);
  return violations
    .filter((v) => rule === undefined || v.rule === rule)
    .map((v) => `${v.file}:${v.line} [${v.rule}]`);
}

describe('architecture of src/', () => {
  const report = checkArchitecture(readSourceTree(repoRoot()));
  for (const [rule, summary] of Object.entries(RULES) as [RuleId, string][]) {
    const skip = report.skipped.find((s) => s.rule === rule)?.reason ?? false;
    test(`${rule}: ${summary}`, { skip }, () => {
      const broken = report.violations.filter((v) => v.rule === rule);
      assert.equal(broken.length, 0, `${RULES[rule]}; broken at:\n${formatViolations(broken)}`);
    });
  }
});

describe('architecture checker on synthetic trees', () => {
  test('core importing formats → layer violation at the import line', () => {
    const files = [
      { path: 'src/core/a.ts', text: "// header\nimport { x } from '../formats/cfb/index.js';\n" },
      { path: 'src/formats/cfb/index.ts', text: DOC },
    ];
    assert.deepEqual(violationsOf(files, 'layer'), ['src/core/a.ts:2 [layer]']);
  });

  test('an import inside a comment or a string is not an import', () => {
    const files = [
      {
        path: 'src/core/a.ts',
        text: "// import x from '../apps/cli/index.js'\nconst s = \"import y from 'node:fs'\";\n",
      },
    ];
    assert.deepEqual(violationsOf(files), []);
  });

  test('engines import core and formats, never another engine', () => {
    const files = [
      { path: 'src/engines/vba/index.ts', text: `${DOC}import '../../core/index.js';\n` },
      { path: 'src/engines/vba/x.ts', text: "import { a } from '../../formats/ovba/index.js';\n" },
      { path: 'src/engines/ioc/index.ts', text: `${DOC}export * from '../vba/index.js';\n` },
    ];
    assert.deepEqual(violationsOf(files, 'layer'), ['src/engines/ioc/index.ts:2 [layer]']);
  });

  test('pipeline may not import store or apps; store may import only core', () => {
    const files = [
      { path: 'src/pipeline/scan.ts', text: "import { s } from '../store/store.js';\n" },
      { path: 'src/store/store.ts', text: "import type { P } from '../pipeline/scan.js';\n" },
      { path: 'src/store/sql.ts', text: "import { E } from '../core/index.js';\n" },
    ];
    assert.deepEqual(violationsOf(files, 'layer'), [
      'src/pipeline/scan.ts:1 [layer]',
      'src/store/store.ts:1 [layer]',
    ]);
  });

  test('correlate and report take store types only (their tests may build a store); report may use correlate', () => {
    const files = [
      { path: 'src/correlate/a.ts', text: "import type { Store } from '../store/store.js';\n" },
      {
        path: 'src/correlate/b.ts',
        text: "import { type Store, type Q } from '../store/store.js';\n",
      },
      { path: 'src/correlate/c.ts', text: "import { openStore } from '../store/store.js';\n" },
      { path: 'src/report/a.ts', text: "import { group } from '../correlate/a.js';\n" },
      { path: 'src/report/b.ts', text: "type T = import('../store/store.js').Store;\n" },
      { path: 'src/report/c.ts', text: "export { openStore } from '../store/store.js';\n" },
      { path: 'src/report/c.test.ts', text: "import { openStore } from '../store/store.js';\n" },
    ];
    assert.deepEqual(violationsOf(files, 'layer'), [
      'src/correlate/c.ts:1 [layer]',
      'src/report/c.ts:1 [layer]',
    ]);
  });

  test('apps may import anything; non-test src code may not import test/', () => {
    const files = [
      {
        path: 'src/apps/cli/main.ts',
        text: "import '../../store/sqlite/index.js';\nimport 'node:fs';\n",
      },
      { path: 'src/store/sqlite/index.ts', text: DOC },
      {
        path: 'src/formats/cfb/parse.ts',
        text: "import { b } from '../../../test/builders/cfb.js';\n",
      },
      {
        path: 'src/formats/cfb/parse.test.ts',
        text: "import { b } from '../../../test/builders/cfb.js';\n",
      },
    ];
    assert.deepEqual(violationsOf(files), ['src/formats/cfb/parse.ts:1 [layer]']);
  });

  test('outside its folder a unit is reached only through index.ts; core only through core/index.ts', () => {
    const files = [
      { path: 'src/formats/ovba/index.ts', text: `${DOC}import { p } from '../cfb/parse.js';\n` },
      { path: 'src/formats/cfb/index.ts', text: `${DOC}export * from './parse.js';\n` },
      { path: 'src/formats/cfb/parse.ts', text: "import { E } from '../../core/errors.js';\n" },
      { path: 'src/core/index.ts', text: `${DOC}export * from './errors.js';\n` },
    ];
    assert.deepEqual(violationsOf(files, 'index-only'), [
      'src/formats/cfb/parse.ts:1 [index-only]',
      'src/formats/ovba/index.ts:2 [index-only]',
    ]);
  });

  test('format folders in a cycle → every edge of the cycle is reported', () => {
    const files = [
      { path: 'src/formats/a/index.ts', text: `${DOC}import '../b/index.js';\n` },
      { path: 'src/formats/b/index.ts', text: `${DOC}import '../c/index.js';\n` },
      { path: 'src/formats/c/index.ts', text: `${DOC}import '../a/index.js';\n` },
      { path: 'src/formats/d/index.ts', text: `${DOC}import '../a/index.js';\n` },
    ];
    assert.deepEqual(violationsOf(files, 'format-cycle'), [
      'src/formats/a/index.ts:2 [format-cycle]',
      'src/formats/b/index.ts:2 [format-cycle]',
      'src/formats/c/index.ts:2 [format-cycle]',
    ]);
  });

  test('fs, sockets, processes, env and argv only in apps, tests and (fs) store', () => {
    const files = [
      { path: 'src/formats/x/a.ts', text: "import { readFileSync } from 'node:fs';\n" },
      { path: 'src/engines/y/a.ts', text: "const u = await import('node:https');\n" },
      {
        path: 'src/pipeline/a.ts',
        text: 'const home = process.env.HOME;\nconst a = process["argv"];\n',
      },
      {
        path: 'src/core/a.ts',
        text: "import { env } from 'node:process';\nconst { argv } = process;\n",
      },
      {
        path: 'src/core/b.ts',
        text: "import { createHash } from 'node:crypto';\nimport 'fs/promises';\n",
      },
      { path: 'src/store/sqlite/db.ts', text: "import { mkdirSync } from 'node:fs';\n" },
      { path: 'src/store/sqlite/env.ts', text: 'const p = process.env.DB;\n' },
      { path: 'src/formats/x/a.test.ts', text: "import 'node:fs';\nprocess.env.X = '1';\n" },
      { path: 'src/apps/cli/main.ts', text: "import 'node:child_process';\nprocess.argv;\n" },
    ];
    assert.deepEqual(violationsOf(files, 'io'), [
      'src/core/a.ts:1 [io]',
      'src/core/a.ts:2 [io]',
      'src/core/b.ts:2 [io]',
      'src/engines/y/a.ts:1 [io]',
      'src/formats/x/a.ts:1 [io]',
      'src/pipeline/a.ts:1 [io]',
      'src/pipeline/a.ts:2 [io]',
      'src/store/sqlite/env.ts:1 [io]',
    ]);
  });

  test('registry: unregistered engine folder fails; a missing registry.ts is skipped with a reason', () => {
    const engines = [
      { path: 'src/engines/vba/index.ts', text: DOC },
      { path: 'src/engines/ioc/index.ts', text: DOC },
    ];
    const registry = {
      path: 'src/pipeline/registry.ts',
      text: "import { vbaEngine } from '../engines/vba/index.js';\n",
    };
    assert.deepEqual(violationsOf([...engines, registry], 'registry'), [
      'src/engines/ioc/index.ts:1 [registry]',
    ]);
    const report = checkArchitecture(engines);
    assert.deepEqual(report.violations, []);
    assert.match(report.skipped[0]?.reason ?? '', /registry\.ts does not exist/);
  });

  test('index.ts must open with a /** @module */ comment', () => {
    const files = [
      { path: 'src/formats/a/index.ts', text: '/**\n * @module a — MS-CFB 2.2\n */\nexport {};\n' },
      { path: 'src/formats/b/index.ts', text: '// @module b\nexport {};\n' },
      { path: 'src/formats/c/index.ts', text: 'export {};\n/** @module c */\n' },
    ];
    assert.deepEqual(violationsOf(files, 'module-doc'), [
      'src/formats/b/index.ts:1 [module-doc]',
      'src/formats/c/index.ts:1 [module-doc]',
    ]);
  });

  test('a file outside the known layers → unknown-layer', () => {
    const files = [
      { path: 'src/utils/a.ts', text: '' },
      { path: 'src/index.ts', text: DOC },
    ];
    assert.deepEqual(violationsOf(files, 'unknown-layer'), [
      'src/index.ts:1 [unknown-layer]',
      'src/utils/a.ts:1 [unknown-layer]',
    ]);
  });

  test('the failure text lists file:line, rule and message per violation', () => {
    const text = formatViolations(
      checkArchitecture([{ path: 'src/core/a.ts', text: "import '../apps/x.js';\n" }]).violations,
    );
    assert.match(
      text,
      /^src\/core\/a\.ts:1 \[layer\] src\/core imports nothing of ours; not src\/apps/,
    );
  });
});
