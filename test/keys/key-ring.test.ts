// The signing key ring: generated once, encrypted at rest, published without private parts;
// rotated while instances run, with old keys verifying until their last token has expired.
import assert from 'node:assert/strict';
import { after, afterEach, before, it } from 'node:test';
import { KeyRing, type KeyRingOptions } from '../../src/keys/key-ring.ts';
import { ManualClock } from '../../src/oauth/clock.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore } from '../helpers/stores.ts';

const SECRET = 'key-ring-test-secret-0123456789';
const HOUR = 3600;
const kids = (ring: KeyRing) => ring.jwks().keys.map((k) => k.kid);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The store, counting how often the key list is read. */
function countingStore(store: Store): { store: Store; reads: () => number } {
  let reads = 0;
  const keys: Store['keys'] = {
    ...store.keys,
    list: () => {
      reads += 1;
      return store.keys.list();
    },
  };
  return { store: { ...store, keys }, reads: () => reads };
}

forEachStore('key ring', (kind) => {
  let store: Store;
  let clock: ManualClock;
  const rings: KeyRing[] = [];
  /** A ring that stands for one server instance; timers off unless asked for. */
  const instance = async (options: KeyRingOptions = {}, on: Store = store) => {
    const ring = await KeyRing.load(on, SECRET, { clock, reloadIntervalSeconds: 0, ...options });
    rings.push(ring);
    return ring;
  };

  before(async () => {
    store = await kind.open();
    clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
  });
  afterEach(() => {
    for (const ring of rings.splice(0)) ring.close();
  });
  after(() => store.close());

  it('generates one RS256 key on first load and reuses it on the next', async () => {
    const first = await instance();
    assert.equal(first.signing.alg, 'RS256');
    assert.equal((await store.keys.list()).length, 1);
    const second = await instance();
    assert.equal(second.signing.kid, first.signing.kid);
    assert.equal((await store.keys.list()).length, 1);
    assert.ok(second.byKid(first.signing.kid));
    assert.equal(second.byKid('unknown'), undefined);
  });

  it('keeps the private key encrypted at rest', async () => {
    const [stored] = await store.keys.list();
    assert.ok(stored);
    assert.doesNotMatch(stored.privateJwkEncrypted, /"d":/);
    assert.doesNotMatch(stored.privateJwkEncrypted, /"p":|"q":/);
    assert.match(stored.privateJwkEncrypted, /^v1\./);
    assert.doesNotMatch(stored.publicJwk, /"d":/);
  });

  it('fails with a clear message under another secret', async () => {
    await assert.rejects(KeyRing.load(store, 'a-different-secret-altogether', { reloadIntervalSeconds: 0 }), /GATEHOUSE_SECRET/);
  });

  it('publishes only public parts in the JWKS', async () => {
    const ring = await instance();
    const { keys } = ring.jwks();
    assert.equal(keys.length, 1);
    const [jwk] = keys;
    assert.ok(jwk);
    for (const secretPart of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(secretPart in jwk, false, secretPart);
    assert.equal(jwk.kty, 'RSA');
    assert.equal(jwk.kid, ring.signing.kid);
    assert.equal(jwk.alg, 'RS256');
    assert.equal(jwk.use, 'sig');
    assert.ok(jwk.n && jwk.e);
  });

  it('rotates: a new key of the same algorithm signs, the old one keeps verifying and stays published', async () => {
    const ring = await instance();
    const old = ring.signing.kid;
    assert.deepEqual(kids(ring), [old]);
    const { signing, retired } = await ring.rotate();
    assert.notEqual(signing.kid, old);
    assert.equal(ring.signing.kid, signing.kid);
    assert.equal(signing.alg, 'RS256');
    assert.deepEqual(retired, [old]);
    assert.deepEqual(kids(ring), [signing.kid, old]);
    assert.ok(ring.byKid(old), 'the old key still verifies');
    const stored = await store.keys.list();
    assert.equal(stored.find((k) => k.kid === old)?.retiredAt?.getTime(), clock.now().getTime(), 'retired_at is when it stopped signing');
    assert.equal(stored.filter((k) => k.retiredAt === null).length, 1, 'exactly one key signs');
  });

  it('rotates to another algorithm when asked: the new key signs with it, the old RS256 key keeps verifying', async () => {
    const ring = await instance();
    const old = ring.signing.kid;
    const { signing } = await ring.rotate('ES256');
    assert.equal(signing.alg, 'ES256');
    assert.equal(ring.signing.alg, 'ES256');
    assert.equal(ring.byKid(old)?.alg, 'RS256');
    const published = new Map(ring.jwks().keys.map((k) => [k.kid, k]));
    assert.equal(published.get(signing.kid)?.alg, 'ES256');
    assert.equal(published.get(signing.kid)?.crv, 'P-256');
    assert.equal(published.get(old)?.alg, 'RS256');
  });

  it('drops a retired key once its last token has expired (lifetime plus one reload interval)', async () => {
    const ring = await instance({ reloadIntervalSeconds: 60, accessTokenLifetimeSeconds: HOUR });
    const old = ring.signing.kid;
    await ring.rotate();
    const rotatedAt = clock.now();
    clock.advance(HOUR + 59);
    assert.ok(ring.byKid(old), 'a token signed just before the rotation (or by a slow instance) still verifies');
    assert.ok(kids(ring).includes(old));
    clock.advance(1);
    assert.equal(ring.byKid(old), undefined);
    assert.deepEqual(kids(ring), [ring.signing.kid]);
    // A ring loaded now does not even read it in; the store keeps it (for `keys list`).
    const later = await instance({ reloadIntervalSeconds: 60 });
    assert.deepEqual(kids(later), [ring.signing.kid]);
    assert.equal(await later.verificationKey(old), undefined);
    assert.ok((await store.keys.list()).some((k) => k.kid === old && k.retiredAt?.getTime() === rotatedAt.getTime()));
  });

  it('another instance follows a rotation on its reload timer', async () => {
    const a = await instance();
    const b = await instance({ reloadIntervalSeconds: 0.05 });
    assert.equal(b.signing.kid, a.signing.kid);
    const { signing } = await a.rotate();
    for (let i = 0; i < 100 && b.signing.kid !== signing.kid; i += 1) await sleep(20);
    assert.equal(b.signing.kid, signing.kid);
    assert.ok(kids(b).includes(signing.kid));
  });

  it('stops reloading once closed', async () => {
    const a = await instance();
    const b = await instance({ reloadIntervalSeconds: 0.02 });
    const before = b.signing.kid;
    b.close();
    await a.rotate();
    await sleep(120);
    assert.equal(b.signing.kid, before, 'a closed ring no longer reads the store');
  });

  it('reloads at once for a token whose kid it does not know', async () => {
    const a = await instance();
    const b = await instance();
    const { signing } = await a.rotate();
    assert.equal(b.byKid(signing.kid), undefined, 'b has not reloaded yet');
    assert.equal((await b.verificationKey(signing.kid))?.kid, signing.kid);
    assert.equal(b.signing.kid, signing.kid, 'and signs with the new key from then on');
  });

  it('rate limits reloads for unknown kids, so junk kids cannot hammer the store', async () => {
    const counted = countingStore(store);
    const a = await instance();
    const b = await instance({ unknownKidReloadSeconds: 5 }, counted.store);
    const start = counted.reads();
    assert.equal(await b.verificationKey('no-such-kid'), undefined);
    assert.equal(counted.reads(), start + 1, 'the first unknown kid reloads');
    const junk = await Promise.all(Array.from({ length: 50 }, (_, i) => b.verificationKey(`junk-${i}`)));
    assert.ok(junk.every((k) => k === undefined));
    assert.equal(counted.reads(), start + 1, 'no further reload within 5 s');
    assert.equal(await b.verificationKey('not a kid at all!'), undefined);

    // A real new key is found once the limit has passed.
    const { signing } = await a.rotate();
    assert.equal(await b.verificationKey(signing.kid), undefined, 'still inside the 5 s');
    clock.advance(5);
    assert.equal((await b.verificationKey(signing.kid))?.kid, signing.kid);
    assert.equal(counted.reads(), start + 2);
  });

  it('shares one reload among concurrent unknown kids', async () => {
    const counted = countingStore(store);
    const b = await instance({}, counted.store);
    const start = counted.reads();
    await Promise.all(Array.from({ length: 20 }, () => b.verificationKey('unknown-kid-together')));
    assert.equal(counted.reads(), start + 1);
  });

  it('keeps its keys and reports the error when a background reload fails', async () => {
    let failing = false;
    const flaky: Store = { ...store, keys: { ...store.keys, list: () => (failing ? Promise.reject(new Error('database unreachable')) : store.keys.list()) } };
    const errors: string[] = [];
    const ring = await instance({ reloadIntervalSeconds: 0.02, onReloadError: (e) => errors.push(String(e)) }, flaky);
    const kid = ring.signing.kid;
    failing = true;
    for (let i = 0; i < 50 && errors.length === 0; i += 1) await sleep(20);
    assert.match(errors[0] ?? '', /database unreachable/);
    assert.equal(ring.signing.kid, kid);
    assert.ok(ring.byKid(kid));
  });
});

forEachStore('key ring, instances starting together', (kind) => {
  let store: Store;
  before(async () => {
    store = await kind.open();
  });
  after(() => store.close());

  it('two instances on an empty store converge on one signing key', async () => {
    const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    const [a, b] = await Promise.all([0, 1].map(() => KeyRing.load(store, SECRET, { clock, reloadIntervalSeconds: 0 })));
    assert.ok(a && b);
    try {
      await Promise.all([a.reload(), b.reload()]);
      assert.equal(a.signing.kid, b.signing.kid);
      const stored = await store.keys.list();
      assert.equal(stored.filter((k) => k.retiredAt === null).length, 1, 'one key signs');
      // Whatever either signed with still verifies at both.
      for (const k of stored) assert.ok(a.byKid(k.kid) && b.byKid(k.kid), k.kid);
    } finally {
      a.close();
      b.close();
    }
  });

  it('keeps the algorithm of the current key when rotating', async () => {
    const es = await kind.open();
    const ring = await KeyRing.load(es, SECRET, { alg: 'ES256', reloadIntervalSeconds: 0 });
    try {
      assert.equal(ring.signing.alg, 'ES256');
      const { signing } = await ring.rotate();
      assert.equal(signing.alg, 'ES256');
      assert.deepEqual(ring.jwks().keys.map((k) => k.kty), ['EC', 'EC']);
    } finally {
      ring.close();
      await es.close();
    }
  });
});
