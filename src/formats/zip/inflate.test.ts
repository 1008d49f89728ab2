import assert from 'node:assert/strict';
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import { test } from 'node:test';
import { inflateRawCapped } from './inflate.js';

/** What zlib's own convenience function gives: the bytes, or the error's code and message. */
function viaZlib(data: Uint8Array, max: number): string {
  try {
    const out = inflateRawSync(data, {
      maxOutputLength: Math.min(Math.max(1, max), 2 ** 32),
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    return `ok ${Buffer.from(out).toString('base64')}`;
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return code === 'ERR_BUFFER_TOO_LARGE' ? code : `${code} ${message}`;
  }
}

function viaKeptContext(data: Uint8Array, max: number): string {
  try {
    return `ok ${Buffer.from(inflateRawCapped(data, max)).toString('base64')}`;
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return code === 'ERR_BUFFER_TOO_LARGE' ? code : `${code} ${message}`;
  }
}

// Deterministic bytes: text-like (compresses well) and noise (does not).
function sample(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = seed % 2 === 0 ? 0x41 + ((x >>> 16) % 6) : x >>> 24;
  }
  return out;
}

test('inflateRawCapped: same bytes or error as inflateRawSync — whole, truncated, corrupt, at and around the cap', () => {
  for (const [seed, length] of [0, 1, 300, 5_000, 65_536, 70_000, 200_000].entries()) {
    const plain = sample(length, seed);
    const deflated = new Uint8Array(deflateRawSync(plain));
    for (const max of [0, 1, length - 1, length, length + 1, 65_536, 65_537, 1e9, NaN]) {
      assert.equal(viaKeptContext(deflated, max), viaZlib(deflated, max), `${length} cap ${max}`);
    }
    const truncated = deflated.subarray(0, deflated.length >> 1);
    assert.equal(viaKeptContext(truncated, 1e9), viaZlib(truncated, 1e9), `${length} truncated`);
    const corrupt = deflated.slice();
    corrupt[corrupt.length >> 1] = (corrupt[corrupt.length >> 1] ?? 0) ^ 0x55;
    assert.equal(viaKeptContext(corrupt, 1e9), viaZlib(corrupt, 1e9), `${length} corrupt`);
    const noise = sample(100 + seed, seed + 1);
    assert.equal(viaKeptContext(noise, 1e9), viaZlib(noise, 1e9), `${length} not deflate`);
  }
});

test('inflateRawCapped: a zlib error does not spoil the next member (the context is made again)', () => {
  const good = new Uint8Array(deflateRawSync(new TextEncoder().encode('<a/>'.repeat(100))));
  assert.throws(() => inflateRawCapped(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 1000));
  assert.equal(new TextDecoder().decode(inflateRawCapped(good, 1000)), '<a/>'.repeat(100));
});

test('inflateRawCapped: a 50 MiB bomb under a 1 MiB cap stops at the cap', () => {
  const bomb = new Uint8Array(deflateRawSync(new Uint8Array(50 * 1024 * 1024)));
  assert.throws(() => inflateRawCapped(bomb, 1024 * 1024), { code: 'ERR_BUFFER_TOO_LARGE' });
});
