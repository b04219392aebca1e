// Fetching a client ID metadata document from servers on loopback (allowed by the development
// setting): what comes back, and each bad answer refused with its reason and kind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { DOCUMENT_LIMITS, fetchClientDocument } from '../../../src/oauth/client-documents/fetch-document.ts';
import { DocumentFetchError } from '../../../src/oauth/client-documents/fetch-errors.ts';
import { clientDocument, startDocumentServer, type DocumentServer } from '../../helpers/document-server.ts';

const development = { allowLoopback: true };

async function refusal(promise: Promise<unknown>): Promise<DocumentFetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DocumentFetchError) return error;
    throw error;
  }
  throw new Error('the fetch succeeded');
}

describe('fetchClientDocument', () => {
  let server: DocumentServer;
  before(async () => (server = await startDocumentServer()));
  after(() => server.close());

  it('fetches a JSON document with GET and Accept: application/json, and returns its Cache-Control', async () => {
    let seen: { method?: string; accept?: string } = {};
    server.serve('/ok.json', (request) => {
      seen = { method: request.method, accept: request.headers.accept };
      return { body: clientDocument(server.url('/ok.json')), headers: { 'cache-control': 'max-age=300' } };
    });
    const fetched = await fetchClientDocument(new URL(server.url('/ok.json')), development);
    assert.equal(fetched.body.client_id, server.url('/ok.json'));
    assert.equal(fetched.cacheControl, 'max-age=300');
    assert.deepEqual(seen, { method: 'GET', accept: 'application/json' });
  });

  it('has the limits the draft asks for: 5 kB and 3 s', () => {
    assert.deepEqual(DOCUMENT_LIMITS, { maxBytes: 5120, timeoutMs: 3000 });
  });

  it('refuses loopback without the development setting, before connecting', async () => {
    server.serve('/never.json', { body: clientDocument(server.url('/never.json')) });
    const error = await refusal(fetchClientDocument(new URL(server.url('/never.json')), { allowLoopback: false }));
    assert.equal(error.kind, 'refused');
    assert.match(error.reason, /127\.0\.0\.1, a loopback address/);
    assert.equal(server.hits('/never.json'), 0, 'no request reached the server');
  });

  it('connects to the checked address, resolving once, with the URL\'s own Host', async () => {
    let lookups = 0;
    const resolver = async () => {
      lookups += 1;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const port = new URL(server.origin).port;
    server.serve('/named.json', { body: { client_id: 'x' } });
    await fetchClientDocument(new URL(`http://agent.localhost:${port}/named.json`), { ...development, resolver });
    assert.equal(lookups, 1);
    assert.equal(server.hosts.at(-1), `agent.localhost:${port}`);
  });

  const refusals: [string, Parameters<DocumentServer['serve']>[1], 'refused' | 'unreachable', RegExp][] = [
    ['a body that is not JSON', { body: '<html>hello</html>', headers: { 'content-type': 'text/html' } }, 'refused', /not JSON \(Content-Type text\/html\)/],
    ['JSON that does not parse', { body: '{"client_id": ', headers: { 'content-type': 'application/json' } }, 'refused', /not valid JSON/],
    ['a JSON array', { body: '[1, 2]', headers: { 'content-type': 'application/json' } }, 'refused', /not a JSON object/],
    ['a redirect', { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }, 'refused', /redirect \(HTTP 302\)/],
    ['a permanent redirect', { status: 308, headers: { location: '/elsewhere.json' } }, 'refused', /redirect \(HTTP 308\)/],
    ['a missing document', { status: 404, body: { error: 'gone' } }, 'refused', /HTTP 404/],
    ['a server error', { status: 503, body: { error: 'down' } }, 'unreachable', /HTTP 503/],
    ['a declared length over 5 kB', { body: `{"pad": "${'x'.repeat(6000)}"}`, headers: { 'content-type': 'application/json' } }, 'refused', /larger than 5120 bytes/],
    ['a streamed body over 5 kB', { body: Buffer.from(`{"pad": "${'x'.repeat(6000)}"}`), headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, 'refused', /larger than 5120 bytes/],
  ];
  for (const [what, answer, kind, reason] of refusals) {
    it(`refuses ${what}`, async () => {
      const path = `/${what.replace(/\W+/g, '-')}.json`;
      server.serve(path, answer);
      const error = await refusal(fetchClientDocument(new URL(server.url(path)), development));
      assert.equal(error.kind, kind);
      assert.match(error.reason, reason);
    });
  }

  it('gives up on a host that does not answer in time', async () => {
    server.serve('/slow.json', { hang: true });
    const started = Date.now();
    const error = await refusal(fetchClientDocument(new URL(server.url('/slow.json')), { ...development, timeoutMs: 300 }));
    assert.equal(error.kind, 'unreachable');
    assert.match(error.reason, /no answer within 300 ms/);
    assert.ok(Date.now() - started < 2000, 'it did not wait much longer than the limit');
  });

  it('gives up on a resolver that does not answer in time', async () => {
    const resolver = () => new Promise<never>(() => undefined);
    const error = await refusal(fetchClientDocument(new URL('https://hangs.example.com/client.json'), { allowLoopback: false, resolver, timeoutMs: 200 }));
    assert.match(error.reason, /no answer within 200 ms/);
  });

  it('keeps the TLS server name and verifies the certificate while connecting to the pinned address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-'));
    // A self-signed certificate for agent.test, made here so that no key lives in the repository.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=agent.test', '-addext', 'subjectAltName=DNS:agent.test'], { stdio: 'ignore' });
    const credentials = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    rmSync(dir, { recursive: true, force: true });
    const serverNames: string[] = [];
    const tlsServer = createServer({
      ...credentials,
      SNICallback: (name, done) => {
        serverNames.push(name);
        done(null, createSecureContext(credentials));
      },
    });
    tlsServer.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    const port = (tlsServer.address() as AddressInfo).port;
    const asked: string[] = [];
    const resolver = async (hostname: string) => {
      asked.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    try {
      const error = await refusal(fetchClientDocument(new URL(`https://agent.test:${port}/client.json`), { ...development, resolver }));
      assert.deepEqual(asked, ['agent.test'], 'resolved once');
      assert.deepEqual(serverNames, ['agent.test'], 'the connection reached the checked address, naming the URL\'s host in SNI');
      assert.match(error.reason, /SELF_SIGNED/, 'the certificate was verified (and, being self-signed, refused)');
    } finally {
      tlsServer.closeAllConnections();
      await new Promise((resolve) => tlsServer.close(resolve));
    }
  });

  it('says when nothing listens', async () => {
    const closed = await startDocumentServer();
    const url = closed.url('/client.json');
    await closed.close();
    const error = await refusal(fetchClientDocument(new URL(url), development));
    assert.equal(error.kind, 'unreachable');
    assert.match(error.reason, /connection failed \(ECONNREFUSED\)/);
  });
});
