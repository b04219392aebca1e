// A PostgreSQL outage, through a forwarder the test cuts: requests that need the database fail
// fast with 503 in the body shape of their surface, the server stays up, and it serves again as
// soon as the database is back, without a restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/open.ts';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { STORE_KINDS, type TestDatabase } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { tokensFor } from '../helpers/tokens.ts';
import { TcpProxy } from './tcp-proxy.ts';

const postgres = STORE_KINDS.find((k) => k.name === 'postgres');

describe('a PostgreSQL outage [postgres]', { skip: postgres ? false : 'PostgreSQL is not reachable (see above)' }, () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let refreshToken: string;
  let accessToken: string;

  before(async () => {
    const direct = await postgres!.database();
    const url = new URL(direct.options.databaseUrl!);
    proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const options = { ...direct.options, databaseUrl: url.toString() };
    const proxied: TestDatabase = { ...direct, options, open: () => openStore(options) };
    server = await startTestServer({ database: proxied });
    ({ accessToken, refreshToken } = await tokensFor(server, 'profile'));
  });
  after(async () => {
    await server?.close();
    await proxy?.close();
  });

  const refresh = () =>
    postForm(tokenUrl(server.url), { grant_type: 'refresh_token', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, refresh_token: refreshToken });
  const me = () => fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  const authorizePage = () =>
    new Browserless(server.url).request(
      `/api/developers/oauth2/authorize?${new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile' })}`,
    );

  async function assertUnavailable(maxMs: number): Promise<void> {
    const started = Date.now();
    const token = await refresh();
    assert.equal(token.status, 503);
    assert.equal(token.body.error, 'temporarily_unavailable');
    assert.equal(token.body.code, 'temporarily_unavailable');
    assert.equal(token.headers.get('retry-after'), '5');

    const api = await me();
    assert.equal(api.status, 503);
    assert.deepEqual(await api.json(), { status: 503, message: 'The service is temporarily unavailable; try again shortly', code: 'SERVICE_UNAVAILABLE' });

    const page = await authorizePage();
    assert.equal(page.status, 503);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /cannot reach its database/);
    assert.ok(Date.now() - started < maxMs, `answered within ${maxMs} ms, not ${Date.now() - started}`);
  }

  async function assertServing(): Promise<void> {
    const token = await refresh();
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal((await me()).status, 200);
    assert.equal((await authorizePage()).status, 200);
  }

  it('serves while the database is reachable', assertServing);

  it('answers 503 at once while connections are refused, and serves again when the database is back', async () => {
    proxy.cut('reset');
    await assertUnavailable(2000);
    proxy.restore();
    await assertServing();
  });

  it('answers 503 within the connect timeout while the database does not answer, and recovers', { timeout: 30_000 }, async () => {
    proxy.cut('silent');
    // The first request may still find a pooled connection and fail on it; the second has to
    // open one and must give up after the connect timeout (3 s) rather than hang.
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      const token = await refresh();
      assert.equal(token.status, 503);
      assert.equal(token.body.error, 'temporarily_unavailable');
      assert.ok(Date.now() - started < 6000, `answered after ${Date.now() - started} ms`);
    }
    proxy.restore();
    await assertServing();
  });
});
