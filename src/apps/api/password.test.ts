import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FailureLimiter } from './rate-limit.js';
import {
  checkPasswordPolicy,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from './password.js';
import { newApiToken, digest, safeEqual } from './secrets.js';

const cheap = { N: 1024, r: 8, p: 1 };

describe('api: passwords, tokens and throttling', () => {
  test('password: scrypt hash with its cost and a fresh salt; verify accepts only the password', async () => {
    const a = await hashPassword('パスワード-long-enough', cheap);
    const b = await hashPassword('パスワード-long-enough', cheap);
    assert.match(a, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.notEqual(a, b, 'per-user salt');
    assert.equal(await verifyPassword('パスワード-long-enough', a), true);
    assert.equal(await verifyPassword('パスワード-long-enougH', a), false);
    // NFC: the same text typed as decomposed characters still matches.
    assert.equal(await verifyPassword('ハ\u309aスワート\u3099-long-enough', a), true);
  });

  test('password: malformed or absurd stored hashes verify false instead of throwing', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$1$8$1$AA==$AA==',
      'scrypt$1073741824$8$1$AAAA$' + 'A'.repeat(44),
      'bcrypt$x$y$z$a$b',
    ]) {
      assert.equal(await verifyPassword('whatever-password', stored), false, stored);
    }
  });

  test('password: policy accepts 8 and 1024 characters, refuses 7 and 1025', async () => {
    assert.doesNotThrow(() => checkPasswordPolicy('x'.repeat(MIN_PASSWORD_LENGTH)));
    assert.doesNotThrow(() => checkPasswordPolicy('x'.repeat(MAX_PASSWORD_LENGTH)));
    assert.throws(() => checkPasswordPolicy('x'.repeat(MIN_PASSWORD_LENGTH - 1)), {
      code: 'E_AUTH_WEAK_PASSWORD',
    });
    assert.throws(() => checkPasswordPolicy('x'.repeat(MAX_PASSWORD_LENGTH + 1)), {
      code: 'E_AUTH_WEAK_PASSWORD',
    });
    const h = await hashPassword('x'.repeat(MAX_PASSWORD_LENGTH), cheap);
    assert.equal(await verifyPassword('x'.repeat(MAX_PASSWORD_LENGTH + 1), h), false);
  });

  test('tokens: 256-bit, prefixed, stored as a digest; safeEqual compares exactly', () => {
    const t = newApiToken();
    assert.match(t.token, /^eg_[A-Za-z0-9_-]{43}$/);
    assert.equal(t.tokenHash, digest(t.token));
    assert.equal(t.token.startsWith(t.prefix), true);
    assert.notEqual(newApiToken().token, t.token);
    assert.equal(safeEqual('abc', 'abc'), true);
    assert.equal(safeEqual('abc', 'abd'), false);
    assert.equal(safeEqual('abc', 'abcd'), false);
  });

  test('throttle: the failure at the limit blocks until the window ends; reset clears it', () => {
    const l = new FailureLimiter({ maxFailures: 3, windowMs: 60_000 });
    for (let i = 0; i < 2; i++) l.fail('k', 1_000);
    assert.equal(l.retryAfter('k', 1_000), 0, 'below the limit');
    l.fail('k', 1_000);
    assert.equal(l.retryAfter('k', 1_000), 60);
    assert.equal(l.retryAfter('k', 60_999), 1);
    assert.equal(l.retryAfter('k', 61_000), 0, 'window over');
    l.fail('j', 0);
    l.reset('j');
    assert.equal(l.retryAfter('j', 0), 0);
  });

  test('throttle: memory stays bounded under many distinct keys (oldest dropped)', () => {
    const l = new FailureLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) l.fail(`ip:${i}`, 0);
    assert.equal(l.size, 100);
    assert.equal(l.retryAfter('ip:999', 0) > 0, true);
    assert.equal(l.retryAfter('ip:0', 0), 0);
  });
});
