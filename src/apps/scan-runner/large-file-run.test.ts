import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveLimits } from '../../core/index.js';
import { writeSparseImage } from '../../../test/builders/memory-image.js';
import { scanPaths, type RunItem } from './index.js';

test('scanPaths: a raw image over maxFileSize is streamed whole in its own worker (match past the head)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-large-run-'));
  writeSparseImage(join(dir, 'host.raw'), 3000, [{ offset: 2500, bytes: 'EMOGUARD-INERT-MARKER' }]);
  writeFileSync(join(dir, 'note.txt'), 'hello');
  const rules = join(dir, 'marker.yar');
  writeFileSync(rules, 'rule Marker { strings: $m = "EMOGUARD-INERT-MARKER" condition: $m }\n');
  const items: RunItem[] = [];
  const currents: string[] = [];
  for await (const item of scanPaths([join(dir, 'host.raw'), join(dir, 'note.txt')], {
    limits: resolveLimits({ maxFileSize: 1000 }),
    workers: 1,
    yara: [rules],
    onProgress: (p) => currents.push(p.current ?? ''),
  }))
    items.push(item);
  const [image, note] = items.map((i) => ('result' in i ? i.result : undefined));
  assert.equal(image?.type, 'memory-image');
  assert.equal(image?.size, 3000);
  assert.match(image?.sha256 ?? '', /^[0-9a-f]{64}$/);
  const marker = image?.findings.find((f) => f.title === 'Marker');
  assert.equal(marker?.evidence[0]?.offset, 2500);
  assert.ok(!image?.findings.some((f) => f.id === 'scan.limit-exceeded'), 'not cut at maxFileSize');
  assert.equal(note?.type, 'text', JSON.stringify(note?.findings));
  assert.ok(
    currents.some((c) => /host\.raw \d+% of/.test(c)),
    'progress names the image',
  );
});
