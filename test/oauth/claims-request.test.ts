// The `claims` parameter (Core §5.5): the names Gatehouse knows, and invalid_request for every
// malformed shape; an essential acr we cannot meet is access_denied.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClaimsRequest, MAX_CLAIMS_REQUEST_BYTES } from '../../src/oauth/claims-request.ts';
import { OAuthError } from '../../src/oauth/errors.ts';
import { ACR_PASSWORD } from '../../src/oauth/acr.ts';

const fails = (raw: string, code = 'invalid_request') =>
  assert.throws(() => parseClaimsRequest(raw), (error: unknown) => error instanceof OAuthError && error.code === code, raw.slice(0, 80));

describe('parseClaimsRequest', () => {
  it('reads userinfo and id_token members, null or object requests alike', () => {
    assert.deepEqual(parseClaimsRequest(JSON.stringify({ userinfo: { email: null, picture: { essential: true } }, id_token: { name: { essential: false }, email: { value: 'x' }, tenant: { values: ['a'] } } })), {
      userinfo: ['email', 'picture'],
      idToken: ['name', 'email', 'tenant'],
    });
  });

  it('knows the phone claims, each by itself', () => {
    assert.deepEqual(parseClaimsRequest('{"userinfo":{"phone_number_verified":null},"id_token":{"phone_number":{"essential":true}}}'), {
      userinfo: ['phone_number_verified'],
      idToken: ['phone_number'],
    });
  });

  it('ignores unknown claim names and members; nothing known is nothing', () => {
    assert.deepEqual(parseClaimsRequest('{"userinfo":{"address":null,"email":null},"other":[1]}'), { userinfo: ['email'], idToken: [] });
    assert.equal(parseClaimsRequest('{"id_token":{"acr":null,"auth_time":{"essential":true}}}'), undefined);
    assert.equal(parseClaimsRequest('{}'), undefined);
    assert.equal(parseClaimsRequest(undefined), undefined);
  });

  it('malformed JSON, or not an object: invalid_request', () => {
    for (const raw of ['{', 'email', '', '[]', 'null', '"x"', '1', 'true']) fails(raw);
  });

  it('members and claim requests of the wrong shape: invalid_request', () => {
    for (const raw of [
      '{"userinfo":[]}',
      '{"userinfo":"email"}',
      '{"id_token":null}',
      '{"id_token":{"email":true}}',
      '{"id_token":{"email":"yes"}}',
      '{"userinfo":{"email":[]}}',
      '{"userinfo":{"email":{"essential":"true"}}}',
      '{"id_token":{"name":{"values":"a"}}}',
      '{"id_token":{"unknown_claim":1}}',
    ]) fails(raw);
  });

  it('more than 4 kB: invalid_request', () => {
    const padding = 'x'.repeat(MAX_CLAIMS_REQUEST_BYTES);
    fails(JSON.stringify({ userinfo: { email: null }, pad: padding }));
  });

  it('an essential acr is met only by our value; a voluntary one by anything', () => {
    assert.equal(parseClaimsRequest(JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:other', ACR_PASSWORD] } } })), undefined);
    assert.equal(parseClaimsRequest(JSON.stringify({ id_token: { acr: { essential: true, value: ACR_PASSWORD } } })), undefined);
    assert.equal(parseClaimsRequest(JSON.stringify({ id_token: { acr: { values: ['urn:mfa'] } } })), undefined);
    fails(JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:mfa'] } } }), 'access_denied');
    fails(JSON.stringify({ id_token: { acr: { essential: true, value: 'urn:mfa' } } }), 'access_denied');
  });
});
