// Used client assertion ids: the first use of a (client, jti) wins, any later one is a replay, on
// both stores and across two stores on one database; expired ids are pruned.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { forEachStore } from '../helpers/stores.ts';

forEachStore('client assertion ids', (kind) => {
  let store: Store;
  before(async () => {
    store = await kind.open();
  });
  after(() => store.close());

  const now = new Date('2030-01-01T00:00:00Z');
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it('accepts a jti once per client', async () => {
    assert.equal(await store.clientAssertions.use('client-a', 'a'.repeat(64), later(60)), true);
    assert.equal(await store.clientAssertions.use('client-a', 'a'.repeat(64), later(60)), false, 'the same jti again is a replay');
    assert.equal(await store.clientAssertions.use('client-b', 'a'.repeat(64), later(60)), true, "another client's jti is its own");
    const url = `https://agent.example.com/${'p'.repeat(1500)}`;
    assert.equal(await store.clientAssertions.use(url, 'b'.repeat(64), later(60)), true, 'URL client ids fit');
  });

  it('lets only one of many concurrent uses win', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => store.clientAssertions.use('client-c', 'c'.repeat(64), later(60))));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('lets only one of two instances on one database win', async () => {
    const database = await kind.database();
    const [one, two] = [await database.open(), await database.open()];
    try {
      const results = await Promise.all([one.clientAssertions.use('client-d', 'd'.repeat(64), later(60)), two.clientAssertions.use('client-d', 'd'.repeat(64), later(60))]);
      assert.deepEqual(results.sort(), [false, true]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('prunes ids whose assertions expired, and only those', async () => {
    await store.clientAssertions.use('client-e', 'e'.repeat(64), later(10));
    await store.clientAssertions.use('client-e', 'f'.repeat(64), later(1000));
    const pruned = await store.clientAssertions.prune(later(100));
    assert.ok(pruned >= 1);
    assert.equal(await store.clientAssertions.use('client-e', 'e'.repeat(64), later(200)), true, 'a pruned id is forgotten');
    assert.equal(await store.clientAssertions.use('client-e', 'f'.repeat(64), later(1000)), false, 'a live id is kept');
    assert.equal(await store.clientAssertions.prune(later(100), 1), 0);
  });
});
