// A command-line client known by its metadata document uses the device flow (RFC 8628), on both
// stores: its document lists the device code grant; the device page shows it; tokens follow.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/oauth/grants/device-code.ts';
import { decide, enterCode, poll, signedInPerson, startDevice } from '../helpers/device-flow.ts';
import { clientDocument, startDocumentServer, type DocumentServer } from '../helpers/document-server.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { deviceAuthorizationUrl } from '../helpers/device-flow.ts';
import { postForm } from '../helpers/token-client.ts';

forEachStore('a client ID metadata document client on the device flow', (kind) => {
  let server: TestServer;
  let docs: DocumentServer;
  before(async () => {
    server = await startTestServer({ store: kind.name, config: { cimdAllowLoopback: true } });
    docs = await startDocumentServer();
  });
  after(async () => {
    await docs.close();
    await server.close();
  });

  it('gets a device code, is approved on /device, and polls its tokens', async () => {
    const clientId = docs.url('/cli.json');
    // A CLI is never redirected: its document lists no redirect URIs.
    docs.serve('/cli.json', { body: clientDocument(clientId, { client_name: 'Agent CLI', grant_types: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'], redirect_uris: undefined }) });
    const started = await startDevice(server, { client_id: clientId, scope: 'profile offline_access' });
    assert.equal((await poll(server, started.device_code, { client_id: clientId })).body.error, 'authorization_pending');
    const person = await signedInPerson(server);
    const confirm = await enterCode(person, started.user_code);
    assert.match(confirm.html, new RegExp(`<strong>${new URL(clientId).host.replace(/\./g, '\\.')}</strong> says it is <strong>Agent CLI</strong>`), 'the device page names the host too');
    assert.doesNotMatch(confirm.html, /send you back to a program/, 'no redirect warning where nothing redirects');
    const page = await decide(person, started.user_code, 'allow');
    assert.equal(page.status, 200);
    server.clock.advance(started.interval);
    const tokens = await poll(server, started.device_code, { client_id: clientId });
    assert.equal(tokens.status, 200, tokens.text);
    assert.ok(tokens.body.access_token);
    assert.ok(tokens.body.refresh_token);
  });

  it('is refused the device flow when its document does not list the grant', async () => {
    const clientId = docs.url('/web-only.json');
    docs.serve('/web-only.json', { body: clientDocument(clientId) });
    const refused = await postForm(deviceAuthorizationUrl(server.url), { client_id: clientId, scope: 'profile' });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.error, 'unauthorized_client');
  });
});
