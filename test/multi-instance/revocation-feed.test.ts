// The revocation feed across instances on one database: a resource server long-polling one
// instance hears, within a second, of a revocation made at another — the entries are the
// database's, and every instance's poll puts them in order.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { ResourceServer } from '../../src/domain/resource-server.ts';
import { registerResource } from '../../src/platform/resources.ts';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startAnotherInstance, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenUrl } from '../helpers/token-client.ts';

const NOTES = 'https://notes.example.com/api';
const fidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { fid: string }).fid;

forEachStore('revocation feed across two instances', (kind) => {
  let a: TestServer;
  let b: { url: string; close(): Promise<void> };
  let notes: { resource: ResourceServer; clientSecret: string };
  before(async () => {
    const database = await kind.database();
    a = await startTestServer({ database });
    b = await startAnotherInstance(database);
    notes = await registerResource({ identifier: NOTES, name: 'Notes', scopes: [{ kind: 'family', name: 'notes', noun: 'Notes' }] }, {}, a.ctx);
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  const feed = async (base: string, query: string) =>
    (await (await fetch(`${base}/oauth2/revocations${query}`, { headers: { authorization: basicAuth(notes.resource.clientId, notes.clientSecret) } })).json()) as {
      revocations: { fid: string; reason: string }[];
      cursor: string;
    };

  async function tokens(): Promise<{ accessToken: string; refreshToken: string }> {
    const query = new URLSearchParams({ client_id: a.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'notes offline_access', state: 's', resource: NOTES });
    const code = await new Browserless(a.url).authorizeCode(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    const answer = await postForm(tokenUrl(a.url), { grant_type: 'authorization_code', code, client_id: a.backend.clientId, client_secret: a.backend.clientSecret });
    return { accessToken: String(answer.body.access_token), refreshToken: String(answer.body.refresh_token) };
  }

  for (const [waitAt, revokeAt] of [
    ['B', 'A'],
    ['A', 'B'],
  ] as const) {
    it(`a long poll at ${waitAt} hears within a second of a revocation at ${revokeAt}`, async () => {
      const url = (name: 'A' | 'B') => (name === 'A' ? a.url : b.url);
      const { cursor } = await feed(url(waitAt), '');
      const issued = await tokens();
      const waiting = feed(url(waitAt), `?after=${cursor}&wait=10`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const revokedAt = Date.now();
      await postForm(`${url(revokeAt)}/oauth2/revoke`, { token: issued.refreshToken });
      const answer = await waiting;
      const heardAfter = Date.now() - revokedAt;
      assert.deepEqual(answer.revocations.map((r) => [r.fid, r.reason]), [[fidOf(issued.accessToken), 'revoked_by_client']]);
      assert.ok(heardAfter < 1000, `heard after ${heardAfter} ms`);
    });
  }
});
