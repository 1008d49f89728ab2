import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { assertGolden, diffLines, stableJson } from './golden.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-golden-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('stableJson', () => {
  test('sorts keys at every depth, keeps array order, indents by 2 and ends with a newline', () => {
    const text = stableJson({ b: 1, a: { d: [3, 1], c: null }, skipped: undefined });
    assert.equal(
      text,
      '{\n  "a": {\n    "c": null,\n    "d": [\n      3,\n      1\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  test('same data in another key order → identical text', () => {
    assert.equal(stableJson({ x: 1, y: { p: 1, q: 2 } }), stableJson({ y: { q: 2, p: 1 }, x: 1 }));
  });

  test('bytes, bigints, maps, sets and toJSON values become plain JSON', () => {
    const value = {
      bytes: new Uint8Array([1, 255]),
      big: 2n ** 64n,
      map: new Map([['k', 1]]),
      set: new Set(['s']),
      error: { toJSON: () => ({ code: 'E_X' }) },
    };
    assert.deepEqual(JSON.parse(stableJson(value)), {
      big: '18446744073709551616',
      bytes: [1, 255],
      error: { code: 'E_X' },
      map: { k: 1 },
      set: ['s'],
    });
  });
});

describe('assertGolden', () => {
  test('missing golden file → fails and names UPDATE_GOLDEN=1', () => {
    assert.throws(
      () => assertGolden({ a: 1 }, join(dir, 'missing.out.json'), { update: false }),
      /does not exist[\s\S]*UPDATE_GOLDEN=1/,
    );
  });

  test('update mode writes stable JSON (creating folders), then the same value passes', () => {
    const path = join(dir, 'nested', 'case.out.json');
    assertGolden({ z: 1, a: [true] }, path, { update: true });
    assert.equal(readFileSync(path, 'utf8'), stableJson({ a: [true], z: 1 }));
    assertGolden({ a: [true], z: 1 }, path, { update: false });
  });

  test('a file URL is accepted as the golden path', () => {
    const path = join(dir, 'url.out.json');
    writeFileSync(path, stableJson([1, 2]));
    assertGolden([1, 2], pathToFileURL(path), { update: false });
  });

  test('strings are compared as text, byte for byte', () => {
    const path = join(dir, 'report.out.txt');
    writeFileSync(path, 'verdict: malicious\n');
    assertGolden('verdict: malicious\n', path, { update: false });
    assert.throws(() => assertGolden('verdict: malicious', path, { update: false }), /differs/);
  });

  test('a changed value → AssertionError showing the changed lines and the update hint', () => {
    const path = join(dir, 'changed.out.json');
    writeFileSync(path, stableJson({ id: 'vba.autoexec', severity: 'high' }));
    assert.throws(
      () => assertGolden({ id: 'vba.autoexec', severity: 'low' }, path, { update: false }),
      (error: unknown) => {
        assert.ok(error instanceof assert.AssertionError);
        assert.match(error.message, /- {3}"severity": "high"/);
        assert.match(error.message, /\+ {3}"severity": "low"/);
        assert.match(error.message, /UPDATE_GOLDEN=1/);
        return true;
      },
    );
  });

  test('UPDATE_GOLDEN=1 in the environment switches to update mode', () => {
    const path = join(dir, 'env.out.json');
    const saved = process.env.UPDATE_GOLDEN;
    process.env.UPDATE_GOLDEN = '1';
    try {
      assertGolden({ fromEnv: true }, path);
    } finally {
      if (saved === undefined) delete process.env.UPDATE_GOLDEN;
      else process.env.UPDATE_GOLDEN = saved;
    }
    assert.equal(readFileSync(path, 'utf8'), stableJson({ fromEnv: true }));
  });
});

describe('diffLines', () => {
  test('cuts common leading and trailing lines and numbers the first changed line', () => {
    assert.equal(diffLines('a\nb\nc\nd', 'a\nB\nc\nd'), '@@ line 2 @@\n- b\n+ B');
  });

  test('long changes are truncated with a count', () => {
    const many = Array.from({ length: 45 }, (_, i) => `l${i}`).join('\n');
    const diff = diffLines('', many);
    assert.match(diff, /\+ … 5 more lines$/);
  });
});
