// GATEHOUSE_CIMD_ALLOW_LOOPBACK on a real `gatehouse serve`: announced loudly at start (the
// banner and the log), and it reaches the authorization endpoint, which then accepts a client
// whose document lives on http://127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientDocument, startDocumentServer, type DocumentServer } from '../helpers/document-server.ts';
import { serve, type Served } from '../ops/serve-process.ts';

describe('gatehouse serve with GATEHOUSE_CIMD_ALLOW_LOOPBACK=true', () => {
  let server: Served;
  let docs: DocumentServer;
  before(async () => {
    docs = await startDocumentServer();
    server = await serve(['--workers', '1'], { GATEHOUSE_CIMD_ALLOW_LOOPBACK: 'true' }, /Gatehouse is listening/);
  });
  after(async () => {
    await server.stop();
    await docs.close();
  });

  it('warns at start, in the banner and in the log', () => {
    assert.match(server.output(), /^WARNING: CLIENT ID METADATA DOCUMENTS MAY BE FETCHED FROM LOOPBACK \(GATEHOUSE_CIMD_ALLOW_LOOPBACK=true\)/m);
    const logged = server.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string });
    assert.ok(logged.some((entry) => entry.level === 40 && /GATEHOUSE_CIMD_ALLOW_LOOPBACK=true/.test(entry.msg)), 'a warn-level log line');
  });

  it('accepts an http://127.0.0.1 client id whose document is on loopback', async () => {
    const clientId = docs.url('/dev-client.json');
    docs.serve('/dev-client.json', { body: clientDocument(clientId) });
    const query = new URLSearchParams({ client_id: clientId, redirect_uri: 'http://127.0.0.1:7777/callback', response_type: 'code', scope: 'profile', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const response = await fetch(`${server.url}/api/developers/oauth2/authorize?${query.toString()}`, { redirect: 'manual' });
    assert.equal(response.status, 200, 'the sign-in page, not the unknown-client page');
    assert.match(await response.text(), /action="\/login"/);
    assert.equal(docs.hits('/dev-client.json'), 1);
  });
});
