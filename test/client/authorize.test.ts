// The SDK's front-channel half without a server: PKCE pairs, the authorize URL, and the checks
// handleCallback makes before a code may be exchanged.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CallbackValidationError,
  OAuthClientError,
  buildAuthorizeUrl,
  createPkcePair,
  createState,
  handleCallback,
  type ClientConfig,
} from '@gatehouse/client';

const config: ClientConfig = { baseUrl: 'https://gatehouse.example/', clientId: 'abc123', redirectUri: 'https://app.example/callback' };
const callback = (query: Record<string, string>) => `https://app.example/callback?${new URLSearchParams(query).toString()}`;

describe('createPkcePair', () => {
  it('makes a base64url verifier of 43–128 characters whose S256 challenge a server computes the same way', async () => {
    for (const length of [43, 64, 128, undefined]) {
      const pair = await createPkcePair(length === undefined ? {} : { length });
      assert.equal(pair.verifier.length, length ?? 64);
      assert.match(pair.verifier, /^[A-Za-z0-9_-]+$/);
      assert.equal(pair.method, 'S256');
      assert.equal(pair.challenge, createHash('sha256').update(pair.verifier).digest('base64url'));
    }
  });

  it('never repeats a verifier or a state, and refuses lengths RFC 7636 forbids', async () => {
    const pairs = await Promise.all(Array.from({ length: 50 }, () => createPkcePair()));
    assert.equal(new Set(pairs.map((p) => p.verifier)).size, 50);
    assert.equal(new Set(Array.from({ length: 50 }, createState)).size, 50);
    assert.match(createState(), /^[A-Za-z0-9_-]{43}$/);
    await assert.rejects(createPkcePair({ length: 42 }), RangeError);
    await assert.rejects(createPkcePair({ length: 129 }), RangeError);
  });
});

describe('buildAuthorizeUrl', () => {
  it('puts every parameter of the code flow with PKCE on ilert’s authorize path', () => {
    const url = new URL(buildAuthorizeUrl(config, { scope: ['profile', 'source:w', 'offline_access'], state: 'st&ate=1', codeChallenge: 'chal' }));
    assert.equal(`${url.origin}${url.pathname}`, 'https://gatehouse.example/api/developers/oauth2/authorize');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      client_id: 'abc123',
      redirect_uri: 'https://app.example/callback',
      response_type: 'code',
      scope: 'profile source:w offline_access',
      state: 'st&ate=1',
      code_challenge: 'chal',
      code_challenge_method: 'S256',
    });
  });

  it('uses an overridden endpoint, and extra parameters cannot replace the protocol ones', () => {
    const url = new URL(
      buildAuthorizeUrl(
        { ...config, endpoints: { authorize: 'http://acme.localhost:8080/api/developers/oauth2/authorize' } },
        { scope: 'profile', state: 's', codeChallenge: 'c', extraParams: { prompt: 'consent', client_id: 'evil' } },
      ),
    );
    assert.equal(url.host, 'acme.localhost:8080');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.deepEqual(url.searchParams.getAll('client_id'), ['abc123']);
  });

  it('names each resource (RFC 8707) once per value, and only as given', () => {
    const one = new URL(buildAuthorizeUrl(config, { scope: 'notes', state: 's', codeChallenge: 'c', resource: 'https://notes.example/api' }));
    assert.deepEqual(one.searchParams.getAll('resource'), ['https://notes.example/api']);
    const two = new URL(buildAuthorizeUrl(config, { scope: 'notes profile', state: 's', codeChallenge: 'c', resource: ['https://notes.example/api', 'https://gatehouse.example/api'], extraParams: { resource: 'https://evil.example' } }));
    assert.deepEqual(two.searchParams.getAll('resource'), ['https://notes.example/api', 'https://gatehouse.example/api']);
    const none = new URL(buildAuthorizeUrl(config, { scope: 'profile', state: 's', codeChallenge: 'c' }));
    assert.equal(none.searchParams.has('resource'), false);
  });

  it('refuses a public client without PKCE and a call without a redirect URI', () => {
    assert.throws(() => buildAuthorizeUrl(config, { scope: 'profile', state: 's' }), /must use PKCE/);
    assert.doesNotThrow(() => buildAuthorizeUrl({ ...config, clientSecret: 'x' }, { scope: 'profile', state: 's' }));
    assert.throws(() => buildAuthorizeUrl({ baseUrl: 'https://g.example', clientId: 'a' }, { scope: 'profile', state: 's', codeChallenge: 'c' }), /redirectUri/);
  });
});

describe('handleCallback', () => {
  it('returns the code when state and iss match (issuer defaults to baseUrl without its slash)', () => {
    const result = handleCallback(config, callback({ code: 'ghc_1', state: 'st', iss: 'https://gatehouse.example' }), { expectedState: 'st' });
    assert.deepEqual(result, { code: 'ghc_1', state: 'st', iss: 'https://gatehouse.example' });
    // ilert sends no iss: accepted unless the server is known to send one.
    assert.equal(handleCallback(config, callback({ code: 'c', state: 'st' }), { expectedState: 'st' }).code, 'c');
  });

  it('refuses a state that is not the one sent', () => {
    for (const query of [{ code: 'c', state: 'other' }, { code: 'c' }, { code: 'c', state: 'st ' }] as Record<string, string>[]) {
      assert.throws(
        () => handleCallback(config, callback(query), { expectedState: 'st' }),
        (e: unknown) => e instanceof CallbackValidationError && e.reason === 'state_mismatch',
      );
    }
  });

  it('refuses another issuer (mix-up) before looking at anything else, and a missing iss when required', () => {
    assert.throws(
      () => handleCallback(config, callback({ code: 'c', state: 'other', iss: 'https://evil.example' }), { expectedState: 'st' }),
      (e: unknown) => e instanceof CallbackValidationError && e.reason === 'issuer_mismatch',
    );
    assert.throws(
      () => handleCallback({ ...config, issuer: 'http://localhost:8080' }, callback({ code: 'c', state: 'st', iss: 'https://gatehouse.example' }), { expectedState: 'st' }),
      (e: unknown) => e instanceof CallbackValidationError && e.reason === 'issuer_mismatch',
    );
    assert.throws(
      () => handleCallback({ ...config, requireIss: true }, callback({ code: 'c', state: 'st' }), { expectedState: 'st' }),
      (e: unknown) => e instanceof CallbackValidationError && e.reason === 'missing_issuer',
    );
  });

  it('surfaces error and error_description as an OAuthClientError without a status', () => {
    assert.throws(
      () => handleCallback(config, callback({ error: 'access_denied', error_description: 'The user said no', state: 'st', iss: 'https://gatehouse.example' }), { expectedState: 'st' }),
      (e: unknown) => e instanceof OAuthClientError && e.code === 'access_denied' && e.description === 'The user said no' && e.status === undefined,
    );
    // A forged error page (wrong state) is a state problem, not the server's answer.
    assert.throws(
      () => handleCallback(config, callback({ error: 'access_denied', state: 'forged' }), { expectedState: 'st' }),
      (e: unknown) => e instanceof CallbackValidationError && e.reason === 'state_mismatch',
    );
    assert.throws(
      () => handleCallback(config, callback({ state: 'st' }), { expectedState: 'st' }),
      (e: unknown) => e instanceof CallbackValidationError && e.reason === 'missing_code',
    );
  });
});
