// Dynamic client registration with GATEHOUSE_REGISTRATION=open, on SQLite and PostgreSQL: a public
// client and a confidential one register, sign a user in (consent names them self-registered, with
// the redirect host) and use their tokens; then RFC 7592 reads, replaces and deletes a
// registration (deleting ends its tokens), and wrong or missing tokens get one 401 for all.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Browserless, authorizeQuery, formPairs } from '../helpers/browserless.ts';
import { manage, register, type Registered } from '../helpers/registration.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, guideCodeChallenge, guideCodeVerifier, postForm, tokenUrl } from '../helpers/token-client.ts';

const jane = { tenant: 'acme', username: 'jane', password: PASSWORD };
const LOOPBACK = 'http://127.0.0.1:33418/callback';
const WEB = 'https://notes.example.com/oauth/callback';

forEachStore('dynamic client registration (open)', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name, config: { registration: 'open' } });
  });
  after(() => server.close());

  const me = (accessToken: string) => fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });

  /** Authorize with PKCE as jane (allowing on the consent page) and return the code and the consent page's text. */
  async function authorize(clientId: string, redirectUri: string, verifier: string, scope = 'profile offline_access'): Promise<{ code: string; consent: string }> {
    const browser = new Browserless(server.url);
    await browser.signIn(jane.tenant, jane.username, jane.password);
    const query = authorizeQuery({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope, state: 's1', code_challenge: guideCodeChallenge(verifier), code_challenge_method: 'S256' });
    const page = await browser.request(`/api/developers/oauth2/authorize?${query}`);
    const consent = await page.text();
    assert.equal(page.status, 200, consent.slice(0, 300));
    const decided = await browser.request('/api/developers/oauth2/authorize', { form: [...formPairs(consent, '/api/developers/oauth2/authorize'), ['decision', 'allow']] });
    const location = new URL(decided.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, redirectUri);
    const code = location.searchParams.get('code');
    assert.ok(code, location.search);
    return { code, consent };
  }

  it('is announced in discovery', async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(metadata.registration_endpoint, `${server.url}/oauth2/register`);
  });

  it('registers a public client that signs a user in with PKCE and uses its tokens', async () => {
    const registered = await register(server.url, { client_name: 'Notes for VS Code', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], software_id: 'notes-vscode', software_version: '1.2.0', contacts: ['dev@notes.example.com'], application_type: 'native' });
    assert.equal(registered.status, 201, registered.text);
    assert.equal(registered.headers.get('cache-control'), 'no-store');
    const body = registered.body as Registered;
    assert.match(body.client_id, /^[0-9a-f]{20}$/);
    assert.equal(body.client_secret, undefined, 'a public client gets no secret');
    assert.equal(body.client_secret_expires_at, undefined);
    assert.match(body.registration_access_token, /^ghreg_[A-Za-z0-9_-]{43}$/);
    assert.equal(body.registration_client_uri, `${server.url}/oauth2/register/${body.client_id}`);
    assert.ok(Math.abs(Number(body.client_id_issued_at) - server.clock.now().getTime() / 1000) < 5);
    assert.deepEqual(
      { ...body, client_id: undefined, client_id_issued_at: undefined, registration_access_token: undefined, registration_client_uri: undefined },
      { client_id: undefined, client_id_issued_at: undefined, registration_access_token: undefined, registration_client_uri: undefined, client_name: 'Notes for VS Code', redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], application_type: 'native', contacts: ['dev@notes.example.com'], software_id: 'notes-vscode', software_version: '1.2.0' },
    );
    const stored = await server.store.apps.byClientId(body.client_id);
    assert.equal(stored?.tenantId, null);
    assert.equal(stored?.registration, 'dynamic');
    assert.equal(stored?.verified, false);
    assert.equal(stored?.clientSecretHash, null);
    assert.notEqual(stored?.registrationTokenHash, body.registration_access_token, 'only its hash is stored');
    assert.equal((await server.store.apps.list(server.tenant.id)).some((app) => app.clientId === body.client_id), false, "in no account's list");

    // A loopback redirect may come back on another port (RFC 8252 §7.3).
    const redirect = 'http://127.0.0.1:50123/callback';
    const verifier = guideCodeVerifier();
    const { code, consent } = await authorize(body.client_id, redirect, verifier);
    assert.match(consent, /registered by the client itself, not verified/);
    assert.match(consent, /Sends you back to <strong>127\.0\.0\.1:50123<\/strong>/);
    assert.doesNotMatch(consent, /by an unknown account/);
    const tokens = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: body.client_id, code, code_verifier: verifier, redirect_uri: redirect });
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal((await me(String(tokens.body.access_token))).status, 200);
    const refreshed = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', client_id: body.client_id, refresh_token: String(tokens.body.refresh_token) });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.notEqual(refreshed.body.refresh_token, tokens.body.refresh_token, "a public client's refresh token rotates");
    assert.ok((await server.store.apps.byClientId(body.client_id))?.lastUsedAt, 'its use is recorded');
  });

  it('registers a confidential client (client_secret_basic by default) that redeems its code with its secret', async () => {
    const registered = await register(server.url, { client_name: 'Notes sync', redirect_uris: [WEB], client_uri: 'https://notes.example.com', logo_uri: 'https://notes.example.com/logo.png', tos_uri: 'https://notes.example.com/tos', policy_uri: 'https://notes.example.com/privacy', scope: 'profile' });
    assert.equal(registered.status, 201, registered.text);
    const body = registered.body as Registered;
    assert.match(body.client_secret ?? '', /^[0-9a-f]{64}$/);
    assert.equal(body.client_secret_expires_at, 0);
    assert.equal(body.token_endpoint_auth_method, 'client_secret_basic');
    assert.deepEqual(body.grant_types, ['authorization_code']);
    assert.deepEqual(body.response_types, ['code']);
    assert.equal(body.application_type, 'web');
    assert.equal(body.client_uri, 'https://notes.example.com');
    assert.equal(body.policy_uri, 'https://notes.example.com/privacy');
    assert.equal(body.scope, undefined, 'scope is not registered, so not claimed');

    const verifier = guideCodeVerifier();
    const { code, consent } = await authorize(body.client_id, WEB, verifier, 'profile');
    assert.match(consent, /Sends you back to <strong>notes\.example\.com<\/strong>/);
    const wrong = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, code_verifier: verifier }, { authorization: basicAuth(body.client_id, 'f'.repeat(64)) });
    assert.equal(wrong.status, 401);
    const tokens = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, code_verifier: verifier }, { authorization: basicAuth(body.client_id, body.client_secret ?? '') });
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal(tokens.body.refresh_token, undefined, 'it did not register refresh_token');
    assert.equal((await me(String(tokens.body.access_token))).status, 200);
  });

  it('reads, replaces and deletes a registration with its registration access token (RFC 7592)', async () => {
    const created = (await register(server.url, { client_name: 'Assistant', redirect_uris: [WEB], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], client_uri: 'https://assistant.example' })).body as Registered;
    const uri = created.registration_client_uri;
    const token = created.registration_access_token;

    const read = await manage(uri, 'GET', token);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.headers.get('cache-control'), 'no-store');
    assert.equal(read.body.client_name, 'Assistant');
    assert.equal(read.body.client_uri, 'https://assistant.example');
    assert.equal(read.body.registration_access_token, undefined, 'kept only as a hash');
    assert.equal(read.body.registration_client_uri, uri);

    // Replacing: every field anew; client_uri omitted is removed; a switch to a secret method issues a secret.
    const replaced = await manage(uri, 'PUT', token, { client_id: created.client_id, client_name: 'Assistant 2', redirect_uris: ['https://assistant.example/cb'], token_endpoint_auth_method: 'client_secret_post' });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.client_name, 'Assistant 2');
    assert.deepEqual(replaced.body.redirect_uris, ['https://assistant.example/cb']);
    assert.deepEqual(replaced.body.grant_types, ['authorization_code'], 'omitted grant_types take the default');
    assert.equal(replaced.body.client_uri, undefined);
    assert.match(String(replaced.body.client_secret), /^[0-9a-f]{64}$/);
    const secret = String(replaced.body.client_secret);
    const again = await manage(uri, 'GET', token);
    assert.equal(again.body.client_name, 'Assistant 2');
    assert.equal(again.body.client_secret, undefined);
    assert.equal(again.body.client_secret_expires_at, 0);

    // What the client may not do in an update: another id, its own secret, the server's fields.
    const before = await manage(uri, 'GET', token);
    for (const [bad, field] of [
      [{ client_id: 'someone-else', redirect_uris: [WEB] }, /client_id/],
      [{ redirect_uris: [WEB] }, /client_id/],
      [{ client_id: created.client_id, client_secret: 'my-own-secret', redirect_uris: [WEB], token_endpoint_auth_method: 'client_secret_post' }, /client_secret/],
      [{ client_id: created.client_id, registration_access_token: token, redirect_uris: [WEB] }, /registration_access_token/],
      [{ client_id: created.client_id, redirect_uris: ['javascript:alert(1)'] }, /redirect_uris\[0\]/],
    ] as const) {
      const refused = await manage(uri, 'PUT', token, bad);
      assert.equal(refused.status, 400, JSON.stringify(bad));
      assert.match(String(refused.body.error_description), field);
    }
    assert.deepEqual((await manage(uri, 'GET', token)).body, before.body, 'refused updates changed nothing');
    const same = await manage(uri, 'PUT', token, { client_id: created.client_id, client_secret: secret, client_name: 'Assistant 3', redirect_uris: [WEB], token_endpoint_auth_method: 'client_secret_post' });
    assert.equal(same.status, 200, same.text);
    assert.equal(same.body.client_secret, undefined, 'the current secret stays; nothing new to show');

    // Deleting ends its tokens.
    const verifier = guideCodeVerifier();
    const { code } = await authorize(created.client_id, WEB, verifier);
    const tokens = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: created.client_id, client_secret: secret, code, code_verifier: verifier });
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal((await me(String(tokens.body.access_token))).status, 200);
    const deleted = await manage(uri, 'DELETE', token);
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal((await me(String(tokens.body.access_token))).status, 401, 'its access token stopped working');
    assert.equal(await server.store.apps.byClientId(created.client_id), undefined);
    assert.equal((await manage(uri, 'GET', token)).status, 401);
  });

  it('answers a missing or wrong token, and an unknown client, with the same 401', async () => {
    const created = (await register(server.url, { redirect_uris: [WEB], token_endpoint_auth_method: 'none' })).body as Registered;
    assert.equal(created.client_name, 'Unnamed client', 'the server says what it registered');
    const other = (await register(server.url, { redirect_uris: [WEB], token_endpoint_auth_method: 'none' })).body as Registered;
    const answers = [
      await manage(created.registration_client_uri, 'GET', `ghreg_${'A'.repeat(43)}`),
      await manage(created.registration_client_uri, 'GET', other.registration_access_token),
      await manage(`${server.url}/oauth2/register/${'0'.repeat(20)}`, 'GET', created.registration_access_token),
      await manage(`${server.url}/oauth2/register/${server.webapp.clientId}`, 'GET', created.registration_access_token),
      await manage(created.registration_client_uri, 'PUT', 'nope', { client_id: created.client_id, redirect_uris: [WEB] }),
      await manage(created.registration_client_uri, 'DELETE', other.registration_access_token),
    ];
    for (const answer of answers) {
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.get('www-authenticate'), 'Bearer realm="gatehouse", error="invalid_token"');
      assert.deepEqual(answer.body, answers[0]?.body, 'one answer for all: nothing tells which clients exist');
    }
    const missing = await manage(created.registration_client_uri, 'GET', undefined);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="gatehouse"');
    assert.equal(missing.body.error, 'invalid_token');
    assert.ok(await server.store.apps.byClientId(created.client_id), 'a wrong DELETE deleted nothing');
  });
});
