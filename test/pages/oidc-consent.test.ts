// The consent page's OpenID Connect line, in words, and the page itself for such a request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInSentence, withSignInLine } from '../../src/pages/oidc-consent.ts';
import { describeScopes, ScopeSet } from '../../src/oauth/scopes.ts';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';

const set = (value: string) => ScopeSet.parse(value).scopes;

describe('OpenID Connect consent wording', () => {
  it('says what signing in shares', () => {
    assert.equal(signInSentence(set('openid profile email')), 'Sign you in and see your name and email');
    assert.equal(signInSentence(set('openid')), 'Sign you in');
    assert.equal(signInSentence(set('openid email')), 'Sign you in and see your email');
    assert.equal(signInSentence(set('openid profile email phone')), 'Sign you in and see your name, email and phone number');
  });

  it('folds openid, email and phone into that line and keeps the API lines', () => {
    const scopes = set('openid profile email source:w');
    const lines = withSignInLine(scopes, describeScopes(scopes));
    assert.deepEqual(lines.map((l) => `${l.verbs} ${l.noun}`.trim()), ['Sign you in and see your name and email', 'See your profile', 'See, Create, Edit Alert sources']);
  });

  it('leaves a request without openid exactly as it was', () => {
    const scopes = set('profile source:w');
    const lines = describeScopes(scopes);
    assert.equal(withSignInLine(scopes, lines), lines);
  });
});

describe('the consent page for an OpenID Connect request', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('shows the sign-in sentence', async () => {
    const browser = new Browserless(server.url);
    const query = new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid profile email', nonce: 'n' });
    const path = `/api/developers/oauth2/authorize?${query.toString()}`;
    await browser.signIn('acme', 'jane', PASSWORD, path);
    const page = await (await browser.request(path)).text();
    assert.match(page, /Sign you in and see your name and email/);
    assert.match(page, /name="nonce" value="n"/);
  });
});
