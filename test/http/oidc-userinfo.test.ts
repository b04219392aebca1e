// OpenID Connect UserInfo: claims by scope for a token with openid, RFC 6750 errors otherwise.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { tokenFor } from '../helpers/tokens.ts';
import { mintAccessToken } from '../../src/oauth/access-token.ts';

forEachStore('OpenID Connect UserInfo', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  const userinfo = (token: string | undefined, init: RequestInit = {}) =>
    fetch(`${server.url}/oauth2/userinfo`, { ...init, headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), origin: 'http://localhost:4597', ...(init.headers as Record<string, string>) } });

  it('openid alone: sub and tenant only', async () => {
    const response = await userinfo(await tokenFor(server, 'openid'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { sub: String(server.user.id), tenant: server.tenant.slug });
  });

  it('profile and email add their claims, by GET and by POST', async () => {
    const token = await tokenFor(server, 'openid profile email');
    for (const method of ['GET', 'POST']) {
      const response = await userinfo(token, { method });
      assert.equal(response.status, 200, method);
      const body = (await response.json()) as Record<string, unknown>;
      const { user } = server;
      assert.equal(body.sub, String(user.id));
      assert.equal(body.preferred_username, user.username);
      assert.equal(body.given_name, user.firstName);
      assert.equal(body.family_name, user.lastName);
      assert.equal(body.name, `${user.firstName} ${user.lastName}`);
      assert.equal(body.zoneinfo, user.timezone);
      assert.equal(body.updated_at, Math.floor(user.updatedAt.getTime() / 1000));
      assert.equal(typeof body.locale, 'string');
      assert.equal(body.email, user.email);
      assert.equal(body.email_verified, false);
      assert.equal(body.tenant, server.tenant.slug);
    }
  });

  it('email without profile: no profile claims', async () => {
    const body = (await (await userinfo(await tokenFor(server, 'openid email'))).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['email', 'email_verified', 'sub', 'tenant']);
  });

  it('a token without openid is 403 insufficient_scope', async () => {
    const response = await userinfo(await tokenFor(server, 'profile'));
    assert.equal(response.status, 403);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="gatehouse", error="insufficient_scope".*scope="openid"/);
    assert.equal(((await response.json()) as { error: string }).error, 'insufficient_scope');
  });

  it('a token with openid for another resource is 401 invalid_token', async () => {
    const { user, tenant, backend } = server;
    const token = await mintAccessToken(
      { sub: String(user.id), username: user.username, tenant: tenant.slug, clientId: backend.clientId, appId: backend.app.id, scope: 'openid profile', familyId: 'f', audience: 'https://notes.example.com/api' },
      server.ctx,
    );
    const response = await userinfo(token);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('no token is 401 with a bare challenge; a bad token is 401 invalid_token; a token in the URL is 400', async () => {
    const none = await userinfo(undefined);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="gatehouse"');
    const bad = await userinfo('not-a-token');
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(((await bad.json()) as { error: string }).error, 'invalid_token');
    const inQuery = await fetch(`${server.url}/oauth2/userinfo?access_token=${await tokenFor(server, 'openid')}`);
    assert.equal(inQuery.status, 400);
    assert.equal(((await inQuery.json()) as { error: string }).error, 'invalid_request');
  });
});
