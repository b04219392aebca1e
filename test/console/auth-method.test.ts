// The console's client authentication settings: an app registered as private_key_jwt has no
// secret and works with a signed assertion; bad keys or URIs get field errors and change nothing;
// a public client's page offers no secret; a form without the select leaves the method alone.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { JWT_BEARER_ASSERTION_TYPE } from '../../src/oauth/client-assertion.ts';
import type { Browserless } from '../helpers/browserless.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { clientAssertion, clientKey, type ClientKey } from '../helpers/client-keys.ts';
import { consoleAs, credentialsOn, followDone, submit } from './console-client.ts';

forEachStore('client authentication in the console', (kind) => {
  let server: TestServer;
  let jane: Browserless;
  let key: ClientKey;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    jane = await consoleAs(server, 'acme', 'jane');
    key = await clientKey('EdDSA');
  });
  after(() => server.close());

  const base = { description: 'Signs its requests', redirect_uris: 'https://signer.example/cb', refresh_rotation: 'public' };
  const create = (fields: Record<string, string>) => submit(jane, '/console/apps/new', '/console/apps', { ...base, ...fields });
  const probe = (form: Record<string, string>) => postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: 'ghr_unknown', ...form });

  it('registers a private_key_jwt app with pasted keys: no secret shown, and its assertions work', async () => {
    const jwks = JSON.stringify({ keys: [key.publicJwk] });
    const { page, status } = await followDone(jane, await create({ name: 'Signer', token_endpoint_auth_method: 'private_key_jwt', jwks }));
    assert.equal(status, 200);
    const { clientId, clientSecret } = credentialsOn(page);
    assert.equal(clientSecret, undefined, 'no secret to show');
    assert.match(page, /authenticates with <code>private_key_jwt<\/code>/);
    assert.doesNotMatch(page, /Rotate secret/);
    assert.match(page, /<option value="private_key_jwt" selected>/);
    const app = await server.store.apps.byClientId(clientId);
    assert.equal(app?.clientSecretHash, null);
    const assertion = await clientAssertion(key, clientId, server.url, server.clock.now());
    const answer = await probe({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion });
    assert.equal(answer.body.error, 'invalid_grant', `authenticated: ${answer.text}`);
  });

  it('shows field errors for a private key, a JWKS that is not JSON, both or neither source, and plain http', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ jwks: JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', d: 'secret' }] }) }, 'app-jwks', /private or symmetric key/],
      [{ jwks: '{"keys": [' }, 'app-jwks', /not valid JSON/],
      [{}, 'app-jwks-uri', /exactly one of a JWKS/],
      [{ jwks_uri: 'https://keys.example/jwks.json', jwks: JSON.stringify({ keys: [key.publicJwk] }) }, 'app-jwks', /exactly one/],
      [{ jwks_uri: 'http://keys.example/jwks.json' }, 'app-jwks-uri', /must use https/],
    ];
    for (const [fields, fieldId, message] of cases) {
      const response = await create({ name: 'Refused signer', token_endpoint_auth_method: 'private_key_jwt', ...fields });
      assert.equal(response.status, 400, JSON.stringify(fields));
      const page = await response.text();
      assert.match(page, message, JSON.stringify(fields));
      assert.match(page, new RegExp(`href="#${fieldId}"`), `the error links to ${fieldId}`);
    }
    const unknown = await create({ name: 'Refused signer', token_endpoint_auth_method: 'magic' });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /Choose one of the authentication methods/);
    assert.equal(await server.store.apps.byName('Refused signer'), undefined, 'nothing was registered');
  });

  it('registers a public client without a secret; changing settings without the select keeps the method; a secret method can come back', async () => {
    const { page } = await followDone(jane, await create({ name: 'Public', token_endpoint_auth_method: 'none', redirect_uris: 'http://localhost:4597/public' }));
    const { clientId, clientSecret } = credentialsOn(page);
    assert.equal(clientSecret, undefined);
    const app = (await server.store.apps.byClientId(clientId))!;
    const path = `/console/apps/${app.id}`;
    await followDone(jane, await submit(jane, path, path, { ...base, redirect_uris: 'http://localhost:4597/public2' }));
    assert.equal((await server.store.apps.byId(app.id))?.tokenEndpointAuthMethod, 'none', 'a form without the select changes no method');
    const rotate = await submit(jane, `${path}/secret`, `${path}/secret`);
    assert.equal(rotate.status, 400);
    assert.match(await rotate.text(), /has no client secret to rotate/);

    const back = await followDone(jane, await submit(jane, path, path, { ...base, token_endpoint_auth_method: 'client_secret_post' }));
    assert.match(back.page, /Make a secret…/);
    const made = await followDone(jane, await submit(jane, `${path}/secret`, `${path}/secret`));
    const secret = credentialsOn(made.page).clientSecret ?? assert.fail('the new secret is shown');
    assert.equal((await probe({ client_id: clientId, client_secret: secret })).body.error, 'invalid_grant', 'the secret works in the body');
    assert.equal((await probe({ client_id: clientId })).status, 401, 'and is now required');
  });
});
