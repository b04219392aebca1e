// URLs the router cannot decode never reach the route handlers; they still get the error body of
// the surface they aimed at (OAuth, resource API, page), with its headers.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

forEachStore('undecodable and unknown URLs', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  it('an OAuth endpoint answers with an OAuth error body', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/developers/oauth2/%zz' });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), { error: 'invalid_request', error_description: 'The request URL could not be read', code: 'invalid_request' });
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  it('the resource API answers with its {status, message, code} body and CORS', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/alert-sources/%E0%A4%A', headers: { origin: 'http://localhost:4597' } });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), { status: 400, message: 'The request URL could not be read', code: 'BAD_REQUEST' });
    assert.equal(response.headers['access-control-allow-origin'], '*');
  });

  it('an over-long path parameter gets the API body, not the framework one', async () => {
    const response = await server.app.inject({ method: 'GET', url: `/api/alert-sources/${'a'.repeat(250)}` });
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, String(response.statusCode));
    const body = response.json() as Record<string, unknown>;
    assert.equal(body.status, response.statusCode);
    assert.equal(typeof body.message, 'string');
    assert.doesNotMatch(String(body.code), /^FST_/);
  });

  it('/api itself is part of the API: a JSON 404', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'NOT_FOUND');
  });

  it('a page answers with an HTML page that keeps the page protections', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/%zz' });
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(response.headers['x-frame-options'], 'DENY');
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });
});
