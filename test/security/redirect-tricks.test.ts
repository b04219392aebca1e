// Redirect URIs that look like the registered one but are not: each gets the 400 error page and
// no redirect, signed in or not, so a crafted link cannot send a code anywhere else.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';

const TRICKS = [
  'http://localhost:4597@evil.example/authorize-result',
  'http://localhost:4597.evil.example/authorize-result',
  'http://evil.example#@localhost:4597/authorize-result',
  'http://localhost:4597/authorize-result/',
  'http://localhost:4597/Authorize-Result',
  'HTTP://LOCALHOST:4597/authorize-result',
  'http://localhost:4597/authorize-result/../evil',
  'http://localhost:4597/x/../authorize-result',
  'http://localhost:4597/authorize-result?next=https://evil.example',
  'http://localhost:4597/authorize-result#frag',
  'http://localhost:4597/authorize-result%2F..%2Fevil',
  'http://localhost:4598/authorize-result',
  'http://127.0.0.1:4597/authorize-result',
  'https://localhost:4597/authorize-result',
  'http://localhost:4597/authorize-result\u0000',
  'http://localhost:4597/authorize-resul\u0074\u200b',
  'http://lоcalhost:4597/authorize-result', // Cyrillic "о"
  ' http://localhost:4597/authorize-result',
  'javascript:alert(1)//http://localhost:4597/authorize-result',
];

describe('redirect URI look-alikes', () => {
  let server: TestServer;
  let browser: Browserless;
  before(async () => {
    server = await startTestServer();
    browser = new Browserless(server.url);
    const signedIn = await browser.signIn('acme', 'jane', PASSWORD);
    assert.equal(signedIn.status, 303);
  });
  after(() => server.close());

  for (const trick of TRICKS) {
    it(`refuses ${JSON.stringify(trick)} with the error page, without redirecting`, async () => {
      const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: trick, scope: 'profile', state: 's' });
      const response = await browser.request(`/api/developers/oauth2/authorize?${query}`);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await response.text(), /redirect/i);
    });
  }

  it('still accepts the registered URI itself', async () => {
    const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile', state: 's' });
    const response = await browser.request(`/api/developers/oauth2/authorize?${query}`);
    assert.equal(response.status, 200, 'the consent page');
    assert.match(await response.text(), /name="decision"/);
  });
});
