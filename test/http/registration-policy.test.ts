// GATEHOUSE_REGISTRATION on SQLite and PostgreSQL: `off` refuses with 403 and leaves the endpoint
// out of discovery; `token` needs a live initial access token, counts a use only for a valid
// request and stops at the token's limit; `open` is rate limited per address.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../../src/limits/rate-limiter.ts';
import { createInitialAccessToken, revokeInitialAccessToken } from '../../src/platform/registration-tokens.ts';
import { manage, register, type Registered } from '../helpers/registration.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

const PUBLIC = { client_name: 'CLI', redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'none' };
const discovery = async (server: TestServer) => (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
const dynamicCount = async (server: TestServer) => (await server.store.apps.listByRegistration('dynamic')).length;

forEachStore('registration policy', (kind) => {
  describe('off (the default)', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ store: kind.name });
    });
    after(() => server.close());

    it('refuses every registration with 403, and discovery does not offer it', async () => {
      assert.equal('registration_endpoint' in (await discovery(server)), false);
      const { token } = await createInitialAccessToken({}, server.ctx);
      for (const options of [{}, { token }]) {
        const refused = await register(server.url, PUBLIC, options);
        assert.equal(refused.status, 403);
        assert.equal(refused.body.error, 'access_denied');
        assert.match(String(refused.body.error_description), /turned off.*GATEHOUSE_REGISTRATION=off/);
      }
      assert.equal(await dynamicCount(server), 0);
    });
  });

  describe('token', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ store: kind.name, config: { registration: 'token' } });
    });
    after(() => server.close());

    it('needs an initial access token, and answers RFC 6750 challenges without one', async () => {
      assert.equal((await discovery(server)).registration_endpoint, `${server.url}/oauth2/register`);
      const missing = await register(server.url, PUBLIC);
      assert.equal(missing.status, 401);
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="gatehouse"');
      assert.equal(missing.body.error, 'invalid_token');
      assert.match(String(missing.body.error_description), /gatehouse registration-tokens create/);
      for (const token of ['ghiat_not-a-real-token', 'something-else', `ghreg_${'x'.repeat(43)}`]) {
        const wrong = await register(server.url, PUBLIC, { token });
        assert.equal(wrong.status, 401);
        assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="gatehouse", error="invalid_token"');
      }
      assert.equal(await dynamicCount(server), 0);
    });

    it('registers with a live token, uses it only for valid requests, and stops at its limit', async () => {
      const { token, record } = await createInitialAccessToken({ label: 'two clients', maxUses: 2 }, server.ctx);
      const bad = await register(server.url, { ...PUBLIC, redirect_uris: ['http://evil.example/cb'] }, { token });
      assert.equal(bad.status, 400);
      assert.equal((await server.store.registrationTokens.byId(record.id))?.useCount, 0, 'a bad request used nothing');
      const first = await register(server.url, PUBLIC, { token });
      assert.equal(first.status, 201, first.text);
      const second = await register(server.url, { ...PUBLIC, token_endpoint_auth_method: 'client_secret_basic' }, { token });
      assert.equal(second.status, 201, second.text);
      const third = await register(server.url, PUBLIC, { token });
      assert.equal(third.status, 401, 'used up');
      assert.equal((await server.store.registrationTokens.byId(record.id))?.useCount, 2);

      // The registration access token is not an initial access token, nor the other way round.
      const registered = first.body as Registered;
      assert.equal((await register(server.url, PUBLIC, { token: registered.registration_access_token })).status, 401);
      assert.equal((await manage(registered.registration_client_uri, 'GET', token)).status, 401);
      assert.equal((await manage(registered.registration_client_uri, 'GET', registered.registration_access_token)).status, 200);
    });

    it('refuses an expired or revoked token', async () => {
      const expiring = await createInitialAccessToken({ expiresInDays: 1 }, server.ctx);
      const revoked = await createInitialAccessToken({}, server.ctx);
      await revokeInitialAccessToken(revoked.record.id, server.ctx);
      assert.equal((await register(server.url, PUBLIC, { token: revoked.token })).status, 401);
      assert.equal((await register(server.url, PUBLIC, { token: expiring.token })).status, 201);
      server.clock.advance(86_400);
      assert.equal((await register(server.url, PUBLIC, { token: expiring.token })).status, 401);
    });
  });

  describe('open, with rate limits on', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ store: kind.name, config: { registration: 'open' }, rateLimits: true });
    });
    after(() => server.close());

    it(`lets an address register ${DEFAULT_LIMITS.registrationsPerIp.limit} clients an hour, then answers 429`, async () => {
      for (let i = 0; i < DEFAULT_LIMITS.registrationsPerIp.limit; i++) {
        const ok = await register(server.url, PUBLIC);
        assert.equal(ok.status, 201, `registration ${i + 1}: ${ok.text}`);
      }
      const limited = await register(server.url, PUBLIC);
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error, 'temporarily_unavailable');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal(limited.headers.get('access-control-allow-origin'), '*');
      assert.equal(await dynamicCount(server), DEFAULT_LIMITS.registrationsPerIp.limit);
      server.clock.advance(DEFAULT_LIMITS.registrationsPerIp.windowSeconds);
      assert.equal((await register(server.url, PUBLIC)).status, 201, 'the window passed');
    });
  });
});
