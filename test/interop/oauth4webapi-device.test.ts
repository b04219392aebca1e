// oauth4webapi drives the device authorization grant (RFC 8628) against a real Gatehouse: it finds
// the endpoint in discovery, accepts the codes, reads each polling error as the RFC names it, and
// accepts the tokens once the person approved on /device. A rejection here is a server bug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { decide, publicDeviceApp, signedInPerson } from '../helpers/device-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks http on loopback

/** The RFC error code of a polling answer that oauth4webapi refused as an error response. */
async function pollError(request: Promise<oauth.TokenEndpointResponse>): Promise<string> {
  try {
    await request;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return error.error;
    throw error;
  }
  assert.fail('expected an error response');
}

describe('oauth4webapi: device authorization grant', () => {
  let server: TestServer;
  let as: oauth.AuthorizationServer;
  let client: oauth.Client;
  before(async () => {
    server = await startTestServer();
    const issuer = new URL(server.url);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    client = { client_id: (await publicDeviceApp(server)).clientId, token_endpoint_auth_method: 'none' };
  });
  after(() => server.close());

  const start = async (scope: string) =>
    oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope }, insecure));
  const pollOnce = async (deviceCode: string) => oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, oauth.None(), deviceCode, insecure));

  it('discovers the endpoint, polls through pending and slow_down, and gets tokens after approval', async () => {
    assert.equal(as.device_authorization_endpoint, `${server.url}/api/developers/oauth2/device_authorization`);
    const codes = await start('profile offline_access');
    assert.equal(codes.expires_in, 600);
    assert.equal(codes.interval, 5);
    assert.equal(codes.verification_uri, `${server.url}/device`);

    assert.equal(await pollError(pollOnce(codes.device_code)), 'authorization_pending');
    assert.equal(await pollError(pollOnce(codes.device_code)), 'slow_down');
    await decide(await signedInPerson(server), codes.user_code, 'allow');
    server.clock.advance(10);
    const tokens = await pollOnce(codes.device_code);
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.scope, 'profile offline_access');
    assert.ok(tokens.refresh_token);
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, 'jane');

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, insecure));
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, "a public client's refresh token rotates");
    server.clock.advance(10);
    assert.equal(await pollError(pollOnce(codes.device_code)), 'invalid_grant', 'a device code yields tokens once');
  });

  it('reads access_denied and expired_token', async () => {
    const denied = await start('profile');
    await decide(await signedInPerson(server), denied.user_code, 'deny');
    assert.equal(await pollError(pollOnce(denied.device_code)), 'access_denied');
    const late = await start('profile');
    server.clock.advance(601);
    assert.equal(await pollError(pollOnce(late.device_code)), 'expired_token');
  });
});
