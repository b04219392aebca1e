// Generated and mutated requests against every public endpoint: whatever arrives, the server
// answers with a clean 4xx (or a success), never a 5xx, never a crash, with bounded memory.
// Fixed seed and bounded run time, so CI is repeatable.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { tokensFor } from '../helpers/tokens.ts';

const SEED = 20261122;
const RUNS_PER_ENDPOINT = 2000;

/** Cookies of a signed-in session for jane, obtained through the real login form. */
async function signedInCookie(server: TestServer): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (setCookie: string | string[] | undefined) => {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await server.app.inject({ method: 'GET', url: '/login' });
  keep(page.headers['set-cookie']);
  const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(page.body)?.[1] ?? '';
  const login = await server.app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    payload: new URLSearchParams({ csrf, tenant: 'acme', username: 'jane', password: PASSWORD, return_to: '/' }).toString(),
  });
  assert.equal(login.statusCode, 303, 'signed in');
  keep(login.headers['set-cookie']);
  return cookie();
}

interface Fixture {
  clientIds: string[];
  secrets: string[];
  tokens: string[];
  redirects: string[];
}

/** Strings that matter to the parsers: near-valid values, unicode, control characters, huge ones. */
function nastyString(f: Fixture): fc.Arbitrary<string> {
  const known = [...f.clientIds, ...f.secrets, ...f.tokens, ...f.redirects, 'authorization_code', 'refresh_token', 'code', 'S256', 'plain', 'profile source:w offline_access', 'wildcard:d'];
  return fc.oneof(
    fc.constantFrom(...known),
    fc.constantFrom(...known).chain((k) => fc.nat({ max: Math.max(0, k.length - 1) }).map((i) => k.slice(0, i) + k.slice(i + 1))),
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('\u0000', '%00', '\r\n', '../..', 'http://localhost:4597@evil.example', 'HTTP://LOCALHOST:4597/webapp', '{"a":1}', '[]', 'null', '\uD800', '𝕏'.repeat(300)),
    fc.nat({ max: 20_000 }).map((n) => 'a'.repeat(n)),
  );
}

/** Form encoding that, like a browser, turns lone surrogates into U+FFFD instead of throwing. */
const formEncode = (pairs: [string, string][]) => new URLSearchParams(pairs).toString();

const PARAMS = ['grant_type', 'code', 'code_verifier', 'redirect_uri', 'refresh_token', 'scope', 'client_id', 'client_secret', 'token', 'token_type_hint', 'response_type', 'state', 'code_challenge', 'code_challenge_method', 'name', 'integrationType', 'escalationPolicy', 'active', 'teams', 'start-index', 'max-results'];

function jsonValue(s: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, s, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(s, tie('value'), { maxKeys: 4 })),
  })).value;
}

function body(f: Fixture) {
  const s = nastyString(f);
  const pairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), s), s), { maxLength: 8 });
  return fc.oneof(
    pairs.map((p) => ({ type: 'application/x-www-form-urlencoded', payload: formEncode(p) })),
    fc.dictionary(fc.oneof(fc.constantFrom(...PARAMS), s), jsonValue(s), { maxKeys: 8 }).map((o) => ({ type: 'application/json', payload: JSON.stringify(o) })),
    fc.dictionary(fc.constantFrom(...PARAMS), jsonValue(s), { maxKeys: 6 }).map((o) => ({ type: 'application/x-www-form-urlencoded', payload: JSON.stringify(o) })),
    fc.tuple(fc.constantFrom('text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/json', 'application/x-www-form-urlencoded', ''), fc.string({ unit: 'binary', maxLength: 300 })).map(([type, payload]) => ({ type, payload })),
    fc.nat({ max: 40 }).map((depth) => ({ type: 'application/json', payload: '['.repeat(depth * 100) + ']'.repeat(depth * 100) })),
  );
}

function authorization(f: Fixture) {
  const s = nastyString(f);
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(...f.tokens).map((t) => `Bearer ${t}`),
    s.map((t) => `Bearer ${t}`),
    s.map((t) => `bEaReR  ${t}`),
    fc.tuple(s, s).map(([id, secret]) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`),
    s.map((t) => `Basic ${t}`),
    s,
  );
}

function query(f: Fixture) {
  const s = nastyString(f);
  return fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), s), s), { maxLength: 8 }).map(formEncode);
}

describe('fuzzing the public endpoints', { timeout: 240_000 }, () => {
  let server: TestServer;
  let fixture: Fixture;
  let session = '';
  before(async () => {
    server = await startTestServer();
    const tokens = await tokensFor(server, 'profile source:d');
    fixture = {
      clientIds: [server.backend.clientId, server.webapp.clientId],
      secrets: [server.backend.clientSecret],
      tokens: [tokens.accessToken, tokens.refreshToken],
      redirects: [BACKEND_REDIRECT, WEBAPP_REDIRECT],
    };
    session = await signedInCookie(server);
  });
  after(() => server.close());

  const endpoints: { name: string; method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; withBody: boolean; signedIn?: boolean }[] = [
    { name: 'authorize', method: 'GET', path: '/api/developers/oauth2/authorize', withBody: false },
    { name: 'authorize (signed in)', method: 'GET', path: '/api/developers/oauth2/authorize', withBody: false, signedIn: true },
    { name: 'consent (signed in)', method: 'POST', path: '/api/developers/oauth2/authorize', withBody: true, signedIn: true },
    { name: 'token', method: 'POST', path: '/api/developers/oauth2/token', withBody: true },
    { name: 'token_info', method: 'POST', path: '/api/developers/oauth2/token_info', withBody: true },
    { name: 'revoke', method: 'POST', path: '/api/developers/oauth2/revoke', withBody: true },
    { name: 'users/current', method: 'GET', path: '/api/users/current', withBody: false },
    { name: 'alert-sources list', method: 'GET', path: '/api/alert-sources', withBody: false },
    { name: 'alert-sources create', method: 'POST', path: '/api/alert-sources', withBody: true },
    { name: 'alert-sources replace', method: 'PUT', path: '/api/alert-sources/1', withBody: true },
  ];

  for (const endpoint of endpoints) {
    it(`${endpoint.name}: no 5xx for ${RUNS_PER_ENDPOINT} generated requests`, async () => {
      const rssBefore = process.memoryUsage().rss;
      let count = 0;
      await fc.assert(
        fc.asyncProperty(query(fixture), endpoint.withBody ? body(fixture) : fc.constant(undefined), authorization(fixture), async (q, b, auth) => {
          const headers: Record<string, string> = {};
          if (auth !== undefined) headers.authorization = auth;
          if (endpoint.signedIn) headers.cookie = session;
          if (b && b.type !== '') headers['content-type'] = b.type;
          const response = await server.app.inject({ method: endpoint.method, url: `${endpoint.path}${q ? `?${q}` : ''}`, headers, payload: b?.payload });
          count++;
          assert.ok(response.statusCode < 500, `${endpoint.method} ${endpoint.path} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
          assert.doesNotMatch(response.body, /at \w+ \(|node:internal|FST_ERR|SqliteError/, 'no stack traces or internals in the body');
        }),
        { seed: SEED, numRuns: RUNS_PER_ENDPOINT, interruptAfterTimeLimit: 25_000, markInterruptAsFailure: false },
      );
      assert.ok(count >= 200, `ran ${count} requests`);
      const growth = process.memoryUsage().rss - rssBefore;
      assert.ok(growth < 300 * 1024 * 1024, `memory grew by ${Math.round(growth / 1048576)} MiB`);
    });
  }

  it('the server still serves a normal request afterwards', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(response.statusCode, 200);
  });
});
