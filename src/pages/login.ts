// The sign-in form, shown by the authorization endpoint when nobody is signed in, and at /login
// (where the console sends visitors without a session).
import { html } from './html.ts';
import { layout } from './layout.ts';

export interface LoginPageOptions {
  csrf: string;
  /** Where to continue after signing in (a path on this server). */
  returnTo: string;
  /** The tenant named by the host; when absent the form asks for it. */
  hostTenant?: string;
  /** Shown to say what the sign-in is for, e.g. the app asking for access. */
  appName?: string;
  error?: string;
  /** Why this sign-in is asked for, when the user might wonder (e.g. the app expects another account). */
  notice?: string;
  username?: string;
  tenant?: string;
}

/**
 * "Sign in with a passkey" (src/pages/passkeys.js runs it): without the script, or in a browser
 * without WebAuthn, the button stays disabled and the note says why; the password form is unaffected.
 */
function passkeySignIn(o: LoginPageOptions) {
  // The button says "Use a passkey" so that "Sign in" names one button on the page: the form's.
  return html`<section class="passkey-signin stack" aria-labelledby="passkey-heading" data-passkey-signin data-csrf="${o.csrf}" data-return-to="${o.returnTo}" data-options-url="/login/passkey/options" data-verify-url="/login/passkey">
    <h2 id="passkey-heading">Sign in with a passkey</h2>
    <p class="muted small">No password: your device's screen lock or your security key.</p>
    <button type="button" class="secondary" data-passkey-button disabled>Use a passkey</button>
    <p class="alert passkey-status" role="alert" data-passkey-status></p>
    <p class="muted small" data-passkey-note>Signing in with a passkey needs JavaScript.</p>
  </section>`;
}

export function loginPage(o: LoginPageOptions): string {
  const askTenant = o.hostTenant === undefined;
  // Focus goes to the first field that still needs typing: after a failed attempt, the password.
  const focus = askTenant && !o.tenant ? 'tenant' : !o.username ? 'username' : 'password';
  const autofocus = (field: string) => (field === focus ? html` autofocus` : '');
  const body = html`<section class="card narrow">
  <h1>Sign in</h1>
  ${
    o.appName
      ? html`<p class="lead">to continue to <strong>${o.appName}</strong></p>`
      : html`<p class="lead">${o.returnTo.startsWith('/console') ? 'to the Gatehouse console' : o.returnTo.startsWith('/device') ? 'to connect a device to your account' : 'to your Gatehouse account'}</p>`
  }
  ${o.hostTenant ? html`<p class="muted">Account <strong>${o.hostTenant}</strong></p>` : ''}
  ${o.notice ? html`<p class="muted">${o.notice}</p>` : ''}
  ${o.error ? html`<p class="alert" role="alert" id="login-error">${o.error}</p>` : ''}
  <form method="post" action="/login" class="stack"${o.error ? html` aria-describedby="login-error"` : ''}>
    <input type="hidden" name="csrf" value="${o.csrf}">
    <input type="hidden" name="return_to" value="${o.returnTo}">
    ${
      askTenant
        ? html`<div class="field">
      <label for="tenant">Account</label>
      <p class="hint" id="tenant-hint">The short name of your organization's account, such as <code>acme</code>.</p>
      <input id="tenant" name="tenant" autocomplete="organization" required value="${o.tenant ?? ''}" autocapitalize="none" spellcheck="false" aria-describedby="tenant-hint"${autofocus('tenant')}>
    </div>`
        : ''
    }
    <div class="field">
      <label for="username">Username</label>
      <input id="username" name="username" autocomplete="username" required value="${o.username ?? ''}" autocapitalize="none" spellcheck="false"${autofocus('username')}>
    </div>
    <div class="field">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required${autofocus('password')}>
    </div>
    <button type="submit" class="primary">Sign in</button>
  </form>
  ${passkeySignIn(o)}
</section>`;
  return layout({ title: 'Sign in', body, passkeys: true });
}

/**
 * Instead of the form on a tenant host whose account does not exist: no password is asked for an
 * account that cannot sign in. The page says only that the name is unknown (docs/security.md).
 */
export function unknownAccountPage(o: { slug: string; signInUrl: string; mainHost: string }): string {
  const body = html`<section class="card narrow">
  <h1>No such account</h1>
  <p class="alert" role="alert">There is no account <strong>${o.slug}</strong> on this server.</p>
  <p class="muted">Check the address: a tenant host starts with the short name of your organization's account,
  such as <code>acme.${o.mainHost}</code>. Or sign in on the main host, where you type the account's name.</p>
  <p><a class="button primary" href="${o.signInUrl}">Sign in on ${o.mainHost}</a></p>
</section>`;
  return layout({ title: 'No such account', body });
}
