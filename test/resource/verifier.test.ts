// createVerifier against a fake authorization server: what a resource accepts and why it refuses
// (audience, issuer, typ, algorithms, time with leeway, claim shapes, signatures). What a
// remembered token costs is the benchmark's to measure (npm run bench: bench/resources.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ResourceKitError, createVerifier, type Verifier, type VerifierOptions, type VerifyResult } from '@gatehouse/resource';
import { AUDIENCE, FakeAuthorizationServer } from './fake-authorization-server.ts';
import { createKey, nowSeconds } from './fake-signer.ts';

const reasonOf = (result: VerifyResult) => (result.ok ? 'ok' : result.reason);

describe('createVerifier: the checks on a token', { timeout: 30_000 }, () => {
  let fake: FakeAuthorizationServer;
  const verifiers: Verifier[] = [];
  let clock = Date.now();
  const make = (options: Partial<VerifierOptions> = {}) => {
    const verifier = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, credentials: fake.credentials, now: () => clock, ...options });
    verifiers.push(verifier);
    return verifier;
  };
  let verifier: Verifier;

  before(async () => {
    fake = await FakeAuthorizationServer.start();
    fake.published.push(await createKey('ES256'), await createKey('EdDSA'));
    verifier = make();
    await verifier.start();
  });
  after(async () => {
    await Promise.all(verifiers.map((v) => v.close()));
    await fake.close();
  });

  it('accepts a token for this resource and returns its typed claims and scopes', async () => {
    const result = await verifier.verify(await fake.mint({ claims: { scope: 'notes:w notes.export offline_access' } }));
    assert.ok(result.ok);
    assert.equal(result.claims.aud, AUDIENCE);
    assert.equal(result.claims.iss, fake.issuer);
    assert.equal(result.claims.tenant, 'acme');
    assert.equal(result.claims.app_id, 2);
    assert.equal(typeof result.claims.fid, 'string');
    assert.ok(result.scopes.has('notes') && result.scopes.has('notes:w') && !result.scopes.has('notes:d'));
    assert.deepEqual(result.scopes.values, ['notes:w', 'notes.export']);
  });

  it('accepts RS256, ES256 and EdDSA by default', async () => {
    for (const key of fake.published) assert.equal(reasonOf(await verifier.verify(await fake.mint({ key }))), 'ok', key.alg);
  });

  it('refuses a token for another resource, or from another issuer', async () => {
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { aud: 'https://other.example.com/api' } }))), 'wrong_audience');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { aud: [AUDIENCE] } }))), 'wrong_audience');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { iss: 'http://evil.example' } }))), 'wrong_issuer');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { iss: `${fake.issuer}/` } }))), 'wrong_issuer');
  });

  it('refuses anything but typ at+jwt (an ID token, an unlabelled JWT)', async () => {
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ header: { typ: 'JWT' } }))), 'wrong_type');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ header: { typ: undefined } }))), 'wrong_type');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ header: { typ: 'application/at+jwt' } }))), 'ok');
  });

  it('refuses algorithms outside the allow-list, and never allows none or HS*', async () => {
    const es = fake.published.find((k) => k.alg === 'ES256');
    const rsOnly = make({ algorithms: ['RS256'] });
    assert.equal(reasonOf(await rsOnly.verify(await fake.mint({ key: es }))), 'algorithm_not_allowed');
    const kid = fake.published[0]?.kid ?? '';
    const hs = await new SignJWT({ iss: fake.issuer, aud: AUDIENCE }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid }).sign(new Uint8Array(32));
    assert.equal(reasonOf(await verifier.verify(hs)), 'algorithm_not_allowed');
    const none = new UnsecuredJWT({ iss: fake.issuer, aud: AUDIENCE }).encode().replace(/^[^.]+/, Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid })).toString('base64url'));
    assert.equal(reasonOf(await verifier.verify(none)), 'malformed_token', 'no signature at all');
    assert.equal(reasonOf(await verifier.verify(`${none}sig`)), 'algorithm_not_allowed');
    assert.throws(() => createVerifier({ issuer: fake.issuer, audience: AUDIENCE, revocation: 'none', algorithms: ['HS256' as 'RS256'] }), ResourceKitError);
    assert.throws(() => createVerifier({ issuer: fake.issuer, audience: AUDIENCE, revocation: 'none', algorithms: ['none' as 'RS256'] }), ResourceKitError);
  });

  it('allows 5 s of clock skew on exp and nbf by default, and what it is told', async () => {
    const now = nowSeconds();
    clock = now * 1000;
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { exp: now - 4 } }))), 'ok');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { exp: now - 6 } }))), 'expired');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { nbf: now + 4 } }))), 'ok');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { nbf: now + 10 } }))), 'not_yet_valid');
    const strict = make({ clockToleranceSeconds: 0 });
    assert.equal(reasonOf(await strict.verify(await fake.mint({ claims: { exp: now - 1 } }))), 'expired');
    clock = Date.now();
  });

  it('re-checks expiry on every use of a remembered token', async () => {
    const token = await fake.mint({ claims: { exp: nowSeconds() + 60 } });
    assert.equal(reasonOf(await verifier.verify(token)), 'ok');
    clock = Date.now() + 70_000;
    assert.equal(reasonOf(await verifier.verify(token)), 'expired');
    clock = Date.now();
  });

  it('refuses bad signatures, missing claims and what is not a JWT', async () => {
    const token = await fake.mint();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    forged.scope = 'notes:d';
    assert.equal(reasonOf(await verifier.verify(`${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`)), 'bad_signature');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { fid: undefined } }))), 'invalid_claims');
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { exp: '2030' } }))), 'invalid_claims');
    assert.equal(reasonOf(await verifier.verify('not-a-token')), 'malformed_token');
    assert.equal(reasonOf(await verifier.verify(`${token}x`.repeat(10))), 'malformed_token');
  });

  it('refuses at startup a server whose metadata names another issuer; a closed verifier refuses everything', async () => {
    const errors: unknown[] = [];
    fake.metadataIssuer = 'http://elsewhere.example';
    const wrong = make({ onError: (e) => errors.push(e) });
    await assert.rejects(wrong.start(), /names the issuer/);
    fake.metadataIssuer = undefined;
    assert.equal(reasonOf(await wrong.verify(await fake.mint())), 'unavailable');
    assert.equal(errors.length, 1, 'one attempt, then refused at once for a while');
    const closing = make();
    const token = await fake.mint();
    assert.equal(reasonOf(await closing.verify(token)), 'ok');
    await closing.close();
    assert.equal(reasonOf(await closing.verify(token)), 'unavailable');
  });

  it('needs credentials for the feed and introspection, or revocation none', () => {
    assert.throws(() => createVerifier({ issuer: fake.issuer, audience: AUDIENCE }), /credentials/);
    assert.throws(() => createVerifier({ issuer: fake.issuer, audience: AUDIENCE, revocation: 'introspection' }), /credentials/);
    assert.throws(() => createVerifier({ issuer: 'not a url', audience: AUDIENCE, revocation: 'none' }), ResourceKitError);
    assert.throws(() => createVerifier({ issuer: fake.issuer, audience: 'notes', revocation: 'none' }), ResourceKitError);
    assert.doesNotThrow(() => createVerifier({ issuer: fake.issuer, audience: AUDIENCE, revocation: 'none' }));
  });
});
