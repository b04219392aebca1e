// The device flow as tests drive it: apps allowed the grant, the device's requests, and the
// person's side on /device over plain HTTP (Browserless: sign in, enter the code, decide).
import assert from 'node:assert/strict';
import type { App } from '../../src/domain/app.ts';
import type { DeviceAuthorizationResponse } from '../../src/oauth/device-authorization.ts';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/oauth/grants/device-code.ts';
import { Browserless, formFields } from './browserless.ts';
import { PASSWORD, type TestServer } from './server.ts';
import { postForm, tokenUrl, type JsonResponse } from './token-client.ts';

export const deviceAuthorizationUrl = (base: string) => `${base}/api/developers/oauth2/device_authorization`;

/** Lets the app use the device grant (keeping its other grant types). */
export async function allowDeviceGrant(server: TestServer, app: App): Promise<App> {
  const updated = await server.store.apps.update(app.id, { grantTypes: [...new Set([...app.grantTypes, DEVICE_CODE_GRANT_TYPE])] }, server.clock.now());
  assert.ok(updated);
  return updated;
}

let publicApps = 0;
/** A public client (no secret, auth method none) of the test tenant that may use the device grant and refresh. */
export async function publicDeviceApp(server: TestServer, overrides: Partial<Parameters<TestServer['store']['apps']['create']>[0]> = {}): Promise<App> {
  publicApps += 1;
  return server.store.apps.create(
    {
      tenantId: server.tenant.id,
      clientId: `dev${publicApps.toString().padStart(17, '0')}`,
      clientSecretHash: null,
      tokenEndpointAuthMethod: 'none',
      name: `Device CLI ${publicApps}`,
      description: 'Signs in from a terminal',
      redirectUris: [],
      limitToAccount: false,
      grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'],
      ...overrides,
    },
    server.clock.now(),
  );
}

/** What the device authorization endpoint answers. */
export type DeviceStart = DeviceAuthorizationResponse;

/** A device authorization request that must succeed. */
export async function startDevice(server: TestServer, form: Record<string, string>): Promise<DeviceStart> {
  const response = await postForm(deviceAuthorizationUrl(server.url), form);
  assert.equal(response.status, 200, response.text);
  return response.body as unknown as DeviceStart;
}

/** One poll of the token endpoint with the device code. */
export function poll(server: TestServer, deviceCode: string, client: Record<string, string>): Promise<JsonResponse> {
  return postForm(tokenUrl(server.url), { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: deviceCode, ...client });
}

/** A person with a session, ready to use /device. */
export async function signedInPerson(server: TestServer, username = 'jane', tenant = 'acme'): Promise<Browserless> {
  const browser = new Browserless(server.url);
  const signedIn = await browser.signIn(tenant, username, PASSWORD, '/device');
  assert.equal(signedIn.status, 303);
  return browser;
}

/** Posts the code form; the response (the confirm page, or the form again with an error). */
export async function enterCode(browser: Browserless, userCode: string): Promise<{ status: number; html: string }> {
  const form = formFields(await (await browser.request(`/device?user_code=${encodeURIComponent(userCode)}`)).text(), '/device');
  const response = await browser.request('/device', { form: { ...form, user_code: userCode } });
  return { status: response.status, html: await response.text() };
}

/** Enters the code and answers the confirm page; the final page. */
export async function decide(browser: Browserless, userCode: string, decision: 'allow' | 'deny'): Promise<{ status: number; html: string }> {
  const confirm = await enterCode(browser, userCode);
  assert.equal(confirm.status, 200, confirm.html.slice(0, 2000));
  const response = await browser.request('/device/decision', { form: { ...formFields(confirm.html, '/device/decision'), decision } });
  return { status: response.status, html: await response.text() };
}
