// Generated form posts and queries against the console, as a signed-in admin with a valid CSRF
// token (so the parsers and the core's checks are reached): every answer is a page, never a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { consoleAs, csrfOf } from './console-client.ts';

const SEED = 20261129;
const RUNS = 300;
const FIELDS = ['name', 'description', 'redirect_uris', 'limit_to_account', 'refresh_rotation', 'revoke_tokens', 'username', 'password', 'email', 'first_name', 'last_name', 'role', 'verified', 'since', 'limit', 'csrf'];

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '\u0000', '\r\n', 'https://ok.example/cb', 'http://evil.example/cb', 'javascript:alert(1)', 'ADMIN', 'never', 'on', '2026-02-31', '500', '<script>x</script>', '\uD800', '𝕏'.repeat(300)),
  fc.nat({ max: 20_000 }).map((n) => 'a'.repeat(n)),
);

/** A form body (as a browser, a script, or an attacker might send it) that carries the CSRF token. */
function body(csrf: string) {
  const pairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), nasty), nasty), { maxLength: 8 });
  return fc.oneof(
    pairs.map((p) => ({ type: 'application/x-www-form-urlencoded', payload: new URLSearchParams([['csrf', csrf], ...p]).toString() })),
    fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(nasty, fc.integer(), fc.array(nasty, { maxLength: 3 }), fc.constant(null)), { maxKeys: 6 }).map((o) => ({
      type: 'application/json',
      payload: JSON.stringify({ ...o, csrf }),
    })),
    fc.tuple(fc.constantFrom('text/plain', 'multipart/form-data; boundary=x', 'application/xml', ''), fc.string({ unit: 'binary', maxLength: 300 })).map(([type, payload]) => ({ type, payload })),
  );
}

/** A multipart upload: the CSRF field, then a file of random bytes under a random field name. */
function upload(csrf: string) {
  return fc.tuple(fc.constantFrom('icon', 'file', 'csrf'), fc.uint8Array({ maxLength: 2000 }), fc.boolean()).map(([field, bytes, withPng]) => {
    const boundary = 'fuzzboundary';
    const png = withPng ? Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) : Buffer.alloc(0);
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="x.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(bytes),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { type: `multipart/form-data; boundary=${boundary}`, payload };
  });
}

describe('fuzzing the console', { timeout: 240_000 }, () => {
  let server: TestServer;
  let cookie = '';
  let csrf = '';
  before(async () => {
    server = await startTestServer();
    const jane = await consoleAs(server, 'acme', 'jane');
    csrf = csrfOf(jane);
    cookie = `gh_session=${jane.cookie('gh_session')}; gh_csrf=${csrf}`;
  });
  after(() => server.close());

  const id = () => String(server.backend.app.id);
  const posts: { name: string; path: () => string; upload?: boolean }[] = [
    { name: 'create app', path: () => '/console/apps' },
    { name: 'app settings', path: () => `/console/apps/${id()}` },
    { name: 'rotate secret', path: () => `/console/apps/${id()}/secret` },
    { name: 'icon upload', path: () => `/console/apps/${id()}/icon`, upload: true },
    { name: 'create user', path: () => '/console/users' },
    { name: 'change role', path: () => `/console/users/${server.otherUser.id}/role` },
    { name: 'revoke connection', path: () => `/console/connections/${id()}/revoke` },
    { name: 'verify app', path: () => `/console/admin/apps/${id()}/verified` },
  ];

  for (const endpoint of posts) {
    it(`${endpoint.name}: no 5xx for generated form posts`, async () => {
      let count = 0;
      await fc.assert(
        fc.asyncProperty(endpoint.upload ? fc.oneof(upload(csrf), body(csrf)) : body(csrf), async (b) => {
          const headers: Record<string, string> = { cookie };
          if (b.type !== '') headers['content-type'] = b.type;
          const response = await server.app.inject({ method: 'POST', url: endpoint.path(), headers, payload: b.payload });
          count++;
          assert.ok(response.statusCode < 500, `${endpoint.path()} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
          assert.doesNotMatch(response.body, /at \w+ \(|node:internal|FST_ERR|SqliteError/, 'no stack traces or internals in the body');
        }),
        { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
      );
      assert.ok(count >= 50, `ran ${count} requests`);
    });
  }

  it('pages: no 5xx for generated paths and queries', async () => {
    const paths = fc.tuple(
      fc.constantFrom('/console', '/console/apps/', '/console/apps/new', '/console/users', '/console/audit', '/console/connections', '/console/admin/apps', '/apps/'),
      fc.oneof(fc.constant(''), fc.string().map(encodeURIComponent), fc.nat().map(String), fc.constantFrom('1', '1/delete', '0', '99999999999999999999', 'abc/icon.png', '%zz')),
      fc.array(fc.tuple(fc.constantFrom('since', 'limit', 'saved', 'deleted', 'changed', 'created', 'revoked', 'v'), nasty), { maxLength: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(paths, async ([base, tail, query]) => {
        const url = `${base}${base.endsWith('/') ? tail : ''}?${new URLSearchParams(query).toString()}`;
        const response = await server.app.inject({ method: 'GET', url, headers: { cookie } });
        assert.ok(response.statusCode < 500, `GET ${url} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
    );
  });

  it('the console still works afterwards', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/console/apps', headers: { cookie } });
    assert.equal(response.statusCode, 200);
  });
});
