// Passkeys' verification rules (src/platform/passkeys/), with a software authenticator: what a
// registration and an assertion must match (challenge, origin, RP id, counter, owner), the amr a
// sign-in gets, and that every refusal leaves the stored passkeys as they were.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Passkey } from '../../src/domain/passkey.ts';
import type { User } from '../../src/domain/identity.ts';
import {
  PasskeyError,
  authenticationOptions,
  browserBinding,
  finishRegistration,
  passwordlessSignIn,
  registrationOptions,
  sessionBinding,
  verifyPasskeySecondFactor,
} from '../../src/platform/passkeys/index.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

const ORIGIN_OF = (server: TestServer) => server.url;
const refused = (pattern: RegExp) => (error: unknown) => error instanceof PasskeyError && pattern.test(error.message);

forEachStore('passkey ceremonies', (kind) => {
  let server: TestServer;
  let origin: string;
  let n = 0;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    origin = ORIGIN_OF(server);
  });
  after(() => server.close());

  /** Registers a new authenticator's passkey for the user through the session binding. */
  async function enrol(user: User, authenticator = new SoftAuthenticator(), name = 'Laptop'): Promise<{ authenticator: SoftAuthenticator; passkey: Passkey }> {
    const tenant = (await server.store.tenants.byId(user.tenantId))!;
    const binding = sessionBinding(`s${++n}`);
    const options = await registrationOptions(user, tenant, binding, server.ctx);
    const passkey = await finishRegistration({ user, binding, response: authenticator.register(options, { origin }) as never, name, hostTenant: undefined, origin: {} }, server.ctx);
    return { authenticator, passkey };
  }

  /** Asks for passwordless options and answers them with the authenticator (`tamper` changes the answer). */
  async function signInWith(authenticator: SoftAuthenticator, o: { origin?: string; rpId?: string; hostTenant?: string; counter?: number } = {}) {
    const binding = browserBinding(`b${++n}`);
    const options = await authenticationOptions(binding, server.ctx);
    const response = authenticator.assert(options.challenge, { origin: o.origin ?? origin, rpId: o.rpId ?? options.rpId, counter: o.counter });
    return passwordlessSignIn({ binding, response: response as never, hostTenant: o.hostTenant, origin: {} }, server.ctx);
  }

  it('registers a discoverable passkey, excludes it next time, and signs in with it alone: hwk, user, mfa', async () => {
    const { authenticator, passkey } = await enrol(server.user);
    assert.equal(passkey.name, 'Laptop');
    assert.equal(passkey.deviceType, 'singleDevice');
    const options = await registrationOptions(server.user, server.tenant, sessionBinding('again'), server.ctx);
    assert.equal(options.authenticatorSelection?.residentKey, 'required');
    assert.equal(options.authenticatorSelection?.userVerification, 'preferred');
    assert.equal(options.rp.id, 'localhost', "the RP id is PUBLIC_URL's hostname");
    assert.ok(options.excludeCredentials?.some((c) => c.id === passkey.credentialId), 'the passkey is not made twice');
    const signIn = await signInWith(authenticator);
    assert.equal(signIn.user.id, server.user.id);
    assert.deepEqual(signIn.amr, ['hwk', 'user', 'mfa']);
    const stored = await server.store.passkeys.byCredentialId(passkey.credentialId);
    assert.equal(stored?.signCount, 1);
    assert.ok(stored?.lastUsedAt);
    const events = await server.store.audit.list({ limit: 5 });
    assert.ok(events.some((e) => e.type === 'passkey_sign_in' && e.userId === server.user.id));
  });

  it('says swk for a synced passkey, and no mfa without user verification', async () => {
    const { authenticator } = await enrol(server.user, new SoftAuthenticator(true), 'Phone');
    assert.deepEqual((await signInWith(authenticator)).amr, ['swk', 'user', 'mfa']);
    const binding = browserBinding('no-uv');
    const options = await authenticationOptions(binding, server.ctx);
    const response = authenticator.assert(options.challenge, { origin, userVerified: false });
    assert.deepEqual((await passwordlessSignIn({ binding, response: response as never, hostTenant: undefined, origin: {} }, server.ctx)).amr, ['swk']);
  });

  it('refuses a used challenge, a response for another challenge and an expired one', async () => {
    const { authenticator, passkey } = await enrol(server.user);
    const binding = browserBinding('once');
    const options = await authenticationOptions(binding, server.ctx);
    const answer = authenticator.assert(options.challenge, { origin });
    await passwordlessSignIn({ binding, response: answer as never, hostTenant: undefined, origin: {} }, server.ctx);
    const again = authenticator.assert(options.challenge, { origin });
    await assert.rejects(passwordlessSignIn({ binding, response: again as never, hostTenant: undefined, origin: {} }, server.ctx), refused(/expired or was used/));
    await authenticationOptions(binding, server.ctx);
    const other = authenticator.assert(options.challenge, { origin });
    await assert.rejects(passwordlessSignIn({ binding, response: other as never, hostTenant: undefined, origin: {} }, server.ctx), refused(/challenge/i));
    const late = await authenticationOptions(binding, server.ctx);
    server.clock.advance(301_000);
    await assert.rejects(passwordlessSignIn({ binding, response: authenticator.assert(late.challenge, { origin }) as never, hostTenant: undefined, origin: {} }, server.ctx), refused(/expired/));
    assert.equal((await server.store.passkeys.byCredentialId(passkey.credentialId))?.signCount, 1, 'only the first answer counted');
  });

  it('refuses another origin and another RP id, changing nothing', async () => {
    const { authenticator, passkey } = await enrol(server.user);
    await assert.rejects(signInWith(authenticator, { origin: 'http://evil.example' }), refused(/origin/i));
    await assert.rejects(signInWith(authenticator, { rpId: 'evil.example' }), refused(/RP ID/i));
    await assert.rejects(signInWith(authenticator, { origin: origin.replace('localhost', 'globex.localhost') }), refused(/origin/i), 'a tenant host origin only on that host');
    assert.equal((await server.store.passkeys.byCredentialId(passkey.credentialId))?.signCount, 0);
    const events = await server.store.audit.list({ limit: 3 });
    assert.ok(events.every((e) => e.type === 'passkey_failed' && e.userId === server.user.id));
  });

  it('refuses another origin and RP id at registration', async () => {
    const binding = sessionBinding('reg-origin');
    for (const bad of [{ origin: 'http://evil.example' }, { origin, rpId: 'evil.example' }]) {
      const options = await registrationOptions(server.user, server.tenant, binding, server.ctx);
      const response = new SoftAuthenticator().register(options, bad);
      await assert.rejects(finishRegistration({ user: server.user, binding, response: response as never, name: '', hostTenant: undefined, origin: {} }, server.ctx), refused(/could not be verified/));
    }
    const before = (await server.store.passkeys.listForUser(server.user.id)).length;
    await assert.rejects(finishRegistration({ user: server.user, binding, response: new SoftAuthenticator().register({ challenge: 'x', rp: {}, user: { id: 'x' } }, { origin }) as never, name: '', hostTenant: undefined, origin: {} }, server.ctx), refused(/expired/));
    assert.equal((await server.store.passkeys.listForUser(server.user.id)).length, before);
  });

  it('refuses a replayed or lower counter; allows a counter that stays 0', async () => {
    const { authenticator } = await enrol(server.user);
    await signInWith(authenticator, { counter: 5 });
    await assert.rejects(signInWith(authenticator, { counter: 5 }), refused(/counter/));
    await assert.rejects(signInWith(authenticator, { counter: 3 }), refused(/counter/));
    const fresh = (await enrol(server.user)).authenticator;
    await signInWith(fresh, { counter: 0 });
    await signInWith(fresh, { counter: 0 });
  });

  it('refuses an unknown credential, a user of another tenant on a tenant host, and a disabled user', async () => {
    await assert.rejects(signInWith(new SoftAuthenticator()), refused(/not registered/));
    const { authenticator } = await enrol(server.otherUser);
    await assert.rejects(signInWith(authenticator, { hostTenant: 'acme', origin: origin.replace('localhost', 'acme.localhost') }), refused(/not for an account of acme/));
    assert.equal((await signInWith(authenticator, { hostTenant: 'globex', origin: origin.replace('localhost', 'globex.localhost') })).tenant.slug, 'globex');
    await server.store.users.update(server.otherUser.id, { disabled: true }, new Date());
    await assert.rejects(signInWith(authenticator), refused(/disabled/));
    await server.store.users.update(server.otherUser.id, { disabled: false }, new Date());
  });

  it("as a second factor: the user's own passkey gives pwd, hwk, user, mfa; another user's is refused", async () => {
    const mine = (await enrol(server.user)).authenticator;
    const theirs = (await enrol(server.otherUser)).authenticator;
    const binding = browserBinding('second');
    let options = await authenticationOptions(binding, server.ctx, server.user);
    assert.ok(options.allowCredentials?.some((c) => c.id === mine.id), "the user's credentials are listed");
    await assert.rejects(
      verifyPasskeySecondFactor(server.user, { binding, response: theirs.assert(options.challenge, { origin }) as never, hostTenant: undefined, origin: {} }, server.ctx),
      refused(/someone else/),
    );
    options = await authenticationOptions(binding, server.ctx, server.user);
    const result = await verifyPasskeySecondFactor(server.user, { binding, response: mine.assert(options.challenge, { origin }) as never, hostTenant: undefined, origin: {} }, server.ctx);
    assert.deepEqual(result.amr, ['pwd', 'hwk', 'user', 'mfa']);
    // A second factor's challenge is not a passwordless one, and the other way round.
    const forJane = await authenticationOptions(binding, server.ctx, server.user);
    await assert.rejects(passwordlessSignIn({ binding, response: mine.assert(forJane.challenge, { origin }) as never, hostTenant: undefined, origin: {} }, server.ctx), refused(/expired/));
    const open = await authenticationOptions(binding, server.ctx);
    await assert.rejects(verifyPasskeySecondFactor(server.user, { binding, response: mine.assert(open.challenge, { origin }) as never, hostTenant: undefined, origin: {} }, server.ctx), refused(/expired/));
  });

  it('prunes challenges nobody answered, and only those', async () => {
    const now = server.clock.now();
    await server.store.webauthnChallenges.put({ binding: 'browser:old', purpose: 'authentication', challenge: 'c1', userId: null, expiresAt: new Date(now.getTime() - 1) });
    await server.store.webauthnChallenges.put({ binding: 'browser:new', purpose: 'authentication', challenge: 'c2', userId: null, expiresAt: new Date(now.getTime() + 60_000) });
    assert.ok((await server.store.webauthnChallenges.prune(now)) >= 1);
    assert.equal(await server.store.webauthnChallenges.take('browser:old', 'authentication', now), undefined);
    assert.equal((await server.store.webauthnChallenges.take('browser:new', 'authentication', now))?.challenge, 'c2');
  });

  it('refuses registering one credential twice', async () => {
    const { authenticator } = await enrol(server.user);
    await assert.rejects(enrol(server.user, authenticator), refused(/registered already/));
  });
});
