// Enrolling an authenticator app on the console's Security page as a person would: read the key
// the page shows, compute the next code from it (the test clock moves a step so no code replays).
import assert from 'node:assert/strict';
import { codeAt } from '../../src/platform/totp.ts';
import { followDone, submit } from '../console/console-client.ts';
import type { Browserless } from './browserless.ts';
import type { TestServer } from './server.ts';

export const SECURITY = '/console/security';

/** The key the Security page shows while setting up, without its spaces. */
export const secretOn = (page: string): string => (/id="totp-secret" type="text" readonly value="([A-Z2-7 ]+)"/.exec(page)?.[1] ?? assert.fail('the page shows the key')).replace(/ /g, '');

/** A code of the next 30-second step. */
export function nextCode(server: TestServer, secret: string): string {
  server.clock.advance(30);
  return codeAt(secret, server.clock.now());
}

/** Sets up an authenticator app for the signed-in browser; returns its key. */
export async function enrolTotp(server: TestServer, browser: Browserless): Promise<string> {
  const { page } = await followDone(browser, await submit(browser, SECURITY, `${SECURITY}/totp`));
  const secret = secretOn(page);
  const confirmed = await submit(browser, SECURITY, `${SECURITY}/totp/confirm`, { code: nextCode(server, secret) });
  assert.equal(confirmed.status, 303, 'the code confirms the app');
  await followDone(browser, confirmed);
  return secret;
}
