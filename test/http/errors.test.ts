// URLs Fastify cannot decode never reach the error handler; sendFrameworkError gives them the
// surface's own error body and headers (wired through Fastify's `frameworkErrors` option).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerCors } from '../../src/http/cors.ts';
import { registerErrorHandlers, sendFrameworkError } from '../../src/http/errors.ts';
import { registerSecurityHeaders } from '../../src/http/security-headers.ts';

describe('undecodable URLs', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify({ frameworkErrors: sendFrameworkError });
    registerErrorHandlers(app);
    registerSecurityHeaders(app, { https: false });
    registerCors(app);
    app.post('/api/developers/oauth2/token', async () => ({}));
    app.get('/api/users/:id', async () => ({}));
    app.get('/:page', async () => '');
    await app.ready();
  });
  after(() => app.close());

  it('an OAuth endpoint answers with an OAuth error body', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/developers/oauth2/%zz' });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), { error: 'invalid_request', error_description: 'The request URL could not be read', code: 'invalid_request' });
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  it('the resource API answers with its {status, message, code} body and CORS', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/users/%zz', headers: { origin: 'http://localhost:4597' } });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), { status: 400, message: 'The request URL could not be read', code: 'BAD_REQUEST' });
    assert.equal(response.headers['access-control-allow-origin'], '*');
  });

  it('a page answers with an HTML page that keeps the page protections', async () => {
    const response = await app.inject({ method: 'GET', url: '/%zz' });
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(response.headers['x-frame-options'], 'DENY');
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });
});
