// argon2id takes 19 MiB per computation: a process runs only a bounded number at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verify } from '@node-rs/argon2';
import { ARGON2_CONCURRENCY, hashPassword, passwordWork } from '../../src/platform/login.ts';

describe('password hashing', () => {
  it('runs at most ARGON2_CONCURRENCY argon2id computations at once; the rest wait and all finish', async () => {
    assert.ok(ARGON2_CONCURRENCY >= 1 && ARGON2_CONCURRENCY <= 4);
    const passwords = Array.from({ length: ARGON2_CONCURRENCY + 3 }, (_, i) => `password ${i}`);
    const hashes = passwords.map((p) => hashPassword(p));
    assert.deepEqual(passwordWork(), { running: ARGON2_CONCURRENCY, waiting: 3 });
    const done = await Promise.all(hashes);
    assert.deepEqual(passwordWork(), { running: 0, waiting: 0 });
    for (const [i, h] of done.entries()) {
      assert.match(h, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      assert.equal(await verify(h, passwords[i] ?? ''), true);
    }
  });
});
