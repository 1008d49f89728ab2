/**
 * The layering rules of STYLE.md §6 as a function over a list of files, so that test/architecture.test.ts can
 * run it on the real tree and on small synthetic trees. Dependency direction:
 * `core ← formats ← engines ← pipeline ← apps` and `core ← store ← correlate ← report ← apps`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import { findProcessAccess, parseImports, type ImportRef, type SourceFile } from './imports.js';

export type { SourceFile } from './imports.js';

export type RuleId =
  'unknown-layer' | 'layer' | 'index-only' | 'format-cycle' | 'io' | 'registry' | 'module-doc';

export interface Violation {
  file: string;
  line: number;
  rule: RuleId;
  message: string;
}

export interface ArchitectureReport {
  violations: Violation[];
  /** Checks that could not run yet, with the reason (e.g. no src/pipeline/registry.ts). */
  skipped: { rule: RuleId; reason: string }[];
}

export const RULES: Record<RuleId, string> = {
  'unknown-layer': 'every file under src/ sits in a known layer folder',
  layer: 'layers import only the layers below them',
  'index-only': 'src/<layer>/<name>/ is imported from outside only through its index.ts',
  'format-cycle': 'format folders do not import each other in a cycle',
  io: 'only src/apps (and tests) touch fs, sockets, processes, process.env or process.argv',
  registry: 'every engine folder is listed in src/pipeline/registry.ts',
  'module-doc': 'every index.ts opens with a /** @module */ comment',
};

interface LayerPolicy {
  /** Other layers this one may import ('*' = all). The own layer is always allowed except for engines. */
  may: readonly string[] | '*';
  /** Layers this one may import with `import type` only (tests of the layer may import them fully). */
  typeOnly?: readonly string[];
}

export const LAYERS: Record<string, LayerPolicy> = {
  core: { may: [] },
  formats: { may: ['core'] },
  engines: { may: ['core', 'formats'] },
  pipeline: { may: ['core', 'formats', 'engines'] },
  store: { may: ['core'] },
  correlate: { may: ['core'], typeOnly: ['store'] },
  report: { may: ['core', 'correlate'], typeOnly: ['store'] },
  apps: { may: '*' },
};

/** Node built-ins that read files, open sockets or start processes (`node:` prefix and subpaths ignored). */
export const IO_MODULES = new Set([
  'fs',
  'net',
  'tls',
  'dgram',
  'dns',
  'http',
  'https',
  'http2',
  'child_process',
  'cluster',
  'worker_threads',
  'readline',
]);

const REGISTRY = 'src/pipeline/registry.ts';
const SOURCE_FILE = /\.(ts|tsx|mts|cts)$/;
const MODULE_DOC = /^(#![^\n]*\n)?\s*\/\*\*[\s*]*@module\b/;
const BUILTINS = new Set(builtinModules);

interface Place {
  path: string;
  /** Second path segment under src/ (`core`, `formats`…); undefined outside src or for src/x.ts. */
  layer: string | undefined;
  /** Folder under the layer (`cfb` in src/formats/cfb/parse.ts); undefined for files directly in a layer. */
  unit: string | undefined;
}

function placeOf(path: string): Place {
  const parts = path.split('/');
  if (parts[0] !== 'src' || parts.length < 3) return { path, layer: undefined, unit: undefined };
  return { path, layer: parts[1], unit: parts.length >= 4 ? parts[2] : undefined };
}

function isTestFile(path: string): boolean {
  return /\.(test|suite)\.(ts|tsx|mts|cts)$/.test(path);
}

/** Relative specifiers resolved the NodeNext way: `./x.js` names the source `./x.ts`. */
function resolveRelative(from: string, specifier: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
  return joined.replace(/\.(m|c)?js(x?)$/, (_m, mc: string | undefined, x: string) => {
    return `.${mc ?? ''}ts${x}`;
  });
}

function builtinName(specifier: string): string | undefined {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (!specifier.startsWith('node:') && !BUILTINS.has(bare)) return undefined;
  return bare.split('/')[0];
}

function unitRoot(place: Place): string {
  return `src/${place.layer}/${place.unit}/`;
}

type Add = (file: string, line: number, rule: RuleId, message: string) => void;

function checkLayerEdge(from: Place, to: Place, ref: ImportRef, add: Add): void {
  const policy =
    from.layer !== undefined && Object.hasOwn(LAYERS, from.layer) ? LAYERS[from.layer] : undefined;
  if (!policy || policy.may === '*') return;
  const where = `'${ref.specifier}' (${to.path})`;
  if (to.layer === undefined) {
    if (isTestFile(from.path) && to.path.startsWith('test/')) return;
    const what = to.path.startsWith('src/') ? 'files directly in src/' : 'code outside src/';
    add(from.path, ref.line, 'layer', `src/${from.layer} may not import ${what}: ${where}`);
    return;
  }
  if (to.layer === from.layer) {
    if (from.layer === 'engines' && from.unit !== undefined && to.unit !== from.unit) {
      const msg = `engines never import each other (or src/engines/ files): engines/${from.unit} imports ${where}`;
      add(from.path, ref.line, 'layer', msg);
    }
    return;
  }
  if (policy.may.includes(to.layer)) return;
  if (policy.typeOnly?.includes(to.layer)) {
    // A test is a composition root: it may build the real store that the code under test only types against.
    if (ref.isTypeOnly || isTestFile(from.path)) return;
    const msg = `src/${from.layer} may import src/${to.layer} with \`import type\` only: ${where}`;
    add(from.path, ref.line, 'layer', msg);
    return;
  }
  const allowed = [...policy.may, ...(policy.typeOnly ?? []).map((l) => `type ${l}`)];
  const list = allowed.length > 0 ? allowed.join(', ') : 'nothing of ours';
  const msg = `src/${from.layer} imports ${list}; not src/${to.layer}: ${where}`;
  add(from.path, ref.line, 'layer', msg);
}

function checkIndexOnly(from: Place, to: Place, ref: ImportRef, add: Add): void {
  if (to.layer === 'core' && from.layer !== 'core') {
    if (to.path !== 'src/core/index.ts') {
      const msg = `src/core is imported through src/core/index.js only: '${ref.specifier}' (${to.path})`;
      add(from.path, ref.line, 'index-only', msg);
    }
    return;
  }
  if (to.unit === undefined) return;
  const root = unitRoot(to);
  if (from.path.startsWith(root) || /^index\.(ts|tsx|mts)$/.test(to.path.slice(root.length)))
    return;
  const msg = `${root} is imported through ${root}index.js only: '${ref.specifier}' (${to.path})`;
  add(from.path, ref.line, 'index-only', msg);
}

function checkIo(from: Place, ref: ImportRef, add: Add): void {
  const name = builtinName(ref.specifier);
  if (name === undefined) return;
  if (IO_MODULES.has(name) && !(from.layer === 'store' && name === 'fs')) {
    add(from.path, ref.line, 'io', `only src/apps may import '${ref.specifier}'`);
  }
  if (name === 'process' && ref.names.some((n) => n === 'env' || n === 'argv')) {
    add(
      from.path,
      ref.line,
      'io',
      `only src/apps may read env/argv (imported from '${ref.specifier}')`,
    );
  }
}

/** Tarjan's strongly connected components over format folders; every edge inside a component is reported. */
function checkFormatCycles(
  edges: Map<string, { to: string; file: string; line: number }[]>,
  add: Add,
): void {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const { to } of edges.get(v) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v)!, index.get(to)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) components.push(component.sort());
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) connect(v);
  for (const component of components) {
    const members = new Set(component);
    for (const from of component) {
      for (const edge of edges.get(from) ?? []) {
        if (!members.has(edge.to)) continue;
        const msg = `formats/${from} imports formats/${edge.to}, closing a cycle among {${component.join(', ')}}`;
        add(edge.file, edge.line, 'format-cycle', msg);
      }
    }
  }
}

function checkRegistry(files: readonly SourceFile[], report: ArchitectureReport, add: Add): void {
  const registry = files.find((f) => f.path === REGISTRY);
  if (!registry) {
    const reason = `${REGISTRY} does not exist yet, so engine registration is not checked`;
    report.skipped.push({ rule: 'registry', reason });
    return;
  }
  const registered = new Set<string>();
  for (const ref of parseImports(registry)) {
    if (!ref.specifier.startsWith('.')) continue;
    const to = placeOf(resolveRelative(REGISTRY, ref.specifier));
    if (to.layer === 'engines' && to.unit !== undefined) registered.add(to.unit);
  }
  const engines = new Map<string, string>();
  for (const f of files) {
    const place = placeOf(f.path);
    if (place.layer !== 'engines' || place.unit === undefined) continue;
    const current = engines.get(place.unit);
    if (current === undefined || f.path.endsWith('/index.ts')) engines.set(place.unit, f.path);
  }
  for (const [unit, file] of [...engines].sort()) {
    if (!registered.has(unit)) {
      add(file, 1, 'registry', `src/engines/${unit}/ is not imported by ${REGISTRY}: add it there`);
    }
  }
}

/** Runs every rule over `files` (paths repo-relative, `/`-separated). Pure: no fs access. */
export function checkArchitecture(files: readonly SourceFile[]): ArchitectureReport {
  const report: ArchitectureReport = { violations: [], skipped: [] };
  const add: Add = (file, line, rule, message) =>
    report.violations.push({ file, line, rule, message });
  const formatEdges = new Map<string, { to: string; file: string; line: number }[]>();
  for (const file of files) {
    const from = placeOf(file.path);
    if (from.layer !== undefined && !Object.hasOwn(LAYERS, from.layer)) {
      add(file.path, 1, 'unknown-layer', `src/${from.layer}/ is not a layer of STYLE.md §6`);
    } else if (from.layer === undefined && file.path.startsWith('src/')) {
      add(file.path, 1, 'unknown-layer', 'files sit in a layer folder, not directly in src/');
    }
    const isExempt = from.layer === 'apps' || isTestFile(file.path);
    if (/(^|\/)index\.(ts|tsx|mts)$/.test(file.path) && !MODULE_DOC.test(file.text)) {
      add(
        file.path,
        1,
        'module-doc',
        'index.ts must open with a /** @module … */ comment citing the spec',
      );
    }
    if (!isExempt) {
      for (const use of findProcessAccess(file)) {
        add(file.path, use.line, 'io', `only src/apps may read process.${use.property}`);
      }
    }
    for (const ref of parseImports(file)) {
      if (!isExempt) checkIo(from, ref, add);
      if (!ref.specifier.startsWith('.')) continue;
      const to = placeOf(resolveRelative(file.path, ref.specifier));
      checkLayerEdge(from, to, ref, add);
      checkIndexOnly(from, to, ref, add);
      if (
        from.layer === 'formats' &&
        to.layer === 'formats' &&
        from.unit &&
        to.unit &&
        from.unit !== to.unit
      ) {
        const list = formatEdges.get(from.unit) ?? [];
        list.push({ to: to.unit, file: file.path, line: ref.line });
        formatEdges.set(from.unit, list);
      }
    }
  }
  checkFormatCycles(formatEdges, add);
  checkRegistry(files, report, add);
  report.violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return report;
}

/** One violation per line: `src/core/x.ts:3 [layer] message`. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.file}:${v.line} [${v.rule}] ${v.message}`).join('\n');
}

/** Every TypeScript file under `<root>/src`, tests included, as repo-relative `/`-separated paths. */
export function readSourceTree(root: string): SourceFile[] {
  return readdirSync(join(root, 'src'), { recursive: true })
    .map((entry) => `src/${String(entry).split('\\').join('/')}`)
    .filter((path) => SOURCE_FILE.test(path))
    .sort()
    .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}
