// The TokenManager against a scripted server and clock: when it refreshes, that concurrent callers
// share one refresh, the retry after a 401, what ends a session, and the storage adapters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LoginRequiredError,
  MemoryTokenStorage,
  OAuthClientError,
  TokenManager,
  WebStorageTokenStorage,
  type ClientConfig,
  type TokenSet,
  type WebStorageLike,
} from '@gatehouse/client';
import { FakeClock, FakeFetch, deferred, json, tokenResponse } from './fake-fetch.ts';

const TOKEN = '/api/developers/oauth2/token';
const ME = '/api/users/current';

function setup(initial?: Partial<TokenSet>) {
  const server = new FakeFetch();
  const clock = new FakeClock();
  const config: ClientConfig = { baseUrl: 'https://g.example', clientId: 'c', fetch: server.fetch, now: clock.now };
  const storage = new MemoryTokenStorage(
    initial && { accessToken: 'at-0', tokenType: 'Bearer', expiresAt: clock.time + 3600_000, refreshToken: 'rt-0', ...initial },
  );
  const manager = new TokenManager(config, { storage });
  // The resource server accepts exactly the access token the test says is current.
  let valid = 'at-0';
  server.on(ME, (r) => (r.headers.get('authorization') === `Bearer ${valid}` ? json(200, { username: 'jane' }) : json(401, { status: 401 })));
  let n = 0;
  server.on(TOKEN, () => {
    n++;
    valid = `at-${n}`;
    return tokenResponse(valid, `rt-${n}`);
  });
  return { server, clock, storage, manager, setValid: (t: string) => (valid = t) };
}

describe('TokenManager', () => {
  it('refreshes only once the access token has 60 seconds or less left', async () => {
    const { server, clock, manager } = setup({});
    clock.advance(3600 - 61);
    assert.equal(await manager.getAccessToken(), 'at-0');
    assert.equal(server.to(TOKEN).length, 0);
    clock.advance(1);
    assert.equal(await manager.getAccessToken(), 'at-1', 'refreshed 60 s before expiry');
    assert.equal(server.to(TOKEN)[0]?.form.get('refresh_token'), 'rt-0');
    const stored = await manager.getTokens();
    assert.equal(stored?.refreshToken, 'rt-1', 'the rotated refresh token is kept');
    assert.equal(stored?.expiresAt, clock.time + 3600_000);
    assert.equal(await manager.getAccessToken(), 'at-1');
    assert.equal(server.to(TOKEN).length, 1);
  });

  it('a custom leeway moves the refresh point', async () => {
    const { server, clock, storage } = setup({});
    const manager = new TokenManager({ baseUrl: 'https://g.example', clientId: 'c', fetch: server.fetch, now: clock.now }, { storage, refreshLeewaySeconds: 300 });
    clock.advance(3600 - 301);
    await manager.getAccessToken();
    assert.equal(server.to(TOKEN).length, 0);
    clock.advance(2);
    await manager.getAccessToken();
    assert.equal(server.to(TOKEN).length, 1);
  });

  it('twenty concurrent callers near expiry share one refresh request and all get its token', async () => {
    const { server, clock, manager, setValid } = setup({});
    const answer = deferred<Response>();
    server.on(TOKEN, () => answer.promise);
    setValid('at-1');
    clock.advance(3590);
    const callers = Array.from({ length: 20 }, () => manager.getAccessToken());
    const fetches = Array.from({ length: 5 }, () => manager.fetch(ME));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(server.to(TOKEN).length, 1, 'one refresh in flight');
    answer.resolve(tokenResponse('at-1', 'rt-1'));
    assert.deepEqual(new Set(await Promise.all(callers)), new Set(['at-1']));
    assert.deepEqual((await Promise.all(fetches)).map((r) => r.status), [200, 200, 200, 200, 200]);
    assert.equal(server.to(TOKEN).length, 1);
    // Once settled, a later refresh is a new request with the new refresh token.
    server.on(TOKEN, () => tokenResponse('at-2', 'rt-2'));
    await manager.refresh();
    assert.equal(server.to(TOKEN)[1]?.form.get('refresh_token'), 'rt-1');
  });

  it('fetch sends the bearer token; after a 401 it refreshes once and retries with the body intact', async () => {
    const { server, manager, setValid } = setup({});
    setValid('at-revoked-elsewhere');
    server.on('/api/alert-sources', (r) => (r.headers.get('authorization') === 'Bearer at-1' ? json(201, { ok: true }) : json(401, {})));
    const response = await manager.fetch('/api/alert-sources', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' });
    assert.equal(response.status, 201);
    const calls = server.to('/api/alert-sources');
    assert.equal(calls.length, 2);
    assert.equal(calls[0]?.headers.get('authorization'), 'Bearer at-0');
    assert.equal(calls[1]?.headers.get('authorization'), 'Bearer at-1');
    assert.equal(calls[1]?.form.get('name'), 'x', 'the retry carries the same body');
    assert.equal(server.to(TOKEN).length, 1);
  });

  it('retries only once: a second 401 is returned to the caller', async () => {
    const { server, manager } = setup({});
    server.on('/always-401', () => json(401, {}));
    const response = await manager.fetch('https://g.example/always-401');
    assert.equal(response.status, 401);
    assert.equal(server.to('/always-401').length, 2);
    assert.equal(server.to(TOKEN).length, 1);
  });

  it('concurrent 401s cause one refresh; a 401 after another caller refreshed reuses its token', async () => {
    const { server, manager, setValid } = setup({});
    setValid('at-1');
    const responses = await Promise.all(Array.from({ length: 10 }, () => manager.fetch(ME)));
    assert.deepEqual(responses.map((r) => r.status), Array(10).fill(200));
    assert.equal(server.to(TOKEN).length, 1);
  });

  it('a 401 that arrives after another caller already refreshed takes that token instead of refreshing again', async () => {
    const { server, manager, setValid } = setup({});
    setValid('at-1');
    const held = deferred<Response>();
    let calls = 0;
    server.on('/slow', (r) => (++calls === 1 ? held.promise : json(r.headers.get('authorization') === 'Bearer at-1' ? 200 : 401, {})));
    const slow = manager.fetch('/slow'); // its first answer is held back
    await new Promise((resolve) => setTimeout(resolve, 10));
    const fast = await manager.fetch('/slow'); // 401, refresh, retry
    assert.equal(fast.status, 200);
    assert.equal(server.to(TOKEN).length, 1);
    held.resolve(json(401, {}));
    assert.equal((await slow).status, 200);
    assert.equal(server.to(TOKEN).length, 1, 'no second refresh: rt-1 is still unspent');
  });

  it('without a refresh token: a 401 comes back as it is; an expired token means login', async () => {
    const { server, clock, manager } = setup({ refreshToken: undefined, accessToken: 'at-dead' });
    assert.equal((await manager.fetch(ME)).status, 401);
    clock.advance(3600);
    await assert.rejects(manager.getAccessToken(), LoginRequiredError);
    assert.equal(server.to(TOKEN).length, 0);
    await manager.clear();
    await assert.rejects(manager.fetch(ME), LoginRequiredError);
  });

  it('a refused refresh token (invalid_grant) clears the tokens and asks for login, with the OAuth error as cause', async () => {
    const { server, clock, manager } = setup({});
    server.on(TOKEN, () => json(400, { error: 'invalid_grant', error_description: 'refresh token revoked', code: 'invalid_grant' }));
    clock.advance(3600);
    await assert.rejects(manager.getAccessToken(), (e: unknown) => {
      assert.ok(e instanceof LoginRequiredError);
      assert.ok(e.cause instanceof OAuthClientError && e.cause.code === 'invalid_grant' && e.cause.status === 400);
      return true;
    });
    assert.equal(await manager.getTokens(), undefined);
  });

  it('a refresh that fails for a passing reason keeps a token that still works, and keeps the tokens', async () => {
    const { server, clock, manager } = setup({});
    server.on(TOKEN, () => new Response('upstream down', { status: 503 }));
    clock.advance(3570);
    assert.equal(await manager.getAccessToken(), 'at-0');
    clock.advance(60);
    await assert.rejects(manager.getAccessToken(), (e: unknown) => !(e instanceof LoginRequiredError));
    assert.equal((await manager.getTokens())?.refreshToken, 'rt-0');
  });

  it('an expired refresh token is not sent', async () => {
    const { server, clock, manager } = setup({ refreshTokenExpiresAt: Date.UTC(2026, 0, 1) + 1000 });
    clock.advance(3600);
    await assert.rejects(manager.getAccessToken(), LoginRequiredError);
    assert.equal(server.to(TOKEN).length, 0);
  });

  it('a non-rotating server’s refresh keeps the refresh token and its expiry', async () => {
    const { server, clock, manager } = setup({ refreshTokenExpiresAt: Date.UTC(2027, 0, 1) });
    server.on(TOKEN, () => tokenResponse('at-9'));
    clock.advance(3600);
    await manager.getAccessToken();
    const stored = await manager.getTokens();
    assert.equal(stored?.refreshToken, 'rt-0');
    assert.equal(stored?.refreshTokenExpiresAt, Date.UTC(2027, 0, 1));
  });

  it('logout waits for a running refresh, revokes the newest refresh token and forgets everything', async () => {
    const { server, clock, manager } = setup({});
    const answer = deferred<Response>();
    server.on(TOKEN, () => answer.promise);
    server.on('/api/developers/oauth2/revoke', () => json(200, {}));
    clock.advance(3600);
    const pending = manager.getAccessToken();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const loggingOut = manager.logout();
    answer.resolve(tokenResponse('at-1', 'rt-1'));
    await loggingOut;
    await pending;
    assert.equal(server.to('/api/developers/oauth2/revoke')[0]?.form.get('token'), 'rt-1');
    assert.equal(await manager.getTokens(), undefined);
  });

  it('tokens cleared during a refresh stay cleared', async () => {
    const { server, clock, manager } = setup({});
    const answer = deferred<Response>();
    server.on(TOKEN, () => answer.promise);
    clock.advance(3600);
    const pending = manager.getAccessToken();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await manager.clear();
    answer.resolve(tokenResponse('at-1', 'rt-1'));
    await assert.rejects(pending, LoginRequiredError);
    assert.equal(await manager.getTokens(), undefined);
  });
});

describe('WebStorageTokenStorage', () => {
  class FakeWebStorage implements WebStorageLike {
    readonly items = new Map<string, string>();
    getItem = (k: string) => this.items.get(k) ?? null;
    setItem = (k: string, v: string) => void this.items.set(k, v);
    removeItem = (k: string) => void this.items.delete(k);
  }

  it('keeps tokens as JSON under its key and treats foreign content as none', () => {
    const web = new FakeWebStorage();
    const storage = new WebStorageTokenStorage('my.tokens', web);
    const tokens: TokenSet = { accessToken: 'a', tokenType: 'Bearer', expiresAt: 5, refreshToken: 'r' };
    storage.save(tokens);
    assert.deepEqual(JSON.parse(web.items.get('my.tokens') ?? ''), tokens);
    assert.deepEqual(storage.load(), tokens);
    for (const junk of ['{', '"a string"', '{"accessToken":1,"tokenType":"Bearer"}', '{"accessToken":"a","tokenType":"MAC"}']) {
      web.items.set('my.tokens', junk);
      assert.equal(storage.load(), undefined, junk);
    }
    storage.clear();
    assert.equal(web.items.has('my.tokens'), false);
  });

  it('without sessionStorage (Node) it says so instead of failing later', () => {
    assert.throws(() => new WebStorageTokenStorage(), TypeError);
  });
});
