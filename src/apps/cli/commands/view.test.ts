import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../../../../test/support/cli-io.js';
import { buildViewDocx } from '../../../../test/builders/view-docs.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-view-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('emoguard view FILE --out page.html writes the safe view and exits 0', async () => {
  const input = join(dir, 'invoice.docx');
  writeFileSync(input, buildViewDocx({ paragraphs: ['請求書 <script>alert(1)</script>'] }));
  const out = join(dir, 'page.html');
  const run = await runCli(['view', input, '--out', out, '--lang', 'ja']);
  assert.equal(run.code, 0);
  assert.match(run.stderr, /safe view written to/);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /<html lang="ja">/);
  assert.match(html, /<p>請求書 &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/p>/);
  assert.doesNotMatch(html, /<script/);
});

test('emoguard view FILE writes the page to standard output; a missing file exits 2', async () => {
  const input = join(dir, 'note.txt');
  writeFileSync(input, 'plain note');
  const run = await runCli(['view', input]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^<!DOCTYPE html>/);
  assert.match(run.stdout, /<p>plain note<\/p>/);
  const missing = await runCli(['view', join(dir, 'nope.docx')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read/);
});
