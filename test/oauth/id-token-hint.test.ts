// id_token_hint: only our own ID tokens count, and expiry is reported, not decided.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { signCompact } from '../../src/keys/jws.ts';
import { mintIdToken } from '../../src/oauth/id-token.ts';
import { ID_TOKEN_HINT_LEEWAY_SECONDS, readIdTokenHint } from '../../src/oauth/id-token-hint.ts';
import { mintAccessToken } from '../../src/oauth/access-token.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('id_token_hint', () => {
  let server: TestServer;
  let idToken: string;
  before(async () => {
    server = await startTestServer();
    const session = { authTime: server.clock.now(), sid: 'sid-1', amr: ['pwd'] };
    idToken = await mintIdToken({ app: server.webapp.app, userId: server.user.id, grantScope: 'openid profile', session }, 'at', server.ctx);
  });
  after(() => server.close());

  it('reads an ID token of ours: subject, client and session', async () => {
    assert.deepEqual(await readIdTokenHint(idToken, server.ctx), { sub: String(server.user.id), clientId: server.webapp.clientId, sid: 'sid-1', expired: false });
  });

  it('reports expiry beyond the leeway, and only beyond it', async () => {
    // Its own server: the clock only moves forward.
    const later = await startTestServer();
    try {
      const token = await mintIdToken({ app: later.webapp.app, userId: later.user.id, grantScope: 'openid', session: null }, 'at', later.ctx);
      later.clock.advance(3600 + ID_TOKEN_HINT_LEEWAY_SECONDS - 1);
      assert.equal((await readIdTokenHint(token, later.ctx))?.expired, false);
      later.clock.advance(1);
      assert.equal((await readIdTokenHint(token, later.ctx))?.expired, true);
    } finally {
      await later.close();
    }
  });

  it('refuses a tampered token, a foreign key, another issuer, junk and oversize input', async () => {
    const [header, payload, signature] = idToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '999' })).toString('base64url');
    assert.equal(await readIdTokenHint(`${header}.${forged}.${signature}`, server.ctx), undefined);
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = server.ctx.keys.signing;
    assert.equal(await readIdTokenHint(signCompact({ alg: 'EdDSA', typ: 'JWT', kid: key.kid }, claims, privateKey), server.ctx), undefined);
    assert.equal(await readIdTokenHint(signCompact({ alg: key.alg, typ: 'JWT', kid: key.kid }, { ...claims, iss: 'https://elsewhere.example' }, key.privateKey), server.ctx), undefined);
    assert.equal(await readIdTokenHint('not.a.token', server.ctx), undefined);
    assert.equal(await readIdTokenHint('x'.repeat(9000), server.ctx), undefined);
  });

  it('is not fooled by an access token of ours (typ at+jwt)', async () => {
    const accessToken = await mintAccessToken({ sub: String(server.user.id), username: 'jane', tenant: 'acme', clientId: server.webapp.clientId, appId: server.webapp.app.id, scope: 'openid', familyId: 'f' }, server.ctx);
    assert.equal(await readIdTokenHint(accessToken, server.ctx), undefined);
  });
});
