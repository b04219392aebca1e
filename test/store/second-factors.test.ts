// The store's second factors: a TOTP step is accepted once and only later steps after it, also
// when two requests race with the same code; a recovery code works once; a pending sign-in is
// taken once and not after it expired.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount } from '../helpers/stores.ts';

const NOW = new Date('2030-01-01T00:00:00Z');

forEachStore('store: second factors', (kind) => {
  let store: Store;
  let userId: number;
  let tenantId: number;
  before(async () => {
    store = await kind.open();
    const account = await seedAccount(store);
    userId = account.user.id;
    tenantId = account.tenant.id;
  });
  after(() => store.close());

  it('keeps an enrolment pending until confirmed, then guards against replays, also in a race', async () => {
    await store.secondFactors.startTotp(userId, 'sealed-1');
    assert.equal(await store.secondFactors.useTotpStep(userId, 100), false, 'no confirmed TOTP yet');
    assert.equal(await store.secondFactors.confirmTotp(userId, 'sealed-other', 100, NOW), false, 'only the pending secret');
    assert.equal(await store.secondFactors.confirmTotp(userId, 'sealed-1', 100, NOW), true);
    const totp = await store.secondFactors.totp(userId);
    assert.deepEqual(totp, { userId, secretSealed: 'sealed-1', pendingSealed: null, confirmedAt: NOW, lastUsedStep: 100 });
    assert.equal(await store.secondFactors.useTotpStep(userId, 100), false, 'the confirming step is used');
    assert.equal(await store.secondFactors.useTotpStep(userId, 99), false, 'an earlier step');
    const raced = await Promise.all([store.secondFactors.useTotpStep(userId, 101), store.secondFactors.useTotpStep(userId, 101)]);
    assert.deepEqual(raced.sort(), [false, true], 'of two racing uses of one step, one wins');
    await store.secondFactors.startTotp(userId, 'sealed-2');
    assert.equal((await store.secondFactors.totp(userId))?.secretSealed, 'sealed-1', 'a new enrolment leaves the confirmed secret until it is confirmed');
  });

  it('uses a recovery code once, and replacing them voids the old ones', async () => {
    await store.secondFactors.replaceRecoveryCodes(userId, ['a'.repeat(64), 'b'.repeat(64)], NOW);
    assert.equal(await store.secondFactors.recoveryCodesLeft(userId), 2);
    const raced = await Promise.all([store.secondFactors.useRecoveryCode(userId, 'a'.repeat(64), NOW), store.secondFactors.useRecoveryCode(userId, 'a'.repeat(64), NOW)]);
    assert.deepEqual(raced.sort(), [false, true]);
    assert.equal(await store.secondFactors.recoveryCodesLeft(userId), 1);
    await store.secondFactors.replaceRecoveryCodes(userId, ['c'.repeat(64)], NOW);
    assert.equal(await store.secondFactors.useRecoveryCode(userId, 'b'.repeat(64), NOW), false, 'an old code died');
    assert.equal(await store.secondFactors.removeTotp(userId), true);
    assert.equal(await store.secondFactors.recoveryCodesLeft(userId), 0, 'removing the TOTP takes the codes');
    assert.equal(await store.secondFactors.totp(userId), undefined);
  });

  it('takes a pending sign-in once, counts failures, and not after it expired', async () => {
    const expiresAt = new Date(NOW.getTime() + 300_000);
    await store.pendingSignIns.create({ idHash: 'p'.repeat(64), tenantId, userId, returnTo: '/console', expiresAt }, NOW);
    assert.equal(await store.pendingSignIns.countFailure('p'.repeat(64), NOW), 1);
    assert.equal((await store.pendingSignIns.byIdHash('p'.repeat(64), NOW))?.attempts, 1);
    const raced = await Promise.all([store.pendingSignIns.take('p'.repeat(64), NOW), store.pendingSignIns.take('p'.repeat(64), NOW)]);
    assert.equal(raced.filter(Boolean).length, 1);
    await store.pendingSignIns.create({ idHash: 'q'.repeat(64), tenantId, userId, returnTo: '/', expiresAt }, NOW);
    assert.equal(await store.pendingSignIns.byIdHash('q'.repeat(64), expiresAt), undefined, 'expired');
    assert.equal(await store.pendingSignIns.take('q'.repeat(64), expiresAt), undefined);
  });
});
