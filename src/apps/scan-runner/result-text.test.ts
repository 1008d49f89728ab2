import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveLimits, walkResults } from '../../core/index.js';
import { scanPaths, type RunItem } from './index.js';

test('scanPaths: a worker result carries its JSON text and tally fields, the same as the parsed result', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-result-text-'));
  // A non-Latin-1 character (a two-byte string) and a child (a decoded command) in the result.
  writeFileSync(
    join(dir, 'm.vba'),
    'Sub AutoOpen()\n  Shell "powershell -enc SQBFAFgA" \' 請求書\nEnd Sub\n',
  );
  writeFileSync(join(dir, 'n.txt'), 'plain');
  const items: RunItem[] = [];
  for await (const item of scanPaths([dir], { limits: resolveLimits(), workers: 1 }))
    items.push(item);
  assert.equal(items.length, 2, 'one item per input');
  for (const item of items) {
    assert.ok('result' in item, `${item.path} scanned`);
    assert.ok(
      item.json !== undefined && item.summary !== undefined,
      `${item.path}: text + summary`,
    );
    assert.equal(item.json, JSON.stringify(item.result));
    assert.deepEqual(item.summary, {
      verdict: item.result.verdict,
      size: item.result.size,
      artifacts: [...walkResults(item.result)].length,
    });
  }
});
