// The OpenID Connect client metadata of self-registered clients (RFC 7591 with OpenID Connect's
// fields) and of client ID metadata documents, on both stores: post_logout_redirect_uris,
// backchannel_logout_uri, backchannel_logout_session_required and subject_type are accepted by
// the apps' rules, returned on registration, GET and PUT, refused with the field named when bad,
// and the registered post-logout URI is where /oauth2/logout sends the browser back to.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { clientDocument, startDocumentServer, type DocumentServer } from '../helpers/document-server.ts';
import { manage, register, type Registered } from '../helpers/registration.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

const WEB = 'https://rp.example/cb';
const BYE = 'https://rp.example/bye';
const LOOPBACK = 'http://127.0.0.1:7777/callback';

forEachStore('OpenID Connect client metadata', (kind) => {
  let server: TestServer;
  let docs: DocumentServer;
  before(async () => {
    server = await startTestServer({ store: kind.name, config: { registration: 'open', cimdAllowLoopback: true } });
    docs = await startDocumentServer();
  });
  after(async () => {
    await docs.close();
    await server.close();
  });

  const logout = (clientId: string, uri: string) => new Browserless(server.url).request(`/oauth2/logout?${new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: uri, state: 'st' })}`);

  it('registers, returns, reads and replaces the OpenID Connect fields', async () => {
    const metadata = { client_name: 'RP', redirect_uris: [WEB], token_endpoint_auth_method: 'none', post_logout_redirect_uris: [BYE, BYE], backchannel_logout_uri: 'https://rp.example/bc', backchannel_logout_session_required: true, subject_type: 'pairwise' };
    const created = await register(server.url, metadata);
    assert.equal(created.status, 201, created.text);
    const body = created.body as Registered & Record<string, unknown>;
    assert.deepEqual(body.post_logout_redirect_uris, [BYE]);
    assert.equal(body.backchannel_logout_uri, 'https://rp.example/bc');
    assert.equal(body.backchannel_logout_session_required, true);
    assert.equal(body.subject_type, 'pairwise');
    const read = await manage(body.registration_client_uri, 'GET', body.registration_access_token);
    assert.deepEqual([read.body.post_logout_redirect_uris, read.body.backchannel_logout_uri, read.body.backchannel_logout_session_required, read.body.subject_type], [[BYE], 'https://rp.example/bc', true, 'pairwise']);
    assert.equal((await logout(body.client_id, BYE)).headers.get('location'), `${BYE}?state=st`);

    // PUT replaces every field: the omitted ones go back to none and the public subject.
    const replaced = await manage(body.registration_client_uri, 'PUT', body.registration_access_token, { client_id: body.client_id, redirect_uris: [WEB], token_endpoint_auth_method: 'none', post_logout_redirect_uris: ['https://rp.example/later'] });
    assert.equal(replaced.status, 200, replaced.text);
    assert.deepEqual(replaced.body.post_logout_redirect_uris, ['https://rp.example/later']);
    assert.equal(replaced.body.backchannel_logout_uri, undefined);
    assert.equal(replaced.body.backchannel_logout_session_required, undefined);
    assert.equal(replaced.body.subject_type, undefined, 'public, the default, is not spelled out');
    assert.equal((await server.store.apps.byClientId(body.client_id))?.subjectType, 'public');
    const logoutOld = await logout(body.client_id, BYE);
    assert.equal(logoutOld.status, 200, 'the replaced URI is no longer redirected to');
    assert.equal(logoutOld.headers.get('location'), null);
  });

  it('a client that names none has none, and the public subject', async () => {
    const created = await register(server.url, { redirect_uris: [WEB], token_endpoint_auth_method: 'none' });
    assert.equal(created.body.post_logout_redirect_uris, undefined);
    assert.equal(created.body.backchannel_logout_uri, undefined);
    assert.equal(created.body.subject_type, undefined, 'the answer is the one such a client always got');
    assert.equal((await server.store.apps.byClientId(String(created.body.client_id)))?.subjectType, 'public');
  });

  it('refuses bad OpenID Connect metadata as invalid_client_metadata, naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ post_logout_redirect_uris: ['https://rp.example/bye#x'] }, /post_logout_redirect_uris: "https:\/\/rp\.example\/bye#x" must not contain a fragment/],
      [{ post_logout_redirect_uris: ['javascript:alert(1)'] }, /post_logout_redirect_uris: .* must use https/],
      [{ post_logout_redirect_uris: ['http://rp.example/bye'] }, /must use https/],
      [{ post_logout_redirect_uris: 'https://rp.example/bye' }, /post_logout_redirect_uris must be an array of strings/],
      [{ post_logout_redirect_uris: Array.from({ length: 11 }, (_, i) => `https://rp.example/${i}`) }, /At most 10/],
      [{ backchannel_logout_uri: 'http://rp.example/bc' }, /backchannel_logout_uri must use https/],
      [{ backchannel_logout_session_required: 'yes' }, /backchannel_logout_session_required must be true or false/],
      [{ subject_type: 'secret' }, /subject_type must be public or pairwise/],
      [{ subject_type: 'pairwise', redirect_uris: [WEB, 'https://other.example/cb'] }, /on one host \(they are on rp\.example, other\.example\)/],
    ];
    for (const [fields, message] of cases) {
      const refused = await register(server.url, { redirect_uris: [WEB], token_endpoint_auth_method: 'none', ...fields });
      assert.equal(refused.status, 400, JSON.stringify(fields));
      assert.equal(refused.body.error, 'invalid_client_metadata', JSON.stringify(fields));
      assert.match(String(refused.body.error_description), message);
    }
  });

  it('a client ID metadata document brings its OpenID Connect settings, by the same rules', async () => {
    const browser = new Browserless(server.url);
    await browser.signIn('acme', 'jane', PASSWORD);
    const authorize = (clientId: string) => browser.request(`/api/developers/oauth2/authorize?${authorizeQuery({ client_id: clientId, redirect_uri: LOOPBACK, response_type: 'code', scope: 'openid', state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`);
    const clientId = docs.url('/rp.json');
    docs.serve('/rp.json', { body: clientDocument(clientId, { post_logout_redirect_uris: ['http://127.0.0.1:7777/bye'], backchannel_logout_session_required: true }) });
    assert.equal((await authorize(clientId)).status, 200, 'the consent page: the document was read');
    const app = await server.store.apps.byClientId(clientId);
    assert.deepEqual(app?.postLogoutRedirectUris, ['http://127.0.0.1:7777/bye']);
    assert.equal(app?.clientMetadata?.backchannelLogoutSessionRequired, true);
    assert.equal((await logout(clientId, 'http://127.0.0.1:7777/bye')).headers.get('location'), 'http://127.0.0.1:7777/bye?state=st');

    const bad = docs.url('/bad-rp.json');
    docs.serve('/bad-rp.json', { body: clientDocument(bad, { post_logout_redirect_uris: ['http://127.0.0.1:7777/bye#frag'] }) });
    const refused = await authorize(bad);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /post_logout_redirect_uris: .* must not contain a fragment/);
    assert.equal(await server.store.apps.byClientId(bad), undefined, 'nothing was stored');
  });
});
