// RFC 9728 for the built-in API: a client that knows only the API's URL finds, from its metadata
// or from any 401/403 it gets there, the authorization server that issues its tokens and the
// scopes it knows; the metadata's `resource` is exactly the `aud` of the tokens the API accepts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { tokenFor } from '../helpers/tokens.ts';

const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks http on loopback

/** The parameters of a `Bearer k="v", …` challenge. */
function challengeParams(header: string | null): Record<string, string> {
  assert.ok(header, 'a WWW-Authenticate header');
  assert.match(header, /^Bearer /);
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { aud: string; iss: string };

describe('protected resource metadata (RFC 9728) of the built-in API', () => {
  let server: TestServer;
  let documentAtPath: Record<string, unknown>;
  before(async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/.well-known/oauth-protected-resource/api`, { headers: { origin: 'http://localhost:4597' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*', 'browser clients can discover too');
    assert.match(response.headers.get('cache-control') ?? '', /max-age=300/);
    documentAtPath = (await response.json()) as Record<string, unknown>;
  });
  after(() => server.close());

  it('names the API as tokens name it, this server as its authorization server, and its scopes', async () => {
    const token = await tokenFor(server, 'profile');
    const claims = claimsOf(token);
    assert.equal(documentAtPath.resource, `${server.url}/api`);
    assert.equal(documentAtPath.resource, claims.aud, 'resource is the aud of the tokens the API accepts');
    assert.deepEqual(documentAtPath.authorization_servers, [claims.iss]);
    assert.deepEqual(documentAtPath.bearer_methods_supported, ['header']);
    assert.equal(documentAtPath.jwks_uri, `${server.url}/.well-known/jwks.json`);
    assert.equal(typeof documentAtPath.resource_name, 'string');
    assert.equal((await fetch(String(documentAtPath.resource_documentation))).status, 200, 'the documentation link answers');
    const scopes = documentAtPath.scopes_supported as string[];
    for (const scope of ['profile', 'source', 'source:w', 'source:d', 'wildcard:d']) assert.ok(scopes.includes(scope), scope);
    assert.ok(!scopes.includes('offline_access'), 'offline_access is the authorization server\'s, not the API\'s');
  });

  it('serves the same document at the root, and the authorization server lists the API', async () => {
    const root = await fetch(`${server.url}/.well-known/oauth-protected-resource`);
    assert.equal(root.status, 200);
    assert.deepEqual(await root.json(), documentAtPath);
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.deepEqual(metadata.protected_resources, [documentAtPath.resource]);
  });

  it('passes an independent client\'s checks (oauth4webapi resource discovery)', async () => {
    const resource = new URL(`${server.url}/api`);
    const response = await oauth.resourceDiscoveryRequest(resource, insecure);
    const discovered = await oauth.processResourceDiscoveryResponse(resource, response);
    assert.equal(discovered.resource, resource.href);
    assert.deepEqual(discovered.authorization_servers, [server.url]);
    const as = await oauth.processDiscoveryResponse(new URL(server.url), await oauth.discoveryRequest(new URL(server.url), { ...insecure, algorithm: 'oauth2' }));
    assert.equal(as.issuer, discovered.authorization_servers?.[0]);
  });

  it('names the metadata in every 401 challenge of the API, beside ilert\'s body', async () => {
    const cases: [string, Record<string, string>, string | undefined][] = [
      ['no header', {}, undefined],
      ['a bad token', { authorization: 'Bearer not-a-token' }, 'invalid_token'],
      ['a malformed header', { authorization: 'Basic abc' }, 'invalid_request'],
    ];
    for (const [what, headers, error] of cases) {
      const response = await fetch(`${server.url}/api/users/current`, { headers });
      assert.equal(response.status, 401, what);
      const params = challengeParams(response.headers.get('www-authenticate'));
      assert.equal(params.resource_metadata, `${server.url}/.well-known/oauth-protected-resource/api`, what);
      assert.equal(params.error, error, what);
      const body = (await response.json()) as { status: number; code: string };
      assert.equal(body.status, 401, `${what}: ilert's body is unchanged`);
      const followed = await fetch(params.resource_metadata ?? '');
      assert.deepEqual(await followed.json(), documentAtPath, `${what}: the named metadata answers`);
    }
  });

  it('answers a missing scope with 403 insufficient_scope, the scope needed and the metadata', async () => {
    const token = await tokenFor(server, 'profile');
    const response = await fetch(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 403);
    const params = challengeParams(response.headers.get('www-authenticate'));
    assert.equal(params.error, 'insufficient_scope');
    assert.equal(params.scope, 'source');
    assert.equal(params.resource_metadata, `${server.url}/.well-known/oauth-protected-resource/api`);
    assert.equal(((await response.json()) as { code: string }).code, 'OAUTH2_SCOPE_ERROR');
  });
});
