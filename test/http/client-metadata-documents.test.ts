// Client ID metadata documents over HTTP, on both stores: a public client whose client_id is the
// URL of a document served on loopback (GATEHOUSE_CIMD_ALLOW_LOOPBACK) signs a user in with PKCE,
// redeems the code and refreshes, driven by oauth4webapi; consent shows where the client lives;
// and every bad document is refused at authorize (an error page) and at the token endpoint
// (invalid_client), storing nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { clientDocument, startDocumentServer, type DocumentServer } from '../helpers/document-server.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { submit } from '../console/console-client.ts';

const REDIRECT = 'http://127.0.0.1:7777/callback';
const insecure = { [oauth.allowInsecureRequests]: true };
const account = { tenant: 'acme', username: 'jane', password: PASSWORD };
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

let paths = 0;
const nextPath = (name: string) => `/${name}-${++paths}.json`;

function authorizeParams(clientId: string, extra: Record<string, string> = {}) {
  return authorizeQuery({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'profile offline_access', state: 's1', code_challenge: challenge, code_challenge_method: 'S256', ...extra });
}

forEachStore('client ID metadata documents', (kind) => {
  let server: TestServer;
  let docs: DocumentServer;
  let browser: Browserless;
  before(async () => {
    server = await startTestServer({ store: kind.name, config: { cimdAllowLoopback: true } });
    docs = await startDocumentServer();
    browser = new Browserless(server.url);
    await browser.signIn('acme', 'jane', PASSWORD);
  });
  after(async () => {
    await docs.close();
    await server.close();
  });

  /** The authorize page for this client, signed in as jane. */
  async function authorizePage(clientId: string, extra: Record<string, string> = {}) {
    const response = await browser.request(`/api/developers/oauth2/authorize?${authorizeParams(clientId, extra)}`);
    return { status: response.status, html: await response.text(), location: response.headers.get('location') };
  }

  /** A refusal everywhere, and nothing stored for the client. */
  async function assertRefused(clientId: string, reason: RegExp) {
    const page = await authorizePage(clientId);
    assert.equal(page.status, 400, 'authorize shows an error page (there is no trusted redirect URI)');
    assert.match(page.html, /This app cannot sign you in/);
    assert.match(page.html.replace(/&#39;/g, "'").replace(/&quot;/g, '"'), reason);
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: clientId, code: 'ghc_nothing', code_verifier: 'x'.repeat(43) });
    assert.equal(token.status, 401);
    assert.equal(token.body.error, 'invalid_client');
    assert.match(String(token.body.error_description), reason);
    assert.equal(await server.store.apps.byClientId(clientId), undefined, 'nothing was stored');
  }

  it('advertises client_id_metadata_document_supported', async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(metadata.client_id_metadata_document_supported, true);
  });

  it('lets a public client known by its document authorize with PKCE, redeem the code and refresh (oauth4webapi)', async () => {
    const clientId = docs.url(nextPath('agent'));
    docs.serve(new URL(clientId).pathname, { body: clientDocument(clientId, { client_name: 'Agent Smith', client_uri: 'https://agent.example.com' }), headers: { 'cache-control': 'max-age=600' } });
    const issuer = new URL(server.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    const client: oauth.Client = { client_id: clientId, token_endpoint_auth_method: 'none' };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const query = authorizeQuery({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'profile offline_access', state, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const user = new Browserless(server.url);
    const { location } = await user.authorize(query, account);
    assert.ok(location, 'redirected back to the client');
    const params = oauth.validateAuthResponse(as, client, location, state);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, REDIRECT, verifier, insecure));
    assert.equal(tokens.scope, 'profile offline_access');
    assert.ok(tokens.refresh_token);
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 200, 'the access token works on the API');

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, insecure));
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'the refresh token rotates');

    const app = await server.store.apps.byClientId(clientId);
    assert.ok(app);
    assert.equal(app.registration, 'metadata_document');
    assert.equal(app.tenantId, null);
    assert.equal(app.clientSecretHash, null);
    assert.equal(app.name, 'Agent Smith');
    assert.deepEqual(app.redirectUris, [REDIRECT]);
    assert.equal(app.tokenEndpointAuthMethod, 'none');
    assert.deepEqual(app.clientMetadata, { clientUri: 'https://agent.example.com' });
    assert.equal(docs.hits(new URL(clientId).pathname), 1, 'fetched once, then served from the cache');

    // The user's connections page lists it like any app, and revoking it there ends its tokens.
    const connections = await (await user.request('/console/connections')).text();
    assert.match(connections, /Agent Smith/);
    const revoked = await submit(user, `/console/connections/${app.id}/revoke`, `/console/connections/${app.id}/revoke`);
    assert.equal(revoked.status, 303);
    const afterRevoke = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshed.refresh_token });
    assert.equal(afterRevoke.body.error, 'invalid_grant');
  });

  it('shows on consent which host the client lives on, unverified, with a warning for localhost-only redirect URIs', async () => {
    const clientId = docs.url(nextPath('consent'));
    docs.serve(new URL(clientId).pathname, { body: clientDocument(clientId, { client_name: 'Helpful Agent' }) });
    const page = await authorizePage(clientId);
    assert.equal(page.status, 200);
    const host = new URL(clientId).host;
    assert.match(page.html, new RegExp(`<strong>${host.replace(/\./g, '\\.')}</strong> says it is <strong>Helpful Agent</strong>`));
    assert.match(page.html, /Not verified/);
    assert.match(page.html, /send you back to a program on this computer/);

    const webClient = docs.url(nextPath('web'));
    docs.serve(new URL(webClient).pathname, { body: clientDocument(webClient, { redirect_uris: ['https://agent.example.com/cb', REDIRECT] }) });
    const webPage = await authorizePage(webClient);
    assert.equal(webPage.status, 200);
    assert.doesNotMatch(webPage.html, /program on this computer/, 'no warning when one redirect URI is not local');
  });

  it('accepts only a redirect_uri the document lists, exactly (not even another loopback port)', async () => {
    const clientId = docs.url(nextPath('exact'));
    docs.serve(new URL(clientId).pathname, { body: clientDocument(clientId) });
    const otherPort = await authorizePage(clientId, { redirect_uri: 'http://127.0.0.1:7778/callback' });
    assert.equal(otherPort.status, 400);
    assert.match(otherPort.html, /not one of the redirect URLs registered/);
  });

  it('refuses bad documents at authorize and at the token endpoint, storing nothing', async () => {
    const cases: [string, (id: string) => Parameters<DocumentServer['serve']>[1], RegExp][] = [
      ['not-json', () => ({ body: '<h1>hi</h1>', headers: { 'content-type': 'text/html' } }), /it is not JSON/],
      ['too-large', (id) => ({ body: clientDocument(id, { padding: 'x'.repeat(6000) }) }), /larger than 5120 bytes/],
      ['redirecting', () => ({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }), /redirects are not followed/],
      ['other-id', (id) => ({ body: clientDocument(`${id}x`) }), /must be exactly the URL it was fetched from/],
      ['secret', (id) => ({ body: clientDocument(id, { client_secret: 'hunter2' }) }), /client_secret must not appear/],
      ['bad-redirect', (id) => ({ body: clientDocument(id, { redirect_uris: ['javascript:alert(1)'] }) }), /redirect_uris: javascript:alert\(1\)/],
      ['no-redirect', (id) => ({ body: clientDocument(id, { redirect_uris: undefined }) }), /redirect_uris is required/],
      ['shared-secret-method', (id) => ({ body: clientDocument(id, { token_endpoint_auth_method: 'client_secret_post' }) }), /must be none or private_key_jwt/],
      ['missing', () => ({ status: 404, body: { error: 'not found' } }), /it answered HTTP 404/],
    ];
    for (const [name, answer, reason] of cases) {
      const clientId = docs.url(nextPath(name));
      docs.serve(new URL(clientId).pathname, answer(clientId));
      await assertRefused(clientId, reason);
    }
  });

  it('gives up on a slow document host after 3 seconds', { timeout: 20_000 }, async () => {
    const clientId = docs.url(nextPath('slow'));
    docs.serve(new URL(clientId).pathname, { hang: true });
    const started = Date.now();
    await assertRefused(clientId, /no answer within 3000 ms/);
    assert.ok(Date.now() - started < 9000);
  });

  it('honours the cache, then refetches after max-age and applies the change to the app', async () => {
    const clientId = docs.url(nextPath('changing'));
    const path = new URL(clientId).pathname;
    docs.serve(path, { body: clientDocument(clientId, { client_name: 'Version One' }), headers: { 'cache-control': 'max-age=120' } });
    assert.match((await authorizePage(clientId)).html, /says it is <strong>Version One<\/strong>/);
    docs.serve(path, { body: clientDocument(clientId, { client_name: 'Version Two', redirect_uris: ['http://127.0.0.1:9999/new'] }), headers: { 'cache-control': 'max-age=120' } });
    assert.match((await authorizePage(clientId)).html, /says it is <strong>Version One<\/strong>/, 'within max-age the cached document holds');
    assert.equal(docs.hits(path), 1);
    server.clock.advance(121);
    const changed = await authorizePage(clientId);
    assert.equal(changed.status, 400, 'the old redirect URI is gone from the new document');
    assert.match((await authorizePage(clientId, { redirect_uri: 'http://127.0.0.1:9999/new' })).html, /says it is <strong>Version Two<\/strong>/);
    const app = await server.store.apps.byClientId(clientId);
    assert.equal(app?.name, 'Version Two');
    assert.deepEqual(app?.redirectUris, ['http://127.0.0.1:9999/new']);
  });

  it('serves a stale copy while the host fails, within an hour past expiry; without a copy it refuses', async () => {
    const clientId = docs.url(nextPath('flaky'));
    const path = new URL(clientId).pathname;
    docs.serve(path, { body: clientDocument(clientId, { client_name: 'Flaky' }) });
    assert.equal((await authorizePage(clientId)).status, 200);
    docs.serve(path, { status: 503, body: { error: 'down' } });
    server.clock.advance(61);
    assert.match((await authorizePage(clientId)).html, /says it is <strong>Flaky<\/strong>/, 'the stale copy is used');
    server.clock.advance(3700);
    const gone = await authorizePage(clientId);
    assert.equal(gone.status, 400);
    assert.match(gone.html, /it answered HTTP 503/);

    const never = docs.url(nextPath('never-up'));
    docs.serve(new URL(never).pathname, { status: 503, body: { error: 'down' } });
    await assertRefused(never, /it answered HTTP 503/);
  });

  it('refuses a client secret sent by a document client, and redeems a code without PKCE only with a secret it cannot have', async () => {
    const clientId = docs.url(nextPath('public'));
    docs.serve(new URL(clientId).pathname, { body: clientDocument(clientId) });
    const code = await new Browserless(server.url).authorizeCode(authorizeQuery({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'profile', state: 's' }), account);
    const withSecret = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: clientId, client_secret: 'guess', code });
    assert.equal(withSecret.status, 401);
    assert.equal(withSecret.body.error, 'invalid_client');
    const withoutPkce = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: clientId, code });
    assert.equal(withoutPkce.status, 401);
    assert.equal(withoutPkce.body.error, 'invalid_client');
    assert.match(String(withoutPkce.body.error_description), /client_secret is required when the authorization request used no PKCE/);
  });
});

describe('client ID metadata documents without the development setting', () => {
  let server: TestServer;
  let docs: DocumentServer;
  before(async () => {
    server = await startTestServer();
    docs = await startDocumentServer();
    await new Browserless(server.url).signIn('acme', 'jane', PASSWORD);
  });
  after(async () => {
    await docs.close();
    await server.close();
  });

  async function refusedAt(clientId: string, reason: RegExp) {
    const page = await new Browserless(server.url).request(`/api/developers/oauth2/authorize?${authorizeParams(clientId)}`);
    assert.equal(page.status, 400);
    assert.match(await page.text(), reason);
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: clientId, code: 'ghc_x', code_verifier: 'x'.repeat(43) });
    assert.equal(token.status, 401);
    assert.equal(token.body.error, 'invalid_client');
    assert.match(String(token.body.error_description), reason);
    assert.equal(await server.store.apps.byClientId(clientId), undefined);
  }

  it('refuses http://localhost and http://127.0.0.1 client ids', async () => {
    const clientId = docs.url('/agent.json');
    docs.serve('/agent.json', { body: clientDocument(clientId) });
    await refusedAt(clientId, /it must use https/);
    await refusedAt(clientId.replace('127.0.0.1', 'localhost'), /it must use https/);
    assert.equal(docs.hits('/agent.json'), 0);
  });

  it('refuses documents on private, link-local and loopback addresses before connecting', async () => {
    await refusedAt('https://169.254.169.254/latest/meta-data/client.json', /169\.254\.169\.254, a link-local address/);
    await refusedAt('https://10.0.0.1/client.json', /10\.0\.0\.1, a private address/);
    await refusedAt('https://127.0.0.1/client.json', /127\.0\.0\.1, a loopback address/);
    await refusedAt('https://[::ffff:7f00:1]/client.json', /loopback address \(written as IPv6\)/);
    // The URL's normal form of ::ffff:127.0.0.1 is what may be used; the other spelling is named.
    await refusedAt('https://[::ffff:127.0.0.1]/client.json', /normal form \(https:\/\/\[::ffff:7f00:1\]\/client\.json\)/);
    await refusedAt('https://[fd00::1]/client.json', /unique-local/);
  });

  it('refuses a client_id URL without a path', async () => {
    await refusedAt('https://agent.example.com/', /must have a path/);
  });
});
