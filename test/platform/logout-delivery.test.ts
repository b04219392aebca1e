// The background delivery of logout tokens in a server process: its timer sends what is queued
// without anyone waking it, and closing the server stops it (the test would hang otherwise).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { endSessionsOf } from '../../src/platform/login.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { LogoutReceiver } from '../helpers/logout-receiver.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let receiver: LogoutReceiver;
before(async () => {
  receiver = await LogoutReceiver.start();
  server = await startTestServer({ appDeps: { logoutDelivery: { intervalSeconds: 0.05 } } });
});
after(async () => {
  await server.close();
  await receiver.close();
});

it("the server's timer delivers a queued logout token", async () => {
  await server.store.apps.update(server.backend.app.id, { backchannelLogoutUri: receiver.uri('/timer') }, server.clock.now());
  const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's' });
  await new Browserless(server.url).authorizeCode(query, { tenant: 'acme', username: 'jane', password: PASSWORD });
  // Ended through the test's context, which wakes no deliverer: only the server's timer sends it.
  assert.equal(await endSessionsOf(server.user.id, server.ctx), 1);
  await receiver.waitFor('/timer');
  assert.equal(receiver.at('/timer').length, 1);
});
