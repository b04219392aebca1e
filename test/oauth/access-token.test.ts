// JWT access tokens (RFC 9068): what a minted token carries, and what verification refuses.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { mintAccessToken, verifyAccessToken, type AccessTokenInput } from '../../src/oauth/access-token.ts';
import { ManualClock } from '../../src/oauth/clock.ts';
import { ILERT_LIFETIMES, type OAuthContext } from '../../src/oauth/context.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';

const ISSUER = 'https://gatehouse.example';
const SUBJECT: AccessTokenInput = {
  sub: '7',
  username: 'jane',
  tenant: 'acme',
  clientId: '0123456789abcdef0123',
  appId: 3,
  scope: 'profile source:w',
  familyId: 'fam-1',
};

describe('access tokens', () => {
  let store: Store;
  let ctx: OAuthContext;
  let clock: ManualClock;

  before(async () => {
    store = await openStore({ dataDir: '', memory: true });
    clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    ctx = {
      store,
      keys: await KeyRing.load(store, 'access-token-test-secret', { clock, reloadIntervalSeconds: 0 }),
      clock,
      issuer: ISSUER,
      audience: `${ISSUER}/api`,
      lifetimes: ILERT_LIFETIMES,
      maxRefreshTokensPerAppUser: 10,
      tokenKey: randomBytes(32),
    };
  });
  after(async () => {
    ctx.keys.close();
    await store.close();
  });

  it('is an RS256 at+jwt with the signing key\'s kid', async () => {
    const token = await mintAccessToken(SUBJECT, ctx);
    const header = decodeProtectedHeader(token);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'RS256');
    assert.equal(header.kid, ctx.keys.signing.kid);
    assert.ok(ctx.keys.jwks().keys.some((k) => k.kid === header.kid), 'the kid is published in the JWKS');
  });

  it('carries the RFC 9068 claims plus tenant and username', async () => {
    const token = await mintAccessToken(SUBJECT, ctx);
    const claims = decodeJwt(token);
    const iat = Math.floor(clock.now().getTime() / 1000);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.sub, '7');
    assert.equal(claims.aud, `${ISSUER}/api`);
    assert.equal(claims.iat, iat);
    assert.equal(claims.exp, iat + 3600);
    assert.equal(typeof claims.jti, 'string');
    assert.ok((claims.jti as string).length >= 16);
    assert.equal(claims.client_id, SUBJECT.clientId);
    assert.equal(claims.scope, 'profile source:w');
    assert.equal(claims.tenant, 'acme');
    assert.equal(claims.username, 'jane');
    const other = decodeJwt(await mintAccessToken(SUBJECT, ctx));
    assert.notEqual(other.jti, claims.jti, 'every token has its own jti');
  });

  it('verifies a token it minted', async () => {
    const claims = await verifyAccessToken(await mintAccessToken(SUBJECT, ctx), ctx);
    assert.ok(claims);
    assert.equal(claims.sub, '7');
    assert.equal(claims.scope, 'profile source:w');
    assert.equal(claims.app_id, 3);
  });

  it('refuses an expired token', async () => {
    const local = { ...ctx, clock: new ManualClock(clock.now()) };
    const token = await mintAccessToken(SUBJECT, local);
    local.clock.advance(3599);
    assert.ok(await verifyAccessToken(token, local), 'still valid one second before exp');
    local.clock.advance(1);
    assert.equal(await verifyAccessToken(token, local), undefined);
  });

  it('refuses another issuer or audience', async () => {
    const token = await mintAccessToken(SUBJECT, ctx);
    assert.equal(await verifyAccessToken(token, { ...ctx, issuer: 'https://other.example' }), undefined);
    assert.equal(await verifyAccessToken(token, { ...ctx, audience: 'https://other.example/api' }), undefined);
  });

  it('refuses a tampered token', async () => {
    const token = await mintAccessToken(SUBJECT, ctx);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims.scope = 'wildcard:d';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    assert.equal(await verifyAccessToken(forged, ctx), undefined);
    const flipped = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    assert.equal(await verifyAccessToken(flipped, ctx), undefined);
  });

  it('refuses a token signed by a key that is not in the ring', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(clock.now().getTime() / 1000);
    const claims = { client_id: SUBJECT.clientId, scope: 'profile', fid: 'fam-1' };
    const sign = (kid: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
        .setIssuer(ISSUER)
        .setAudience(`${ISSUER}/api`)
        .setSubject('7')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .setJti('x'.repeat(22))
        .sign(privateKey);
    assert.equal(await verifyAccessToken(await sign('unknown-kid'), ctx), undefined);
    // Claiming our kid does not help a foreign key either.
    assert.equal(await verifyAccessToken(await sign(ctx.keys.signing.kid), ctx), undefined);
  });

  it('refuses a token without a kid, with alg none, or that is not a JWT at all', async () => {
    const token = await mintAccessToken(SUBJECT, ctx);
    const [, payload] = token.split('.') as [string, string];
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: ctx.keys.signing.kid })).toString('base64url')}.${payload}.`;
    assert.equal(await verifyAccessToken(none, ctx), undefined);
    const noKid = `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt' })).toString('base64url')}.${payload}.${token.split('.')[2]}`;
    assert.equal(await verifyAccessToken(noKid, ctx), undefined);
    for (const junk of ['', 'ghr_abc', 'a.b.c', 'a.b', `${token}.x`]) {
      assert.equal(await verifyAccessToken(junk, ctx), undefined, junk);
    }
  });

  it('refuses a plain JWT that is not typed as an access token', async () => {
    const key = ctx.keys.signing;
    const now = Math.floor(clock.now().getTime() / 1000);
    const idTokenLike = await new SignJWT({ client_id: SUBJECT.clientId, scope: 'profile', fid: 'fam-1' })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
      .setIssuer(ISSUER)
      .setAudience(`${ISSUER}/api`)
      .setSubject('7')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti('y'.repeat(22))
      .sign(key.privateKey);
    assert.equal(await verifyAccessToken(idTokenLike, ctx), undefined);
  });

  it('verifies a token signed by a key another instance rotated in, and one signed before the rotation', async () => {
    // A second instance on the same store: it rotates, this one has not reloaded yet.
    const other: OAuthContext = { ...ctx, keys: await KeyRing.load(store, 'access-token-test-secret', { clock, reloadIntervalSeconds: 0 }) };
    try {
      const before = await mintAccessToken(SUBJECT, ctx);
      const { signing } = await other.keys.rotate();
      const after = await mintAccessToken(SUBJECT, other);
      // The foreign-key test above spent this instance's unknown-kid reload; the limit is 5 s.
      clock.advance(5);
      assert.equal(decodeProtectedHeader(after).kid, signing.kid);
      assert.ok(await verifyAccessToken(after, ctx), 'the unknown kid makes this instance reload');
      assert.equal(decodeProtectedHeader(await mintAccessToken(SUBJECT, ctx)).kid, signing.kid, 'and sign with the new key');
      assert.ok(await verifyAccessToken(before, ctx), 'tokens of the old key still verify');
      assert.ok(await verifyAccessToken(before, other));
    } finally {
      other.keys.close();
    }
  });
});
