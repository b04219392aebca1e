// resolveClient on both stores, with documents handed over by a fake fetch: the first use stores
// the document as an app of no account without a secret; a changed document updates it; a
// refused one stores nothing; registered apps are found as before and never fetched.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ManualClock } from '../../../src/oauth/clock.ts';
import { ClientDocumentError, ClientDocuments } from '../../../src/oauth/client-documents/document-cache.ts';
import { resolveClient, resolveClientOrReason } from '../../../src/oauth/client-documents/resolve-client.ts';
import type { Store } from '../../../src/store/store.ts';
import { clientDocument } from '../../helpers/document-server.ts';
import { forEachStore, seedAccount } from '../../helpers/stores.ts';
import { DocumentFetchError } from '../../../src/oauth/client-documents/fetch-errors.ts';

const ID = 'https://agent.example.com/oauth/client.json';

forEachStore('resolveClient', (kind) => {
  let store: Store;
  let clock: ManualClock;
  let served: Record<string, unknown> | DocumentFetchError;
  let fetches: string[];
  let ctx: { store: Store; clock: ManualClock; clientDocuments: ClientDocuments };
  before(async () => {
    store = await kind.open();
    clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    fetches = [];
    const fetch = async (url: URL) => {
      fetches.push(url.href);
      if (served instanceof DocumentFetchError) throw served;
      return { body: served, cacheControl: 'max-age=60' };
    };
    ctx = { store, clock, clientDocuments: new ClientDocuments({ allowLoopback: false, clock, fetch }) };
  });
  after(() => store.close());

  it('stores a document client the first time: no account, no secret, its redirect URIs, name and metadata', async () => {
    served = clientDocument(ID, { client_name: 'Agent', redirect_uris: ['https://agent.example.com/cb'], logo_uri: 'https://agent.example.com/logo.png', software_id: 'agent-cli' });
    const app = await resolveClient(ID, ctx);
    assert.ok(app);
    assert.equal(app.clientId, ID);
    assert.equal(app.registration, 'metadata_document');
    assert.equal(app.tenantId, null);
    assert.equal(app.clientSecretHash, null);
    assert.equal(app.name, 'Agent');
    assert.deepEqual(app.redirectUris, ['https://agent.example.com/cb']);
    assert.equal(app.tokenEndpointAuthMethod, 'none');
    assert.deepEqual(app.grantTypes, ['authorization_code', 'refresh_token']);
    assert.equal(app.refreshRotation, 'always');
    assert.deepEqual(app.clientMetadata, { logoUri: 'https://agent.example.com/logo.png', softwareId: 'agent-cli' });
    const again = await resolveClient(ID, ctx);
    assert.equal(again?.id, app.id, 'the same app on later uses');
    assert.equal(fetches.length, 1, 'from the cache while fresh');
  });

  it('updates the stored app when the document changes, and only then', async () => {
    const before = await store.apps.byClientId(ID);
    clock.advance(61);
    served = clientDocument(ID, { client_name: 'Agent', redirect_uris: ['https://agent.example.com/cb'], logo_uri: 'https://agent.example.com/logo.png', software_id: 'agent-cli' });
    assert.equal((await resolveClient(ID, ctx))?.updatedAt.getTime(), before?.updatedAt.getTime(), 'an unchanged document writes nothing');
    clock.advance(61);
    const jwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
    served = clientDocument(ID, { client_name: 'Agent 2', redirect_uris: ['https://agent.example.com/cb2'], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } });
    const app = await resolveClient(ID, ctx);
    assert.equal(app?.id, before?.id);
    assert.equal(app?.name, 'Agent 2');
    assert.deepEqual(app?.redirectUris, ['https://agent.example.com/cb2']);
    assert.equal(app?.tokenEndpointAuthMethod, 'private_key_jwt');
    assert.deepEqual(app?.jwks, { keys: [jwk] });
    assert.equal(app?.clientMetadata, null);
    assert.deepEqual(await store.apps.byClientId(ID), app, 'stored, not just returned');
  });

  it('stores nothing for a refused document, and says why', async () => {
    const other = 'https://agent.example.com/other.json';
    served = clientDocument(other, { client_secret: 's3cret' });
    await assert.rejects(resolveClient(other, ctx), (error: ClientDocumentError) => /client_secret must not appear/.test(error.reason));
    assert.equal(await store.apps.byClientId(other), undefined);
    served = new DocumentFetchError('it answered HTTP 404', 'refused');
    assert.deepEqual(await resolveClientOrReason('https://agent.example.com/missing.json', ctx), { reason: 'The client ID metadata document https://agent.example.com/missing.json could not be fetched: it answered HTTP 404.' });
  });

  it('two first uses at once store one app', async () => {
    const id = 'https://agent.example.com/twice.json';
    served = clientDocument(id);
    const [a, b] = await Promise.all([resolveClient(id, ctx), resolveClient(id, { ...ctx, clientDocuments: new ClientDocuments({ allowLoopback: false, clock, fetch: async () => ({ body: clientDocument(id), cacheControl: undefined }) }) })]);
    assert.equal(a?.id, b?.id);
  });

  it('finds registered apps as before, never fetching, and leaves a disabled document client alone', async () => {
    const { app } = await seedAccount(store);
    const count = fetches.length;
    assert.equal((await resolveClient(app.clientId, ctx))?.id, app.id);
    assert.equal(await resolveClient('0000000000000000beef', ctx), undefined);
    assert.deepEqual(await resolveClientOrReason('0000000000000000beef', ctx), { reason: 'No app with this client_id is registered.' });
    const stored = await store.apps.byClientId(ID);
    assert.ok(stored);
    await store.apps.update(stored.id, { disabledAt: clock.now() }, clock.now());
    clock.advance(600);
    served = new DocumentFetchError('it answered HTTP 404', 'refused');
    assert.equal((await resolveClient(ID, ctx))?.id, stored.id, 'a disabled client is not refetched (the operator decides about it)');
    assert.equal(fetches.length, count);
  });

  it('treats URL client ids as unknown in a context without documents (one built by hand)', async () => {
    assert.equal(await resolveClient('https://agent.example.com/unseen.json', { store, clock, clientDocuments: undefined }), undefined);
  });
});
