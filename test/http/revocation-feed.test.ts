// The revocation feed: a resource server, with its own credentials, hears of every revocation of
// a token family that could mint its tokens — a user revoking the app, a refresh-token replay, the
// app or the resource deleted — in order, paged, and within a second when long-polling.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { ResourceServer } from '../../src/domain/resource-server.ts';
import { deleteApp } from '../../src/platform/app-management.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { revokeConnection } from '../../src/platform/connections.ts';
import { deleteResource, registerResource } from '../../src/platform/resources.ts';
import { decodeCursor, encodeCursor, waitSeconds } from '../../src/oauth/revocation-feed.ts';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenUrl } from '../helpers/token-client.ts';

const JANE = { tenant: 'acme', username: 'jane', password: PASSWORD };
const fidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { fid: string }).fid;

interface Feed {
  status: number;
  headers: Headers;
  body: { revocations: { fid: string; reason: string; revoked_at: number }[]; cursor: string; has_more: boolean; resource_deleted: boolean; error?: string; error_description?: string };
}

it('reads cursors and waits strictly: c1.<n>, 0 to 30 seconds (clamped), nothing else', () => {
  assert.equal(decodeCursor(encodeCursor(42)), 42);
  for (const bad of ['42', 'c1.', 'c1.-1', 'c2.5', 'c1.1e3', `c1.${'9'.repeat(20)}`]) assert.throws(() => decodeCursor(bad), /cursor/, bad);
  assert.equal(waitSeconds(undefined), 0);
  assert.equal(waitSeconds('2.5'), 2.5);
  assert.equal(waitSeconds('999'), 30);
  assert.equal(waitSeconds('-5'), 0);
  for (const bad of ['abc', '1e2', '', '+3']) assert.throws(() => waitSeconds(bad), /wait must be/, bad);
});

forEachStore('revocation feed', (kind) => {
  let server: TestServer;
  let notes: { resource: ResourceServer; clientSecret: string };
  let billing: { resource: ResourceServer; clientSecret: string };
  before(async () => {
    server = await startTestServer({ store: kind.name });
    notes = await registerResource({ identifier: 'https://notes.example.com/api', name: 'Notes', scopes: [{ kind: 'family', name: 'notes', noun: 'Notes' }] }, {}, server.ctx);
    billing = await registerResource({ identifier: 'https://billing.example.com', name: 'Billing', scopes: [{ kind: 'family', name: 'invoices', noun: 'Invoices' }] }, {}, server.ctx);
  });
  after(() => server.close());

  const feed = async (query: string, credentials: { id: string; secret: string } | null = { id: notes.resource.clientId, secret: notes.clientSecret }): Promise<Feed> => {
    const response = await fetch(`${server.url}/oauth2/revocations${query}`, { headers: credentials ? { authorization: basicAuth(credentials.id, credentials.secret) } : {} });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Feed['body'] };
  };

  /** Tokens for a resource through the backend app (or another app), as jane. */
  async function tokensFor(resource: string, scope: string, app = server.backend) {
    const query = new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: `${scope} offline_access`, state: 's', resource });
    const code = await new Browserless(server.url).authorizeCode(query.toString(), JANE);
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    return { accessToken: String(token.body.access_token), refreshToken: String(token.body.refresh_token) };
  }

  it('is advertised, answers JSON that is never cached, and starts with the revocations that still matter', async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(metadata.revocation_feed_endpoint, `${server.url}/oauth2/revocations`);
    const start = await feed('');
    assert.equal(start.status, 200);
    assert.equal(start.headers.get('cache-control'), 'no-store');
    assert.deepEqual(start.body.revocations, []);
    assert.equal(start.body.has_more, false);
    assert.equal(start.body.resource_deleted, false);
    decodeCursor(start.body.cursor);
  });

  it('tells the resource of a user revoking the app, and only that resource', async () => {
    const { cursor } = (await feed('')).body;
    const notesTokens = await tokensFor('https://notes.example.com/api', 'notes');
    await revokeConnection(server.user.id, server.backend.app.id, {}, server.ctx);
    const answer = await feed(`?after=${cursor}`);
    assert.deepEqual(answer.body.revocations.map((r) => [r.fid, r.reason]), [[fidOf(notesTokens.accessToken), 'revoked_by_user']]);
    assert.ok(Math.abs(answer.body.revocations[0]!.revoked_at - server.clock.now().getTime() / 1000) < 5);
    const again = await feed(`?after=${answer.body.cursor}`);
    assert.deepEqual(again.body.revocations, [], 'nothing twice');
    assert.equal(again.body.cursor, answer.body.cursor);
    const others = await feed('', { id: billing.resource.clientId, secret: billing.clientSecret });
    assert.ok(!others.body.revocations.some((r) => r.fid === fidOf(notesTokens.accessToken)), 'another resource hears nothing of it');
    const fromStart = await feed('');
    assert.ok(fromStart.body.revocations.some((r) => r.fid === fidOf(notesTokens.accessToken)), 'a follower starting now learns of it');
  });

  it('answers a long poll within a second of a revocation, and an empty one at its end', async () => {
    const { cursor } = (await feed('')).body;
    const tokens = await tokensFor('https://notes.example.com/api', 'notes');
    const started = Date.now();
    const waiting = feed(`?after=${cursor}&wait=10`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const revokedAt = Date.now();
    await postForm(`${server.url}/oauth2/revoke`, { token: tokens.refreshToken });
    const answer = await waiting;
    assert.deepEqual(answer.body.revocations.map((r) => [r.fid, r.reason]), [[fidOf(tokens.accessToken), 'revoked_by_client']]);
    assert.ok(Date.now() - revokedAt < 1000, `heard after ${Date.now() - revokedAt} ms`);
    assert.ok(Date.now() - started >= 300, 'it waited');

    const quiet = Date.now();
    const empty = await feed(`?after=${answer.body.cursor}&wait=1`);
    assert.deepEqual(empty.body.revocations, []);
    assert.equal(empty.body.cursor, answer.body.cursor);
    assert.ok(Date.now() - quiet >= 900, 'held for the wait');
  });

  it('tells of a refresh-token replay, of the app deleted, and of the resource deleted', async () => {
    const { cursor } = (await feed('')).body;
    const rotating = await registerApp({ tenantId: server.tenant.id, name: 'Rotating', redirectUris: [BACKEND_REDIRECT], refreshRotation: 'always' }, server.ctx);
    const app = { app: rotating.app, clientId: rotating.app.clientId, clientSecret: rotating.clientSecret };
    const replayed = await tokensFor('https://notes.example.com/api', 'notes', app);
    const refresh = () => postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: replayed.refreshToken, client_id: app.clientId, client_secret: app.clientSecret });
    assert.equal((await refresh()).status, 200);
    server.clock.advance(61_000);
    assert.equal((await refresh()).body.error, 'invalid_grant', 'a replay after the retry window');
    const deleted = await tokensFor('https://notes.example.com/api', 'notes', app);
    await deleteApp(rotating.app, {}, server.ctx);
    const answer = await feed(`?after=${cursor}`);
    assert.deepEqual(answer.body.revocations.map((r) => [r.fid, r.reason]), [
      [fidOf(replayed.accessToken), 'refresh_token_reuse'],
      [fidOf(deleted.accessToken), 'app_deleted'],
    ]);

    const doomed = await registerResource({ identifier: 'https://doomed.example.com', name: 'Doomed', scopes: [{ kind: 'plain', name: 'read', description: 'Read' }] }, {}, server.ctx);
    const doomedTokens = await tokensFor('https://doomed.example.com', 'read');
    const credentials = { id: doomed.resource.clientId, secret: doomed.clientSecret };
    const before = (await feed('', credentials)).body;
    await deleteResource(doomed.resource, {}, server.ctx);
    const after = await feed(`?after=${before.cursor}&wait=5`, credentials);
    assert.equal(after.status, 200, 'a deleted resource still reads its feed');
    assert.equal(after.body.resource_deleted, true);
    assert.deepEqual(after.body.revocations.map((r) => [r.fid, r.reason]), [[fidOf(doomedTokens.accessToken), 'resource_deleted']]);
  });

  it('refuses other credentials, a bad cursor and a bad wait', async () => {
    const wrong = await feed('', { id: notes.resource.clientId, secret: billing.clientSecret });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic/);
    assert.equal((await feed('', null)).status, 401);
    assert.equal((await feed('', { id: server.backend.clientId, secret: server.backend.clientSecret })).status, 401, 'an app is no resource server');
    const badCursor = await feed('?after=12');
    assert.equal(badCursor.status, 400);
    assert.equal(badCursor.body.error, 'invalid_request');
    assert.equal((await feed('?after=c1.0&wait=soon')).status, 400);
    assert.match((await feed('?after=c1.999999999')).body.error_description ?? '', /ahead of this feed/);
    const secretInQuery = await fetch(`${server.url}/oauth2/revocations?client_id=${notes.resource.clientId}&client_secret=${notes.clientSecret}`);
    assert.equal(secretInQuery.status, 401, 'a secret in the URL is not read');
  });

  it('pages a long feed', async () => {
    const { cursor } = (await feed('')).body;
    const families = Array.from({ length: 503 }, (_, i) => `paged-family-${kind.name}-${i}`);
    const now = server.clock.now();
    for (const id of families) {
      await server.store.families.create({ id, appId: server.backend.app.id, userId: server.user.id, scope: 'notes', resources: [{ resourceId: notes.resource.id, scope: 'notes' }], confidential: true, createdAt: now });
    }
    await server.store.families.revokeWhere({ appId: server.backend.app.id }, 'revoked_by_user', now);
    const first = await feed(`?after=${cursor}`);
    assert.equal(first.body.revocations.length, 500);
    assert.equal(first.body.has_more, true);
    const second = await feed(`?after=${first.body.cursor}`);
    assert.equal(second.body.has_more, false);
    const seen = new Set([...first.body.revocations, ...second.body.revocations].map((r) => r.fid));
    for (const id of families) assert.ok(seen.has(id), id);
  });
});
