import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveLimits } from '../../core/index.js';
import { readInputFile, scanPaths, walkInputs, type RunItem, type RunProgress } from './index.js';

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-run-'));
  mkdirSync(join(dir, 'b', 'deep'), { recursive: true });
  writeFileSync(join(dir, 'b', 'deep', 'z.txt'), 'z');
  writeFileSync(join(dir, 'a.txt'), 'a');
  writeFileSync(join(dir, 'c.vba'), 'Sub AutoOpen()\n Shell "cmd /c echo x"\nEnd Sub\n');
  symlinkSync(join(dir, 'b'), join(dir, 'loop')); // a link to a directory: not followed
  symlinkSync(join(dir, 'a.txt'), join(dir, 'd-link.txt'));
  return dir;
}

test('walk: recursive, sorted, links to files followed, links to directories not, errors yielded', async () => {
  const dir = tree();
  const seen: string[] = [];
  for await (const e of walkInputs([dir, join(dir, 'missing')]))
    seen.push(`${e.kind} ${e.path.slice(dir.length)}`);
  assert.deepEqual(seen, [
    'file /a.txt',
    'file /b/deep/z.txt',
    'file /c.vba',
    'file /d-link.txt',
    'error /missing',
  ]);
});

test('read: maxFileSize keeps the head and reports the real size; at the limit the file is whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-read-'));
  writeFileSync(join(dir, 'f'), 'x'.repeat(100));
  assert.deepEqual(
    await readInputFile(join(dir, 'f'), 100).then((r) => [r.bytes.length, r.size]),
    [100, 100],
  );
  assert.deepEqual(
    await readInputFile(join(dir, 'f'), 99).then((r) => [r.bytes.length, r.size]),
    [99, 100],
  );
});

test('scanPaths: one item per input in walk order, progress reported to the end', async () => {
  const dir = tree();
  const items: RunItem[] = [];
  const progress: RunProgress[] = [];
  for await (const item of scanPaths([dir], {
    limits: resolveLimits(),
    workers: 2,
    onProgress: (p) => progress.push({ ...p }),
  })) {
    items.push(item);
  }
  assert.deepEqual(
    items.map((i) => i.path.slice(dir.length)),
    ['/a.txt', '/b/deep/z.txt', '/c.vba', '/d-link.txt'],
  );
  const verdicts = items.map((i) => ('result' in i ? i.result.verdict : 'error'));
  assert.deepEqual(verdicts, ['clean', 'clean', 'malicious', 'clean']);
  const last = progress.at(-1)!;
  assert.equal(last.done, 4);
  assert.equal(last.walking, false);
});

test('scanPaths: a file over maxFileSize is scanned by its head and flagged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-big-'));
  writeFileSync(join(dir, 'big.txt'), 'y'.repeat(5000));
  const items: RunItem[] = [];
  for await (const item of scanPaths([dir], {
    limits: resolveLimits({ maxFileSize: 1000 }),
    workers: 1,
  }))
    items.push(item);
  const result = 'result' in items[0]! ? items[0].result : undefined;
  assert.equal(result?.size, 5000);
  assert.equal(result?.verdict, 'suspicious');
  assert.match(result?.findings[0]?.evidence[0]?.text ?? '', /^E_LIMIT_FILE_SIZE/);
});
