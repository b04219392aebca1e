// examples/cli's polling loop against a real Gatehouse whose clock the test moves: it waits the
// interval the server gave, adds 5 s for every slow_down (the server remembers the longer
// interval too), and stops on access_denied and expired_token with their own errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeviceFlowError, discoverEndpoints, pollForTokens, requestCodes, type DeviceEndpoints } from '../../examples/cli/device-flow.ts';
import { decide, publicDeviceApp, signedInPerson } from '../helpers/device-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe("examples/cli's polling", () => {
  let server: TestServer;
  let endpoints: DeviceEndpoints;
  let client: { clientId: string };
  before(async () => {
    server = await startTestServer();
    endpoints = await discoverEndpoints(server.url);
    client = { clientId: (await publicDeviceApp(server)).clientId };
  });
  after(() => server.close());

  it('honours the interval and slow_down, then returns the tokens once approved', async () => {
    const codes = await requestCodes(endpoints, client, 'profile');
    const waits: number[] = [];
    const slowDowns: number[] = [];
    const person = await signedInPerson(server);
    const tokens = await pollForTokens(endpoints, client, codes, {
      onSlowDown: (interval) => slowDowns.push(interval),
      sleep: async (seconds) => {
        waits.push(seconds);
        // The first two waits pass: pending. The third passes only a second on the server's
        // clock (as a device whose clock runs fast would): slow_down. Then the person approves.
        server.clock.advance(waits.length === 3 ? 1 : seconds);
        if (waits.length === 4) await decide(person, codes.user_code, 'allow');
      },
    });
    assert.deepEqual(waits, [5, 5, 5, 10]);
    assert.deepEqual(slowDowns, [10]);
    assert.equal(tokens.scope, 'profile');
    assert.ok(tokens.access_token);
  });

  it('stops with access_denied, and with expired_token once the code is too old', async () => {
    const denied = await requestCodes(endpoints, client, 'profile');
    await decide(await signedInPerson(server), denied.user_code, 'deny');
    await assert.rejects(pollForTokens(endpoints, client, denied, { sleep: async (s) => server.clock.advance(s) }), (error: unknown) => error instanceof DeviceFlowError && error.code === 'access_denied');
    const late = await requestCodes(endpoints, client, 'profile');
    await assert.rejects(pollForTokens(endpoints, client, late, { sleep: async () => server.clock.advance(601) }), (error: unknown) => error instanceof DeviceFlowError && error.code === 'expired_token');
  });

  it('explains a refused request in words', async () => {
    await assert.rejects(requestCodes(endpoints, client, 'teleport'), /refused \(invalid_scope: Unknown scope: teleport/);
    await assert.rejects(discoverEndpoints('http://127.0.0.1:9'), /cannot read Gatehouse's metadata/);
  });
});
