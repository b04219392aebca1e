// Client authentication methods at the token endpoint: an app that names its method is held to
// it, ilert's rule stays for apps that name none, and private_key_jwt assertions are checked in
// every way RFC 7523 asks (signature, algorithm, iss/sub, audience, lifetime, single use).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import type { App } from '../../src/domain/app.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { JWT_BEARER_ASSERTION_TYPE } from '../../src/oauth/client-assertion.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenUrl, type JsonResponse } from '../helpers/token-client.ts';
import { clientAssertion, clientKey, serveJwks, unsignedAssertion, type ClientKey, type JwksServer } from '../helpers/client-keys.ts';

forEachStore('client authentication methods', (kind) => {
  let server: TestServer;
  let jwksServer: JwksServer;
  let esKey: ClientKey;
  let rsKey: ClientKey;
  const apps: Record<string, { app: App; secret: string | null }> = {};

  before(async () => {
    server = await startTestServer({ store: kind.name });
    esKey = await clientKey('ES256');
    rsKey = await clientKey('RS256');
    jwksServer = await serveJwks([rsKey.publicJwk]);
    const register = async (name: string, extra: Parameters<typeof registerApp>[0] extends infer T ? Partial<T> : never) => {
      const { app, clientSecret } = await registerApp({ tenantId: server.tenant.id, name, redirectUris: ['https://client.example/cb'], tokenEndpointAuthMethod: null, ...extra }, server.ctx);
      apps[name] = { app, secret: clientSecret };
    };
    await register('basic', { tokenEndpointAuthMethod: 'client_secret_basic' });
    await register('post', { tokenEndpointAuthMethod: 'client_secret_post' });
    await register('public', { tokenEndpointAuthMethod: 'none' });
    await register('jwks', { tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [esKey.publicJwk as Record<string, unknown>] } });
    await register('jwks-uri', { tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: jwksServer.url });
  });
  after(async () => {
    await server.close();
    await jwksServer.close();
  });

  const id = (name: string) => apps[name]!.app.clientId;
  const secret = (name: string) => apps[name]!.secret ?? '';
  /** A refresh_token request with a token nobody has: invalid_grant (400) means the client was authenticated. */
  const probe = (form: Record<string, string>, headers: Record<string, string> = {}) => postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: 'ghr_unknown', ...form }, headers);
  const assertionForm = (assertion: string) => ({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion });
  const sign = (name: string, key: ClientKey, claims: Parameters<typeof clientAssertion>[4] = {}) => clientAssertion(key, id(name), server.url, server.clock.now(), claims);

  const accepted = (response: JsonResponse, what: string) => assert.equal(response.body.error, 'invalid_grant', `${what}: ${response.text}`);
  const refused = (response: JsonResponse, pattern: RegExp, what: string) => {
    assert.equal(response.status, 401, `${what}: ${response.text}`);
    assert.equal(response.body.error, 'invalid_client', what);
    assert.match(String(response.body.error_description), pattern, what);
  };

  describe('an app that names its method', () => {
    it('client_secret_basic: the secret in HTTP Basic only', async () => {
      accepted(await probe({}, { authorization: basicAuth(id('basic'), secret('basic')) }), 'Basic');
      refused(await probe({ client_id: id('basic'), client_secret: secret('basic') }), /client_secret_basic/, 'secret in the body');
      refused(await probe({ client_id: id('basic') }), /client_secret_basic/, 'no credentials');
      refused(await probe({}, { authorization: basicAuth(id('basic'), 'wrong') }), /failed/, 'a wrong secret');
      refused(await probe(assertionForm(await sign('basic', esKey))), /client_secret_basic/, 'an assertion');
    });

    it('client_secret_post: client_secret in the body only', async () => {
      accepted(await probe({ client_id: id('post'), client_secret: secret('post') }), 'body');
      refused(await probe({}, { authorization: basicAuth(id('post'), secret('post')) }), /client_secret_post/, 'Basic');
      refused(await probe({ client_id: id('post') }), /client_secret_post/, 'no credentials');
    });

    it('none: no credentials at all; a secret sent is refused', async () => {
      assert.equal(apps.public!.secret, null, 'a public client gets no secret');
      accepted(await probe({ client_id: id('public') }), 'client_id alone');
      refused(await probe({ client_id: id('public'), client_secret: 'anything' }), /none/, 'a secret in the body');
      refused(await probe({}, { authorization: basicAuth(id('public'), 'anything') }), /none/, 'Basic');
    });

    it('private_key_jwt: an assertion only, client_id optional and matching', async () => {
      assert.equal(apps.jwks!.secret, null, 'a private_key_jwt client gets no secret');
      accepted(await probe(assertionForm(await sign('jwks', esKey))), 'assertion without client_id');
      accepted(await probe({ client_id: id('jwks'), ...assertionForm(await sign('jwks', esKey)) }), 'assertion with its client_id');
      refused(await probe({ client_id: id('post'), ...assertionForm(await sign('jwks', esKey)) }), /client_id differs/, 'another client_id');
      refused(await probe({ client_id: id('jwks') }), /private_key_jwt/, 'no credentials');
      refused(await probe({ client_id: id('jwks'), client_secret: 'x' }), /private_key_jwt/, 'a secret');
      const both = await probe({ client_secret: 'x', ...assertionForm(await sign('jwks', esKey)) });
      assert.equal(both.status, 400);
      assert.equal(both.body.error, 'invalid_request');
    });

    it('a private_key_jwt client redeems a code without PKCE, gets a refresh token, and must assert again to refresh', async () => {
      const app = apps.jwks!.app;
      await server.store.apps.update(app.id, { redirectUris: ['http://localhost:4597/authorize-result'] }, server.clock.now());
      const { Browserless } = await import('../helpers/browserless.ts');
      const code = await new Browserless(server.url).authorizeCode(new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: 'http://localhost:4597/authorize-result', scope: 'profile', state: 's' }).toString(), { tenant: 'acme', username: 'jane', password: 'correct horse battery staple' });
      const tokens = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, ...assertionForm(await sign('jwks', esKey, { aud: tokenUrl(server.url) })) });
      assert.equal(tokens.status, 200, tokens.text);
      const refreshToken = String(tokens.body.refresh_token);
      const bare = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: app.clientId });
      refused(bare, /private_key_jwt/, 'a refresh without the assertion');
      const refreshed = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: refreshToken, ...assertionForm(await sign('jwks', esKey)) });
      assert.equal(refreshed.status, 200, refreshed.text);
    });

    it('a public client must use PKCE at authorize', async () => {
      const app = apps.public!.app;
      await server.store.apps.update(app.id, { redirectUris: ['http://localhost:4597/authorize-result'] }, server.clock.now());
      const { Browserless } = await import('../helpers/browserless.ts');
      const { location } = await new Browserless(server.url).authorize(new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: 'http://localhost:4597/authorize-result', scope: 'profile', state: 's' }).toString(), { tenant: 'acme', username: 'jane', password: 'correct horse battery staple' });
      assert.equal(location?.searchParams.get('error'), 'invalid_request');
      assert.match(location?.searchParams.get('error_description') ?? '', /PKCE/);
    });
  });

  describe("ilert's rule for an app that names none", () => {
    it('takes the secret in Basic or the body, or none at all, and refuses an assertion', async () => {
      const { clientId, clientSecret } = server.backend;
      accepted(await probe({}, { authorization: basicAuth(clientId, clientSecret) }), 'Basic');
      accepted(await probe({ client_id: clientId, client_secret: clientSecret }), 'body');
      accepted(await probe({ client_id: clientId }), 'no secret');
      refused(await probe({ client_id: clientId, client_secret: 'wrong' }), /failed/, 'a wrong secret');
      refused(await probe(assertionForm(await clientAssertion(esKey, clientId, server.url, server.clock.now()))), /not private_key_jwt/, 'an assertion');
    });
  });

  describe('private_key_jwt assertions', () => {
    it('is single use: a replay is refused', async () => {
      const assertion = await sign('jwks', esKey);
      accepted(await probe(assertionForm(assertion)), 'first use');
      refused(await probe(assertionForm(assertion)), /already used/, 'replay');
    });

    it('refuses expired, long-lived, not-yet-valid and jti-less assertions', async () => {
      refused(await probe(assertionForm(await sign('jwks', esKey, { expiresIn: -120, issuedAt: -180 }))), /expired/, 'expired');
      refused(await probe(assertionForm(await sign('jwks', esKey, { expiresIn: 600 }))), /too long/, 'exp 10 minutes ahead');
      refused(await probe(assertionForm(await sign('jwks', esKey, { expiresIn: 200, issuedAt: -200 }))), /too long/, 'exp 400 s after iat');
      refused(await probe(assertionForm(await sign('jwks', esKey, { notBefore: 120 }))), /nbf/, 'nbf ahead');
      refused(await probe(assertionForm(await sign('jwks', esKey, { jti: null }))), /jti/, 'no jti');
    });

    it('takes the issuer or the endpoint as aud, nothing else', async () => {
      accepted(await probe(assertionForm(await sign('jwks', esKey, { aud: tokenUrl(server.url) }))), 'the token endpoint');
      accepted(await probe(assertionForm(await sign('jwks', esKey, { aud: ['https://elsewhere.example', server.url] }))), 'an array holding the issuer');
      refused(await probe(assertionForm(await sign('jwks', esKey, { aud: 'https://elsewhere.example' }))), /aud/, 'another audience');
      refused(await probe(assertionForm(await sign('jwks', esKey, { aud: `${server.url}/oauth2/introspect` }))), /aud/, "another endpoint's URL");
    });

    it('refuses a wrong key, alg none, HS256, iss ≠ sub, an unknown client and a wrong assertion type', async () => {
      refused(await probe(assertionForm(await clientAssertion({ ...(await clientKey('ES256')), kid: esKey.kid }, id('jwks'), server.url, server.clock.now()))), /signature/, 'a key of its own making');
      refused(await probe(assertionForm(unsignedAssertion(id('jwks'), server.url, server.clock.now()))), /alg|valid/, 'alg none');
      const seconds = Math.floor(server.clock.now().getTime() / 1000);
      const hs = await new SignJWT({ jti: 'hs' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(id('jwks')).setSubject(id('jwks')).setAudience(server.url).setExpirationTime(seconds + 60).sign(new TextEncoder().encode('a shared secret of enough length!!'));
      refused(await probe(assertionForm(hs)), /alg must be one of RS256, PS256, ES256, EdDSA/, 'HS256');
      refused(await probe(assertionForm(await sign('jwks', esKey, { iss: id('post') }))), /iss and sub/, 'iss ≠ sub');
      refused(await probe(assertionForm(await clientAssertion(esKey, 'ffffffffffffffffffff', server.url, server.clock.now()))), /Unknown client/, 'unknown client');
      const wrongType = await probe({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer', client_assertion: await sign('jwks', esKey) });
      assert.equal(wrongType.status, 400);
      assert.equal(wrongType.body.error, 'invalid_request');
      const noType = await probe({ client_assertion: await sign('jwks', esKey) });
      assert.equal(noType.body.error, 'invalid_request');
      refused(await probe(assertionForm('not.a.jwt')), /not a JWT/, 'garbage');
    });

    it('reads a jwks_uri served on loopback, fetches it again for a new kid, and says so clearly when it is unreachable', async () => {
      accepted(await probe(assertionForm(await sign('jwks-uri', rsKey))), 'the published key');
      const fetched = jwksServer.fetches;
      accepted(await probe(assertionForm(await sign('jwks-uri', rsKey))), 'cached');
      assert.equal(jwksServer.fetches, fetched, 'the set is cached');
      const rotated = await clientKey('PS256');
      jwksServer.setKeys([rsKey.publicJwk, rotated.publicJwk]);
      refused(await probe(assertionForm(await sign('jwks-uri', rotated))), /No key/, 'a new kid moments after the fetch: not fetched again yet');
      assert.equal(jwksServer.fetches, fetched, 'an unknown kid does not fetch within the cool-down');
      server.clock.advance(31);
      accepted(await probe(assertionForm(await sign('jwks-uri', rotated))), 'a new key, fetched for its kid');
      assert.equal(jwksServer.fetches, fetched + 1);
      refused(await probe(assertionForm(await sign('jwks-uri', { ...(await clientKey('PS256')), kid: 'unheard-of' }))), /No key/, 'an unknown kid, moments after a fetch');
      assert.equal(jwksServer.fetches, fetched + 1, 'not fetched again within the cool-down');

      const dead = await serveJwks([]);
      const gone = dead.url;
      await dead.close();
      const { app } = await registerApp({ tenantId: server.tenant.id, name: 'gone keys', redirectUris: ['https://client.example/cb'], tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: gone }, server.ctx);
      const unreachable = await probe(assertionForm(await clientAssertion(rsKey, app.clientId, server.url, server.clock.now())));
      refused(unreachable, /jwks_uri .* could not be reached/, 'unreachable jwks_uri');
    });

    it('authenticates introspection, with the introspection URL as aud', async () => {
      const introspect = (assertion: string) => postForm(`${server.url}/oauth2/introspect`, { token: 'ghr_unknown', ...assertionForm(assertion) });
      const answer = await introspect(await sign('jwks', esKey, { aud: `${server.url}/oauth2/introspect` }));
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(answer.body, { active: false });
      refused(await introspect(await sign('jwks', esKey, { aud: tokenUrl(server.url) })), /aud/, 'the token endpoint is not this endpoint');
    });
  });
});
