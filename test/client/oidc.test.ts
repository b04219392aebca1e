// @gatehouse/client's OpenID Connect checks against a scripted provider: ID tokens (signature on
// each algorithm, iss, aud, azp, exp, iat, nonce, at_hash), key rotation, discovery, UserInfo, the
// logout URL, and back-channel logout tokens (typ, events, sid/sub, nonce, replayed jti).
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  BACKCHANNEL_LOGOUT_EVENT,
  MemoryReplayGuard,
  OAuthClientError,
  TokenValidationError,
  UnexpectedResponseError,
  buildEndSessionUrl,
  discoverOpenIdProvider,
  fetchUserInfo,
  validateIdToken,
  validateLogoutToken,
  type OpenIdProvider,
  type TokenValidationFailure,
} from '@gatehouse/client';
import type { SigningAlg } from '../../src/keys/generate-key.ts';
import { signCompact } from '../../src/keys/jws.ts';
import { accessTokenHash } from '../../src/oauth/id-token.ts';
import { FakeClock, FakeFetch, json } from './fake-fetch.ts';

const ISSUER = 'https://id.example';
const CLIENT = 'client-1';
const ACCESS_TOKEN = 'eyJ.access.token';

interface TestKey {
  alg: SigningAlg;
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

function testKey(alg: SigningAlg, kid = `${alg}-1`): TestKey {
  const { privateKey, publicKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return { alg, kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

/** A provider on a FakeFetch whose JWKS the test can change, with its clock. */
async function provider(keys: TestKey[], extra: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const published = { keys: keys.map((k) => k.jwk) };
  const fake = new FakeFetch()
    .on('/.well-known/openid-configuration', () =>
      json(200, { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks`, userinfo_endpoint: `${ISSUER}/userinfo`, id_token_signing_alg_values_supported: [...new Set(keys.map((k) => k.alg))], ...extra }),
    )
    .on('/jwks', () => json(200, published));
  const op = await discoverOpenIdProvider(ISSUER, { fetch: fake.fetch, now: clock.now });
  return { op, clock, fake, published };
}

const seconds = (clock: FakeClock) => Math.floor(clock.now() / 1000);

function idToken(key: TestKey, clock: FakeClock, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  const iat = seconds(clock);
  const body = { iss: ISSUER, sub: '42', aud: CLIENT, azp: CLIENT, iat, exp: iat + 3600, auth_time: iat - 10, nonce: 'n-1', sid: 's-1', at_hash: accessTokenHash(ACCESS_TOKEN, key.alg), ...claims };
  return signCompact({ alg: key.alg, typ: 'JWT', kid: key.kid, ...header }, body, key.privateKey);
}

function logoutToken(key: TestKey, clock: FakeClock, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  const iat = seconds(clock);
  const body = { iss: ISSUER, aud: CLIENT, iat, exp: iat + 120, jti: `j-${Math.random()}`, sid: 's-1', events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, ...claims };
  return signCompact({ alg: key.alg, typ: 'logout+jwt', kid: key.kid, ...header }, body, key.privateKey);
}

async function refused(work: Promise<unknown>, reason: TokenValidationFailure): Promise<void> {
  await assert.rejects(work, (error: unknown) => error instanceof TokenValidationError && error.reason === reason);
}

const checks = { clientId: CLIENT, nonce: 'n-1', accessToken: ACCESS_TOKEN };

describe('validateIdToken', () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    it(`accepts a ${alg} ID token with the right nonce and at_hash (${alg === 'EdDSA' ? 'SHA-512' : 'SHA-256'})`, async () => {
      const key = testKey(alg);
      const { op, clock } = await provider([key]);
      const claims = await validateIdToken(op, idToken(key, clock), checks);
      assert.equal(claims.sub, '42');
      assert.equal(claims.sid, 's-1');
    });
  }

  it('refuses a bad signature: another key under the same kid, or a changed payload', async () => {
    const key = testKey('RS256');
    const { op, clock } = await provider([key]);
    await refused(validateIdToken(op, idToken({ ...testKey('RS256'), kid: key.kid }, clock), checks), 'signature');
    const [h, , s] = idToken(key, clock).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: ISSUER, sub: '1', aud: CLIENT, iat: seconds(clock), exp: seconds(clock) + 60 })).toString('base64url');
    await refused(validateIdToken(op, `${h}.${forged}.${s}`, { clientId: CLIENT }), 'signature');
  });

  it('refuses an algorithm the provider does not use, none, and what is not a JWT', async () => {
    const key = testKey('RS256');
    const { op, clock } = await provider([key]);
    await refused(validateIdToken(op, idToken(testKey('ES256', key.kid), clock), checks), 'algorithm');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${idToken(key, clock).split('.')[1]}.`;
    await refused(validateIdToken(op, unsigned, checks), 'algorithm');
    await refused(validateIdToken(op, 'not-a-jwt', checks), 'malformed');
  });

  it('refuses another issuer, another audience, and an azp that is not this client', async () => {
    const key = testKey('ES256');
    const { op, clock } = await provider([key]);
    await refused(validateIdToken(op, idToken(key, clock, { iss: 'https://evil.example' }), checks), 'issuer');
    await refused(validateIdToken(op, idToken(key, clock, { aud: 'client-2', azp: 'client-2' }), checks), 'audience');
    await refused(validateIdToken(op, idToken(key, clock, { azp: 'client-2' }), checks), 'azp');
    await refused(validateIdToken(op, idToken(key, clock, { aud: [CLIENT, 'client-2'], azp: undefined }), checks), 'azp');
    assert.equal((await validateIdToken(op, idToken(key, clock, { aud: [CLIENT, 'client-2'] }), checks)).azp, CLIENT);
  });

  it('refuses an expired token (beyond 60 s of leeway) and one issued in the future', async () => {
    const key = testKey('ES256');
    const { op, clock } = await provider([key]);
    const token = idToken(key, clock);
    clock.advance(3600 + 59);
    await validateIdToken(op, token, checks);
    clock.advance(2);
    await refused(validateIdToken(op, token, checks), 'expired');
    await refused(validateIdToken(op, idToken(key, clock, { iat: seconds(clock) + 120 }), checks), 'issued_at');
  });

  it('refuses a nonce other than the one sent, or none', async () => {
    const key = testKey('RS256');
    const { op, clock } = await provider([key]);
    await refused(validateIdToken(op, idToken(key, clock, { nonce: 'n-2' }), checks), 'nonce');
    await refused(validateIdToken(op, idToken(key, clock, { nonce: undefined }), checks), 'nonce');
  });

  it("refuses an at_hash that is not the access token's", async () => {
    const key = testKey('EdDSA');
    const { op, clock } = await provider([key]);
    await refused(validateIdToken(op, idToken(key, clock), { ...checks, accessToken: 'another token' }), 'at_hash');
    // The SHA-256 half where EdDSA needs SHA-512's.
    await refused(validateIdToken(op, idToken(key, clock, { at_hash: accessTokenHash(ACCESS_TOKEN, 'RS256') }), checks), 'at_hash');
  });

  it('fetches the JWKS again for a kid it does not know (the provider rotated), but not for every forged kid', async () => {
    const old = testKey('RS256', 'old');
    const { op, clock, fake, published } = await provider([old]);
    await validateIdToken(op, idToken(old, clock), checks);
    const rotated = testKey('RS256', 'new');
    published.keys.push(rotated.jwk);
    clock.advance(31);
    await validateIdToken(op, idToken(rotated, clock), checks);
    assert.equal(fake.to('/jwks').length, 2);
    await refused(validateIdToken(op, idToken(testKey('RS256', 'unknown'), clock), checks), 'signature');
    assert.equal(fake.to('/jwks').length, 2, 'within 30 s of the last fetch, no other');
  });
});

describe('discoverOpenIdProvider, fetchUserInfo, buildEndSessionUrl', () => {
  it('refuses a document naming another issuer or without jwks_uri', async () => {
    const other = new FakeFetch().on('/.well-known/openid-configuration', () => json(200, { issuer: 'https://evil.example', jwks_uri: `${ISSUER}/jwks` }));
    await assert.rejects(discoverOpenIdProvider(ISSUER, { fetch: other.fetch }), UnexpectedResponseError);
    const noKeys = new FakeFetch().on('/.well-known/openid-configuration', () => json(200, { issuer: ISSUER }));
    await assert.rejects(discoverOpenIdProvider(ISSUER, { fetch: noKeys.fetch }), /no jwks_uri/);
  });

  it("returns UserInfo's claims for the ID token's sub, refuses another sub, and surfaces a 401 as OAuthClientError", async () => {
    const { op, fake } = await provider([testKey('RS256')]);
    fake.on('/userinfo', (request) =>
      request.headers.get('authorization') === `Bearer ${ACCESS_TOKEN}` ? json(200, { sub: '42', name: 'Jane Doe' }) : json(401, { error: 'invalid_token', error_description: 'expired' }),
    );
    assert.equal((await fetchUserInfo(op, ACCESS_TOKEN, '42')).name, 'Jane Doe');
    await refused(fetchUserInfo(op, ACCESS_TOKEN, '43'), 'subject');
    await assert.rejects(fetchUserInfo(op, 'old', '42'), (error: unknown) => error instanceof OAuthClientError && error.code === 'invalid_token' && error.status === 401);
  });

  it('builds the logout URL when the provider has an end_session_endpoint, and nothing when it has none', async () => {
    const { op } = await provider([testKey('RS256')], { end_session_endpoint: `${ISSUER}/logout?x=1` });
    const url = new URL(buildEndSessionUrl(op, { clientId: CLIENT, idTokenHint: 'h', postLogoutRedirectUri: 'http://localhost:1/signed-out', state: 's' }) ?? '');
    assert.deepEqual(Object.fromEntries(url.searchParams), { x: '1', client_id: CLIENT, id_token_hint: 'h', post_logout_redirect_uri: 'http://localhost:1/signed-out', state: 's' });
    const { op: without } = await provider([testKey('RS256')]);
    assert.equal(buildEndSessionUrl(without, { clientId: CLIENT }), undefined);
  });
});

describe('validateLogoutToken', () => {
  const setup = async () => {
    const key = testKey('ES256');
    const { op, clock } = await provider([key]);
    return { key, op, clock, replay: new MemoryReplayGuard(clock.now) };
  };
  const validate = (op: OpenIdProvider, token: string, replay: MemoryReplayGuard) => validateLogoutToken(op, token, { clientId: CLIENT, replay });

  it('accepts a logout token once: the same jti again is a replay', async () => {
    const { key, op, clock, replay } = await setup();
    const token = logoutToken(key, clock, { sub: '42' });
    const claims = await validate(op, token, replay);
    assert.deepEqual({ sid: claims.sid, sub: claims.sub }, { sid: 's-1', sub: '42' });
    await refused(validate(op, token, replay), 'replay');
  });

  it('refuses a token without the back-channel event, with a nonce, or naming neither sid nor sub', async () => {
    const { key, op, clock, replay } = await setup();
    await refused(validate(op, logoutToken(key, clock, { events: undefined }), replay), 'events');
    await refused(validate(op, logoutToken(key, clock, { events: { 'http://schemas.openid.net/event/other': {} } }), replay), 'events');
    await refused(validate(op, logoutToken(key, clock, { nonce: 'n' }), replay), 'nonce');
    await refused(validate(op, logoutToken(key, clock, { sid: undefined }), replay), 'subject');
  });

  it('refuses an ID token offered as a logout token (typ), another audience, an expired one, a bad signature', async () => {
    const { key, op, clock, replay } = await setup();
    await refused(validate(op, logoutToken(key, clock, {}, { typ: 'JWT' }), replay), 'type');
    await refused(validate(op, idToken(key, clock, { events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, nonce: undefined }), replay), 'type');
    await refused(validate(op, logoutToken(key, clock, { aud: 'client-2' }), replay), 'audience');
    await refused(validate(op, logoutToken(key, clock, { exp: seconds(clock) - 61 }), replay), 'expired');
    await refused(validate(op, logoutToken({ ...testKey('ES256'), kid: key.kid }, clock), replay), 'signature');
  });
});
