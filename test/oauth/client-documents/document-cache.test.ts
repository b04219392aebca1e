// The per-process cache of documents, on a manual clock against a loopback server: Cache-Control
// honoured within bounds, changes picked up after expiry, stale copies bridging an unreachable
// host for at most an hour, and refused documents dropped at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../../src/oauth/clock.ts';
import { ClientDocumentError, ClientDocuments } from '../../../src/oauth/client-documents/document-cache.ts';
import { clientDocument, startDocumentServer, type DocumentServer } from '../../helpers/document-server.ts';

describe('ClientDocuments', () => {
  let server: DocumentServer;
  let clock: ManualClock;
  let documents: ClientDocuments;
  let path = '';
  let id = '';
  let counter = 0;
  before(async () => (server = await startDocumentServer()));
  after(() => server.close());

  /** A fresh path and cache for each test. */
  function fresh(): void {
    counter += 1;
    path = `/client-${counter}.json`;
    id = server.url(path);
    clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    documents = new ClientDocuments({ allowLoopback: true, clock, timeoutMs: 500 });
  }

  it('keeps a document for its max-age, then fetches it again and honours the change', async () => {
    fresh();
    server.serve(path, { body: clientDocument(id, { client_name: 'First' }), headers: { 'cache-control': 'max-age=120' } });
    assert.equal((await documents.get(id)).name, 'First');
    server.serve(path, { body: clientDocument(id, { client_name: 'Second' }), headers: { 'cache-control': 'max-age=120' } });
    clock.advance(119);
    assert.equal((await documents.get(id)).name, 'First', 'the cached copy is served while fresh');
    assert.equal(server.hits(path), 1);
    clock.advance(2);
    assert.equal((await documents.get(id)).name, 'Second', 'after max-age the change is honoured');
    assert.equal(server.hits(path), 2);
  });

  it('keeps a no-store document for the 60 s minimum', async () => {
    fresh();
    server.serve(path, { body: clientDocument(id), headers: { 'cache-control': 'no-store' } });
    await documents.get(id);
    clock.advance(59);
    await documents.get(id);
    assert.equal(server.hits(path), 1);
    clock.advance(2);
    await documents.get(id);
    assert.equal(server.hits(path), 2);
  });

  it('shares one fetch among concurrent requests', async () => {
    fresh();
    server.serve(path, { body: clientDocument(id) });
    await Promise.all([documents.get(id), documents.get(id), documents.get(id)]);
    assert.equal(server.hits(path), 1);
  });

  it('serves a stale copy while the host is unreachable, for at most an hour past expiry', async () => {
    fresh();
    server.serve(path, { body: clientDocument(id, { client_name: 'Kept' }), headers: { 'cache-control': 'max-age=60' } });
    await documents.get(id);
    server.serve(path, { status: 503, body: { error: 'down' } });
    clock.advance(61);
    assert.equal((await documents.get(id)).name, 'Kept', 'a 503 on refetch: the stale copy');
    clock.advance(5);
    assert.equal((await documents.get(id)).name, 'Kept');
    assert.equal(server.hits(path), 2, 'an unreachable host is not asked again for a few seconds');
    clock.advance(3600);
    await assert.rejects(documents.get(id), (error: ClientDocumentError) => /could not be fetched: it answered HTTP 503/.test(error.reason));
  });

  it('fails when the host is unreachable and there is no copy', async () => {
    fresh();
    server.serve(path, { hang: true });
    await assert.rejects(documents.get(id), /could not be fetched: no answer within 500 ms/);
  });

  it('drops the copy when a refetch finds the document refused or invalid (no stale copy for those)', async () => {
    fresh();
    server.serve(path, { body: clientDocument(id) });
    await documents.get(id);
    server.serve(path, { body: clientDocument(id, { client_id: 'https://elsewhere.example.com/client.json' }) });
    clock.advance(61);
    await assert.rejects(documents.get(id), /cannot be used: its client_id .* must be exactly the URL/);
    server.serve(path, { status: 302, headers: { location: '/x' } });
    await assert.rejects(documents.get(id), /redirects are not followed/);
    server.serve(path, { body: clientDocument(id, { client_name: 'Back' }) });
    assert.equal((await documents.get(id)).name, 'Back');
  });

  it('refuses a client_id that is no document URL without fetching anything', async () => {
    fresh();
    const strictDocuments = new ClientDocuments({ allowLoopback: false, clock });
    await assert.rejects(strictDocuments.get(id), /not a usable client ID metadata document URL: it must use https/);
    await assert.rejects(documents.get('https://app.example.com/'), /must have a path/);
    assert.equal(server.hits(path), 0);
  });
});
