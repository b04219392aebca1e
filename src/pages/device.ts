// The /device pages (RFC 8628 §3.3): enter the code a device shows, confirm what it asks for
// (the app, the code to compare, the scopes in words as the consent page shows them), and the
// answer to take back to the device.
import type { App } from '../domain/app.ts';
import type { Tenant } from '../domain/identity.ts';
import { DEVICE_VERIFICATION_PATH } from '../oauth/device-authorization.ts';
import type { GrantScope } from '../oauth/grant-scope.ts';
import { formatUserCode, USER_CODE_ALPHABET } from '../oauth/user-code.ts';
import { appIcon } from './console/parts.ts';
import { scopeLists } from './consent.ts';
import { html } from './html.ts';
import { layout, type SignedInAs } from './layout.ts';

/** The verification_uri the device authorization endpoint hands out. */
export const DEVICE_PATH = DEVICE_VERIFICATION_PATH;
export const DEVICE_DECISION_PATH = '/device/decision';

export interface DeviceCodePageOptions {
  csrf: string;
  signedInAs: SignedInAs;
  /** What to prefill (from ?user_code=, or what was typed). */
  userCode?: string;
  error?: string;
}

/** Step 1: the code, typed or prefilled from verification_uri_complete. */
export function deviceCodePage(o: DeviceCodePageOptions): string {
  const body = html`<section class="card narrow device">
  <h1>Connect a device</h1>
  <p class="lead">Enter the code shown on your device or in your terminal.</p>
  ${o.error ? html`<p class="alert" role="alert" id="device-error">${o.error}</p>` : ''}
  <form method="post" action="${DEVICE_PATH}" class="stack"${o.error ? html` aria-describedby="device-error"` : ''}>
    <input type="hidden" name="csrf" value="${o.csrf}">
    <div class="field">
      <label for="user_code">Code</label>
      <p class="hint" id="user-code-hint">8 letters, such as <code>BCDF-GHJK</code>. Upper or lower case; the dash is optional.</p>
      <input id="user_code" name="user_code" class="user-code-input" required value="${o.userCode ?? ''}" maxlength="20"
        autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" inputmode="text"
        pattern="[${USER_CODE_ALPHABET}${USER_CODE_ALPHABET.toLowerCase()} \\-]{8,20}" aria-describedby="user-code-hint" autofocus>
    </div>
    <button type="submit" class="primary">Continue</button>
  </form>
</section>`;
  return layout({ title: 'Connect a device', body, signedInAs: o.signedInAs });
}

export interface DeviceConfirmPageOptions {
  csrf: string;
  signedInAs: SignedInAs;
  app: App;
  owner: Tenant | undefined;
  tenant: Tenant;
  /** The normalized user code (8 letters). */
  userCode: string;
  scopes: GrantScope;
}

/** Step 2: who asks, the code to compare with the device's, what it may do; Allow or Deny. */
export function deviceConfirmPage(o: DeviceConfirmPageOptions): string {
  const shown = formatUserCode(o.userCode);
  const by = o.app.tenantId === null ? 'registered by the client itself' : `by ${o.owner?.name ?? 'an unknown account'}`;
  const body = html`<section class="card narrow consent device">
  <div class="app">
    ${appIcon(o.app, 'large')}
    <div>
      <p class="app-name">${o.app.name}</p>
      <p class="app-meta">${by}${o.app.verified ? html`<span class="badge verified">Verified</span>` : html`<span class="badge">Unverified</span>`}</p>
    </div>
  </div>
  <h1>Connect ${o.app.name} on your device?</h1>
  <p>Check that your device shows this code:</p>
  <p class="user-code" aria-label="Code ${shown.split('').join(' ')}"><strong>${shown}</strong></p>
  <p class="muted small">If it shows another code, or you did not start this, choose Deny.</p>
  <p class="account"><span class="avatar" aria-hidden="true">${(o.signedInAs.username.slice(0, 1) || '?').toUpperCase()}</span>
    <span>Signed in as <strong>${o.signedInAs.username}</strong> in <strong>${o.tenant.name}</strong> (${o.tenant.slug})</span></p>
  ${o.app.description ? html`<p class="description">${o.app.description}</p>` : ''}
  <h2>This will allow ${o.app.name} to:</h2>
  ${scopeLists(o.scopes, o.tenant.name)}
  <form method="post" action="${DEVICE_DECISION_PATH}" class="decision">
    <input type="hidden" name="csrf" value="${o.csrf}">
    <input type="hidden" name="user_code" value="${o.userCode}">
    <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
    <button type="submit" name="decision" value="allow" class="primary">Allow</button>
  </form>
  <p class="fineprint">You can view and remove app access in your account at any time (Console → Connections).</p>
</section>`;
  return layout({ title: `Connect ${o.app.name}?`, body, signedInAs: o.signedInAs });
}

/** Step 3: the answer is recorded; the device picks it up on its next poll. */
export function deviceDonePage(o: { signedInAs: SignedInAs; appName: string; allowed: boolean }): string {
  const body = o.allowed
    ? html`<section class="card narrow device"><h1>Device connected</h1>
  <p class="lead"><strong>${o.appName}</strong> can now use your account. Return to your device: it continues on its own within a few seconds.</p>
  <p class="muted small">You can close this page. To disconnect the device later, remove its access under Console → Connections.</p>
  <p><a class="button secondary" href="${DEVICE_PATH}">Connect another device</a></p></section>`
    : html`<section class="card narrow device"><h1>Request denied</h1>
  <p class="lead"><strong>${o.appName}</strong> was not connected. Return to your device: it will say that access was denied.</p>
  <p class="muted small">You can close this page.</p></section>`;
  return layout({ title: o.allowed ? 'Device connected' : 'Request denied', body, signedInAs: o.signedInAs });
}
