/**
 * Golden-file assertions (the yara-x / goldenfile pattern): the expected output lives beside the input as a
 * reviewed file, and `UPDATE_GOLDEN=1 node scripts/test.mjs <filter>` rewrites it after an intended change.
 *
 * @example
 * const out = new URL('./testdata/cycle.out.json', import.meta.url);
 * assertGolden(parseCfb(bytes), out);       // JSON, keys sorted, 2-space indent
 * assertGolden(renderReport(result), 'src/report/testdata/basic.out.txt'); // text, byte-exact
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GoldenOptions {
  /** Rewrite the golden file instead of comparing. Defaults to `UPDATE_GOLDEN=1` in the environment. */
  update?: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * JSON with object keys sorted at every depth, 2-space indent and a final newline, so that a golden diff
 * shows changed values, not reordered keys. Values go through `toJSON` first (errors, dates); `undefined`
 * properties disappear as in `JSON.stringify`.
 */
export function stableJson(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as Uint8Array);
      if (!isPlainObject(v)) return v;
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) sorted[key] = v[key];
      return sorted;
    },
    2,
  );
  return `${text ?? 'null'}\n`;
}

function toPath(outPath: string | URL): string {
  return outPath instanceof URL ? fileURLToPath(outPath) : outPath;
}

/**
 * Compares `actual` with the golden file at `outPath`. A string is compared as text, byte for byte; any other
 * value as {@link stableJson}. Missing file → fails with the command that creates it.
 */
export function assertGolden(
  actual: unknown,
  outPath: string | URL,
  options: GoldenOptions = {},
): void {
  const path = toPath(outPath);
  const text = typeof actual === 'string' ? actual : stableJson(actual);
  const isUpdate = options.update ?? process.env.UPDATE_GOLDEN === '1';
  if (isUpdate) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return;
  }
  const fromCwd = relative(process.cwd(), path);
  const shown = fromCwd && !fromCwd.startsWith('..') ? fromCwd : path;
  if (!existsSync(path)) {
    assert.fail(
      `golden file ${shown} does not exist.\n` +
        `Create it by running the test with UPDATE_GOLDEN=1, e.g. UPDATE_GOLDEN=1 node scripts/test.mjs <filter>,` +
        ` then review it before committing.`,
    );
  }
  const expected = readFileSync(path, 'utf8');
  if (text === expected) return;
  throw new assert.AssertionError({
    message:
      `output differs from golden file ${shown} (- golden, + actual):\n${diffLines(expected, text)}\n` +
      'If the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff.',
    actual: text,
    expected,
    operator: 'assertGolden',
  });
}

const MAX_DIFF_LINES = 40;

/** The changed middle of two texts (common leading and trailing lines cut), `-`/`+` prefixed, numbered. */
export function diffLines(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const show = (lines: string[], sign: string): string[] => {
    const cut = lines.slice(0, MAX_DIFF_LINES).map((line) => `${sign} ${line}`);
    if (lines.length > MAX_DIFF_LINES)
      cut.push(`${sign} … ${lines.length - MAX_DIFF_LINES} more lines`);
    return cut;
  };
  const header = `@@ line ${start + 1} @@`;
  return [header, ...show(a.slice(start, endA), '-'), ...show(b.slice(start, endB), '+')].join(
    '\n',
  );
}
