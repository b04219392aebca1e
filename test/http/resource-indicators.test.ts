// RFC 8707 resource indicators: an app asks for tokens for a registered resource server (not only
// the built-in API), each access token is bound to one resource (`aud`, its scopes, its lifetime),
// and every rule about `resource` holds at the authorization and token endpoints.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResourceServer } from '../../src/domain/resource-server.ts';
import { deleteResource, registerResource } from '../../src/platform/resources.ts';
import { authorizeQuery, Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';

const NOTES = 'https://notes.example.com/api';
const BILLING = 'https://billing.example.com';
const JANE = { tenant: 'acme', username: 'jane', password: PASSWORD };
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

forEachStore('resource indicators (RFC 8707)', (kind) => {
  let server: TestServer;
  let notes: { resource: ResourceServer; clientSecret: string };
  let billing: { resource: ResourceServer; clientSecret: string };
  before(async () => {
    server = await startTestServer({ store: kind.name });
    notes = await registerResource(
      {
        identifier: NOTES,
        name: 'Notes',
        description: 'Your notes',
        scopes: [
          { kind: 'family', name: 'notes', noun: 'Notes' },
          { kind: 'plain', name: 'notes.export', description: 'Export all your notes as a file' },
        ],
        accessTokenLifetime: 600,
      },
      {},
      server.ctx,
    );
    billing = await registerResource({ identifier: BILLING, name: 'Billing', scopes: [{ kind: 'family', name: 'invoices', noun: 'Invoices' }] }, {}, server.ctx);
  });
  after(() => server.close());

  /** Authorizes the backend app as jane (consenting when asked) with these extra parameters; the redirect's URL. */
  async function authorize(scope: string, resources: string[], browser = new Browserless(server.url)): Promise<URL> {
    const query = new URLSearchParams(authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope, state: 's' }));
    for (const resource of resources) query.append('resource', resource);
    const { location, response } = await browser.authorize(query.toString(), JANE);
    assert.ok(location, `a redirect (status ${response.status})`);
    return location;
  }

  const redeem = (code: string, extra: Record<string, string> = {}) =>
    postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: server.backend.clientId, client_secret: server.backend.clientSecret, ...extra });
  const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
    postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: server.backend.clientId, client_secret: server.backend.clientSecret, ...extra });
  const introspect = (token: string, id: string, secret: string) => postForm(`${server.url}/oauth2/introspect`, { token }, { authorization: basicAuth(id, secret) });
  const codeOf = (location: URL) => {
    const code = location.searchParams.get('code');
    assert.ok(code, `a code, not ${location.searchParams.get('error')}: ${location.searchParams.get('error_description')}`);
    return code;
  };

  it('mints a token for the named resource: its aud, its scopes, its lifetime; the built-in API refuses it', async () => {
    const response = await redeem(codeOf(await authorize('notes:w notes.export', [NOTES])));
    assert.equal(response.status, 200);
    assert.equal(response.body.scope, 'notes:w notes.export');
    assert.equal(response.body.expires_in, 600);
    const token = String(response.body.access_token);
    const claims = claimsOf(token);
    assert.equal(claims.aud, NOTES);
    assert.equal(claims.scope, 'notes:w notes.export');
    assert.equal(Number(claims.exp) - Number(claims.iat), 600);

    const api = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.status, 401, 'a token for another resource is not the built-in API\'s');
    assert.match(api.headers.get('www-authenticate') ?? '', /error="invalid_token"/);

    const info = await postForm(tokenInfoUrl(server.url), { token });
    assert.equal(info.body.active, true);
    assert.equal(info.body.aud, NOTES);
    assert.equal((await introspect(token, notes.resource.clientId, notes.clientSecret)).body.aud, NOTES, 'the resource introspects its own tokens');
    assert.equal((await introspect(token, server.backend.clientId, server.backend.clientSecret)).body.active, true, 'and the client its own');
    assert.deepEqual((await introspect(token, billing.resource.clientId, billing.clientSecret)).body, { active: false }, 'another resource learns nothing');
    assert.equal((await introspect(token, notes.resource.clientId, 'f'.repeat(64))).status, 401, 'a wrong resource secret is invalid_client');
  });

  it('keeps ilert\'s behaviour without `resource`: the built-in API, its scopes, 3600 seconds', async () => {
    const response = await redeem(codeOf(await authorize('profile offline_access', [])));
    assert.equal(response.body.scope, 'profile offline_access');
    assert.equal(response.body.expires_in, 3600);
    assert.equal(claimsOf(String(response.body.access_token)).aud, `${server.url}/api`);
    const introspected = await introspect(String(response.body.access_token), notes.resource.clientId, notes.clientSecret);
    assert.deepEqual(introspected.body, { active: false }, 'the notes API cannot introspect the built-in API\'s tokens');
  });

  it('answers bad `resource` values with invalid_target, and scopes of another resource with invalid_scope naming them', async () => {
    const cases: [string, string[], string, RegExp][] = [
      ['notes', ['https://unknown.example.com'], 'invalid_target', /No resource "https:\/\/unknown\.example\.com" is registered/],
      ['notes', ['/relative/path'], 'invalid_target', /absolute URI/],
      ['notes', [`${NOTES}#part`], 'invalid_target', /fragment/],
      ['notes', [`${NOTES}/${'x'.repeat(10_000)}`], 'invalid_target', /longer than/],
      ['profile', [NOTES], 'invalid_scope', /profile is not a scope of Notes/],
      ['notes invoices', [NOTES], 'invalid_scope', /invoices/],
      ['notes', [NOTES, BILLING], 'invalid_scope', /No scope of Billing/],
    ];
    // Signed in first: a sign-in page could not carry a 10 kB request back (return_to is bounded).
    const browser = new Browserless(server.url);
    await browser.signIn(JANE.tenant, JANE.username, JANE.password);
    for (const [scope, resources, error, description] of cases) {
      const location = await authorize(scope, resources, browser);
      assert.equal(location.searchParams.get('error'), error, `${scope} ${resources.join(' ').slice(0, 80)}`);
      assert.match(location.searchParams.get('error_description') ?? '', description);
      assert.equal(location.searchParams.get('state'), 's');
      assert.equal(location.searchParams.get('iss'), server.url);
    }
  });

  it('grants several resources at once: the consent page groups them, each token request names one', async () => {
    const browser = new Browserless(server.url);
    await browser.signIn(JANE.tenant, JANE.username, JANE.password);
    const query = new URLSearchParams(authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'source notes offline_access', state: 's' }));
    query.append('resource', `${server.url}/api`);
    query.append('resource', NOTES);
    const page = await (await browser.request(`/api/developers/oauth2/authorize?${query.toString()}`)).text();
    assert.match(page, /On <strong>Gatehouse API[^<]*<\/strong>/);
    assert.match(page, /On <strong>Notes<\/strong> <span class="muted small">https:\/\/notes\.example\.com\/api<\/span>/);
    assert.match(page, /See <strong>Notes<\/strong> in your name/);
    assert.match(page, /See <strong>Alert sources<\/strong> in your name/);
    assert.equal([...page.matchAll(/name="resource"/g)].length, 2, 'both resources go back with the decision');

    const code = codeOf((await browser.authorize(query.toString(), JANE)).location ?? new URL('http://x'));
    const first = await redeem(code);
    assert.equal(first.status, 200);
    assert.equal(claimsOf(String(first.body.access_token)).aud, `${server.url}/api`, 'no resource: the app\'s default, the built-in API');
    assert.equal(first.body.scope, 'source offline_access');
    const refreshToken = String(first.body.refresh_token);

    const forNotes = await refresh(refreshToken, { resource: NOTES });
    assert.equal(forNotes.status, 200);
    assert.equal(claimsOf(String(forNotes.body.access_token)).aud, NOTES);
    assert.equal(forNotes.body.scope, 'notes offline_access');
    assert.equal(forNotes.body.expires_in, 600);

    const notGranted = await refresh(refreshToken, { resource: BILLING });
    assert.equal(notGranted.status, 400);
    assert.equal(notGranted.body.error, 'invalid_target');
    const wrongScope = await refresh(refreshToken, { resource: NOTES, scope: 'source' });
    assert.equal(wrongScope.body.error, 'invalid_scope');
    const narrowed = await refresh(refreshToken, { resource: `${server.url}/api`, scope: 'source' });
    assert.equal(narrowed.body.scope, 'source');

    const twice = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: server.backend.clientId, client_secret: server.backend.clientSecret, resource: NOTES } as Record<string, string>, {});
    assert.equal(twice.status, 200);
    const repeated = await fetch(tokenUrl(server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) },
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}&resource=${encodeURIComponent(NOTES)}&resource=${encodeURIComponent(`${server.url}/api`)}`,
    });
    assert.equal(repeated.status, 400);
    assert.equal(((await repeated.json()) as { error: string }).error, 'invalid_target', 'one resource per token request');
  });

  it('redeems a code for the resource the token request names, never one the code was not granted', async () => {
    const browser = new Browserless(server.url);
    const notGranted = await redeem(codeOf(await authorize('notes', [NOTES], browser)), { resource: `${server.url}/api` });
    assert.equal(notGranted.status, 400);
    assert.equal(notGranted.body.error, 'invalid_target');
    const named = await redeem(codeOf(await authorize('notes', [NOTES], browser)), { resource: NOTES });
    assert.equal(claimsOf(String(named.body.access_token)).aud, NOTES);
  });

  it('remembers consent per resource: a new level or another resource asks again', async () => {
    const browser = new Browserless(server.url);
    await browser.signIn(JANE.tenant, JANE.username, JANE.password);
    const pageFor = async (scope: string, resource: string) => {
      const query = new URLSearchParams(authorizeQuery({ client_id: server.webapp.clientId, response_type: 'code', redirect_uri: 'http://localhost:4597/webapp', scope, state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }));
      query.append('resource', resource);
      const response = await browser.request(`/api/developers/oauth2/authorize?${query.toString()}`);
      return response.status === 200 ? 'consent' : 'redirect';
    };
    assert.equal(await pageFor('notes', NOTES), 'consent');
    await browser.authorize(
      new URLSearchParams({ client_id: server.webapp.clientId, response_type: 'code', redirect_uri: 'http://localhost:4597/webapp', scope: 'notes', state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', resource: NOTES }).toString(),
      JANE,
    );
    assert.equal(await pageFor('notes', NOTES), 'redirect', 'granted: no consent page');
    assert.equal(await pageFor('notes:w', NOTES), 'consent', 'a higher level asks again');
    assert.equal(await pageFor('invoices', BILLING), 'consent', 'another resource asks again');
    const connections = await (await browser.request('/console/connections')).text();
    assert.match(connections, /On Notes <span class="muted small">https:\/\/notes\.example\.com\/api<\/span>/, 'the connections page names the resource');
    assert.match(connections, /See <strong>Notes<\/strong>/);
  });

  it('uses the app\'s default resource when the request names none', async () => {
    await server.store.apps.update(server.webapp.app.id, { defaultResourceId: billing.resource.id }, new Date());
    try {
      const query = new URLSearchParams({ client_id: server.webapp.clientId, response_type: 'code', redirect_uri: 'http://localhost:4597/webapp', scope: 'invoices', state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
      const { location } = await new Browserless(server.url).authorize(query.toString(), JANE);
      const code = codeOf(location ?? new URL('http://x'));
      const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: server.webapp.clientId, code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' });
      assert.equal(token.status, 200, JSON.stringify(token.body));
      assert.equal(claimsOf(String(token.body.access_token)).aud, BILLING);
    } finally {
      await server.store.apps.update(server.webapp.app.id, { defaultResourceId: null }, new Date());
    }
  });

  describe('deleting a resource', () => {
    it('ends its tokens everywhere: token_info, introspection and refresh', async () => {
      const doomed = await registerResource({ identifier: 'https://doomed.example.com', name: 'Doomed', scopes: [{ kind: 'plain', name: 'read', description: 'Read things' }] }, {}, server.ctx);
      const response = await redeem(codeOf(await authorize('read offline_access', ['https://doomed.example.com'])));
      const token = String(response.body.access_token);
      assert.equal((await postForm(tokenInfoUrl(server.url), { token })).body.active, true);
      const { revokedFamilies } = await deleteResource(doomed.resource, {}, server.ctx);
      assert.equal(revokedFamilies, 1);
      assert.deepEqual((await postForm(tokenInfoUrl(server.url), { token })).body, { active: false });
      assert.deepEqual((await introspect(token, server.backend.clientId, server.backend.clientSecret)).body, { active: false });
      assert.equal((await refresh(String(response.body.refresh_token))).body.error, 'invalid_grant');
      const again = await authorize('read', ['https://doomed.example.com']);
      assert.equal(again.searchParams.get('error'), 'invalid_target');
    });
  });
});
