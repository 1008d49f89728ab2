import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERR_INVALID_PASSWORD } from '@zip.js/zip.js';
import { loadZipJs, ZIPJS_INVALID_PASSWORD } from './zipjs.js';

test('zipjs: the password message decrypt.ts words as zip.js does is zip.js own', () => {
  assert.equal(ZIPJS_INVALID_PASSWORD, ERR_INVALID_PASSWORD);
});

test('zipjs: loaded once, on first use', async () => {
  const [a, b] = await Promise.all([loadZipJs(), loadZipJs()]);
  assert.equal(a, b);
  assert.equal(typeof a.ZipReader, 'function');
});
