// Which errors mean "the database is unreachable": they become a 503 in the body shape of the
// surface (OAuth, resource API, page) with one log line and no stack; other errors stay 500s.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { isDatabaseUnavailable, registerErrorHandlers } from '../../src/http/errors.ts';
import { RouteIndex } from '../../src/http/route-index.ts';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('database outages in the error handler', () => {
  let app: FastifyInstance;
  const logLines: Record<string, unknown>[] = [];
  let thrown: unknown;

  before(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    app = Fastify({ logger: { level: 'info', stream } });
    // No routes declared: each path's surface comes from the area it lies in.
    registerErrorHandlers(app, new RouteIndex([]));
    const fail = async () => {
      throw thrown;
    };
    app.post('/api/developers/oauth2/token', fail);
    app.get('/api/users/current', fail);
    app.get('/login', fail);
    await app.ready();
  });
  after(() => app.close());

  it('recognises connection failures of pg, of the network and of SQLite', () => {
    for (const error of [
      withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      withCode('ETIMEDOUT'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('57P03', 'the database system is starting up'),
      withCode('08006'),
      withCode('53300', 'sorry, too many clients already'),
      withCode('SQLITE_BUSY', 'database is locked'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]), { code: 'ECONNREFUSED' }),
      new AggregateError([withCode('ECONNREFUSED')]),
      new Error('wrapped', { cause: withCode('ECONNRESET') }),
    ]) {
      assert.equal(isDatabaseUnavailable(error), true, String(error));
    }
    for (const error of [withCode('23505', 'duplicate key'), withCode('42P01', 'relation does not exist'), new Error('boom'), 'text', null]) {
      assert.equal(isDatabaseUnavailable(error), false, String(error));
    }
  });

  it('answers the token endpoint with temporarily_unavailable and logs one line without a stack', async () => {
    logLines.length = 0;
    thrown = withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
    const response = await app.inject({ method: 'POST', url: '/api/developers/oauth2/token' });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), {
      error: 'temporarily_unavailable',
      error_description: 'The service is temporarily unavailable; try again shortly',
      code: 'temporarily_unavailable',
    });
    assert.equal(response.headers['retry-after'], '5');
    assert.equal(response.headers['cache-control'], 'no-store');
    const errors = logLines.filter((line) => Number(line.level) >= 50);
    assert.equal(errors.length, 1, 'one log line');
    assert.match(String(errors[0]?.msg), /database unavailable/);
    assert.equal(errors[0]?.dbError, 'ECONNREFUSED');
    assert.equal(JSON.stringify(errors[0]).includes('    at '), false, 'no stack trace');
  });

  it('answers the resource API with SERVICE_UNAVAILABLE and pages with an error page', async () => {
    thrown = withCode('57P01', 'terminating connection due to administrator command');
    const api = await app.inject({ method: 'GET', url: '/api/users/current' });
    assert.equal(api.statusCode, 503);
    assert.deepEqual(api.json(), { status: 503, message: 'The service is temporarily unavailable; try again shortly', code: 'SERVICE_UNAVAILABLE' });

    thrown = new Error('Connection terminated unexpectedly');
    const page = await app.inject({ method: 'GET', url: '/login' });
    assert.equal(page.statusCode, 503);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /Temporarily unavailable/);
  });

  it('keeps other failures as 500 server errors', async () => {
    thrown = withCode('42P01', 'relation "grants" does not exist');
    const response = await app.inject({ method: 'POST', url: '/api/developers/oauth2/token' });
    assert.equal(response.statusCode, 500);
    assert.equal(response.json().error, 'server_error');
  });
});
