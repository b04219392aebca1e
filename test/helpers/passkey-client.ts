// Drives the passkey endpoints over HTTP as the pages' script does (JSON with the CSRF header),
// with the software authenticator standing in for the browser's.
import assert from 'node:assert/strict';
import type { Browserless } from './browserless.ts';
import { SoftAuthenticator } from './soft-authenticator.ts';

export const PASSKEYS_PAGE = '/console/security/passkeys';
export const SECOND_FACTOR_PASSKEY = { options: '/login/second-factor/passkey/options', verify: '/login/second-factor/passkey' } as const;

/** POSTs JSON as the script does: with the browser's CSRF token in X-CSRF-Token unless `csrf: false`. */
export function postJson(browser: Browserless, path: string, body: Record<string, unknown>, o: { csrf?: boolean; host?: string } = {}): Promise<Response> {
  const csrf = browser.cookie('gh_csrf');
  return browser.request(path, { method: 'POST', json: body, headers: o.csrf === false || !csrf ? {} : { 'x-csrf-token': csrf }, host: o.host });
}

/** Adds a passkey through the console as the signed-in browser; returns the authenticator. */
export async function addPasskey(browser: Browserless, origin: string, name: string, authenticator = new SoftAuthenticator()): Promise<SoftAuthenticator> {
  const options = await postJson(browser, `${PASSKEYS_PAGE}/options`, {});
  assert.equal(options.status, 200);
  const response = await postJson(browser, PASSKEYS_PAGE, { name, response: authenticator.register(await options.json(), { origin }) });
  assert.equal(response.status, 200, await response.clone().text());
  assert.deepEqual(await response.json(), { redirect: PASSKEYS_PAGE });
  return authenticator;
}
