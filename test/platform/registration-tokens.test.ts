// Initial access tokens on SQLite and PostgreSQL: made with a label, an expiry and a use limit,
// stored only as a hash, used up atomically (of racing uses exactly the allowed number succeed),
// refused once expired or revoked, and listed newest first.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ManualClock } from '../../src/oauth/clock.ts';
import type { OAuthContext } from '../../src/oauth/context.ts';
import { sha256Hex } from '../../src/oauth/secrets.ts';
import { RegistrationError } from '../../src/platform/apps.ts';
import { createInitialAccessToken, revokeInitialAccessToken, tokenState } from '../../src/platform/registration-tokens.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore } from '../helpers/stores.ts';

forEachStore('initial access tokens', (kind) => {
  let store: Store;
  let ctx: OAuthContext;
  const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
  before(async () => {
    store = await kind.open();
    ctx = { store, clock } as unknown as OAuthContext;
  });
  after(() => store.close());

  it('is shown once with its prefix and kept only as its hash', async () => {
    const { token, record } = await createInitialAccessToken({ label: 'CI pipeline', expiresInDays: 7, maxUses: 2 }, ctx);
    assert.match(token, /^ghiat_[A-Za-z0-9_-]{43}$/);
    assert.equal(record.label, 'CI pipeline');
    assert.equal(record.expiresAt?.toISOString(), '2030-01-08T00:00:00.000Z');
    assert.equal((await store.registrationTokens.findLive(token, clock.now())), undefined, 'the token itself is not what is stored');
    assert.equal((await store.registrationTokens.findLive(sha256Hex(token), clock.now()))?.id, record.id);
  });

  it('allows exactly its uses, even when they race', async () => {
    const { token } = await createInitialAccessToken({ maxUses: 3 }, ctx);
    const hash = sha256Hex(token);
    const uses = await Promise.all(Array.from({ length: 8 }, () => store.registrationTokens.use(hash, clock.now())));
    assert.equal(uses.filter(Boolean).length, 3);
    assert.equal(await store.registrationTokens.findLive(hash, clock.now()), undefined);
    const [record] = (await store.registrationTokens.list()).filter((t) => t.maxUses === 3);
    assert.ok(record);
    assert.equal(record.useCount, 3);
    assert.equal(tokenState(record, clock.now()), 'used up');
  });

  it('stops working when it expires or is revoked', async () => {
    const expiring = await createInitialAccessToken({ expiresInDays: 1 }, ctx);
    const revoked = await createInitialAccessToken({ label: 'leaked' }, ctx);
    assert.ok(await store.registrationTokens.use(sha256Hex(expiring.token), clock.now()));
    const later = new Date(clock.now().getTime() + 86_400_000);
    assert.equal(await store.registrationTokens.use(sha256Hex(expiring.token), later), undefined);
    assert.equal(tokenState(expiring.record, later), 'expired');

    await revokeInitialAccessToken(revoked.record.id, ctx);
    assert.equal(await store.registrationTokens.use(sha256Hex(revoked.token), clock.now()), undefined);
    await assert.rejects(revokeInitialAccessToken(revoked.record.id, ctx), /was revoked already/);
    await assert.rejects(revokeInitialAccessToken(999_999, ctx), /no registration token with id 999999/);
    const list = await store.registrationTokens.list();
    assert.equal(list[0]?.id, revoked.record.id, 'newest first');
    assert.equal(tokenState(list[0]!, clock.now()), 'revoked');
  });

  it('refuses bad limits without storing anything', async () => {
    const before = (await store.registrationTokens.list()).length;
    for (const input of [{ expiresInDays: 0 }, { expiresInDays: 1.5 }, { maxUses: 0 }, { maxUses: -1 }, { label: 'x'.repeat(201) }]) {
      await assert.rejects(createInitialAccessToken(input, ctx), RegistrationError);
    }
    assert.equal((await store.registrationTokens.list()).length, before);
  });
});
