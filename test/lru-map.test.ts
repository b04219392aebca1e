// The bounded cache behind prepared statements, revoked families and checked tokens: it keeps at
// most its capacity and forgets the least recently used first.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LruMap } from '../src/lru-map.ts';

it('keeps at most its capacity, dropping the least recently used', () => {
  const cache = new LruMap<string, { jti: string }>(2);
  cache.set('a', { jti: 'a' });
  cache.set('b', { jti: 'b' });
  assert.equal(cache.get('a')?.jti, 'a'); // a is now the most recently used
  cache.set('c', { jti: 'c' });
  assert.equal(cache.size, 2);
  assert.equal(cache.get('b'), undefined);
  assert.deepEqual(cache.get('c'), { jti: 'c' });
});

it('has() does not count as a use; set() on a held key does', () => {
  const cache = new LruMap<string, true>(2);
  cache.set('a', true);
  cache.set('b', true);
  assert.equal(cache.has('a'), true);
  cache.set('c', true); // a was not used by has(): it goes
  assert.deepEqual(['a', 'b', 'c'].map((k) => cache.has(k)), [false, true, true]);
  cache.set('b', true);
  cache.set('d', true); // b was set again: c goes
  assert.deepEqual(['b', 'c', 'd'].map((k) => cache.has(k)), [true, false, true]);
});

it('refuses a capacity that is not a positive integer', () => {
  for (const capacity of [0, -1, 1.5, Number.NaN]) assert.throws(() => new LruMap(capacity), RangeError);
});
