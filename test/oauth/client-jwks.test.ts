// Fetching a client's published keys: bounded in size and time, no redirects, JSON JWK Sets only;
// cached, fetched again for an unknown kid at most once per cool-down, kept while the URL fails.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ClientKeyCache, JWKS_FRESH_MS, JWKS_MAX_BYTES, JwksUnavailable, REFETCH_COOLDOWN_MS, fetchJwks } from '../../src/oauth/client-jwks.ts';

describe('fetching a jwks_uri', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((request, response) => {
      const answers: Record<string, () => void> = {
        '/ok': () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] })),
        '/big': () => response.writeHead(200).end(JSON.stringify({ keys: [], pad: 'x'.repeat(JWKS_MAX_BYTES) })),
        '/redirect': () => response.writeHead(302, { location: '/ok' }).end(),
        '/html': () => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>'),
        '/not-a-set': () => response.writeHead(200).end('{"kty":"EC"}'),
        '/missing': () => response.writeHead(404).end(),
        '/slow': () => void setTimeout(() => response.writeHead(200).end('{"keys":[]}'), 4000).unref(),
      };
      (answers[request.url ?? ''] ?? answers['/missing']!)();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it('reads a JWK Set', async () => {
    assert.equal((await fetchJwks(`${base}/ok`)).keys.length, 1);
  });

  it('refuses what is too large, redirected, not JSON, not a set, missing, or slow', async () => {
    const cases: [string, RegExp][] = [
      ['/big', /larger than/],
      ['/redirect', /could not be reached \(or redirected\)/],
      ['/html', /not JSON/],
      ['/not-a-set', /not a JWK Set/],
      ['/missing', /HTTP 404/],
      ['/slow', /did not answer within 3 s/],
    ];
    for (const [path, message] of cases) await assert.rejects(fetchJwks(`${base}${path}`), (error: unknown) => error instanceof JwksUnavailable && message.test(error.message), path);
  });
});

describe('the key cache', () => {
  const set = (kid: string) => ({ keys: [{ kid }] });

  it('keeps a set while fresh, refetches for an unknown kid only after the cool-down, and serves a stale set while the URL fails', async () => {
    let now = 0;
    let calls = 0;
    let failing = false;
    const cache = new ClientKeyCache(async () => {
      calls += 1;
      if (failing) throw new JwksUnavailable('could not be reached');
      return set(`k${calls}`);
    }, () => now);
    assert.deepEqual(await cache.keys('u'), set('k1'));
    assert.deepEqual(await cache.keys('u'), set('k1'));
    assert.equal(calls, 1, 'fresh: not fetched again');
    assert.equal(await cache.refetched('u'), undefined, 'within the cool-down: no refetch');
    now += REFETCH_COOLDOWN_MS;
    assert.deepEqual(await cache.refetched('u'), set('k2'));
    now += JWKS_FRESH_MS;
    failing = true;
    assert.deepEqual(await cache.keys('u'), set('k2'), 'stale but kept while the URL fails');
    assert.deepEqual(await cache.keys('u'), set('k2'));
    assert.equal(calls, 3, 'a failing URL is not asked again within the cool-down');
  });

  it('asks a URL that never answered at most once per cool-down', async () => {
    let now = 0;
    let calls = 0;
    const cache = new ClientKeyCache(async () => {
      calls += 1;
      throw new JwksUnavailable('could not be reached');
    }, () => now);
    await assert.rejects(cache.keys('v'), /could not be reached/);
    await assert.rejects(cache.keys('v'), /failed moments ago/);
    assert.equal(calls, 1);
    now += REFETCH_COOLDOWN_MS;
    await assert.rejects(cache.keys('v'), /could not be reached/);
    assert.equal(calls, 2);
  });
});
