// The pages of RP-initiated logout (/oauth2/logout): "Sign out of Gatehouse?" when the request
// cannot show it comes from the signed-in session, and "You are signed out" when there is no
// registered place to go back to.
import { OIDC_PATHS } from '../oauth/oidc-metadata.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';

/** The logout request's own parameters, carried through the confirmation form. */
export type LogoutFormParams = Partial<Record<'id_token_hint' | 'client_id' | 'post_logout_redirect_uri' | 'state' | 'logout_hint' | 'ui_locales', string>>;

export interface ConfirmLogoutOptions {
  /** The app that sent the person here, when known. */
  appName?: string;
  username: string;
  tenant: { name: string; slug: string };
  csrf: string;
  params: LogoutFormParams;
}

export function confirmLogoutPage(o: ConfirmLogoutOptions): string {
  const hidden = Object.entries(o.params)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value ?? ''}">`);
  const body = html`<section class="card narrow">
  <h1>Sign out of Gatehouse?</h1>
  <p>${o.appName ? html`<strong>${o.appName}</strong> asks to sign you out` : 'An app asks to sign you out'} of Gatehouse, where you are signed in as <strong>${o.username}</strong> in <strong>${o.tenant.name}</strong> (${o.tenant.slug}).</p>
  <p class="muted">Signing out ends your Gatehouse session in this browser; apps you signed in to with it may sign you out too.</p>
  <form method="post" action="${OIDC_PATHS.endSession}" class="decision">
    <input type="hidden" name="csrf" value="${o.csrf}">
    ${hidden}
    <button type="submit" name="decision" value="stay" class="secondary">Stay signed in</button>
    <button type="submit" name="decision" value="sign_out" class="primary">Sign out</button>
  </form>
</section>`;
  return layout({ title: 'Sign out of Gatehouse?', body });
}

/** After signing out (or when nobody was signed in), with nowhere registered to go back to. */
export function signedOutPage(o: { appName?: string; stillSignedIn?: boolean }): string {
  const title = o.stillSignedIn ? 'You are still signed in' : 'You are signed out';
  const body = html`<section class="card narrow">
  <h1>${title}</h1>
  <p>${o.stillSignedIn ? 'Your Gatehouse session continues.' : 'You are not signed in to Gatehouse in this browser.'}${o.appName ? html` You can close this page, or go back to <strong>${o.appName}</strong>.` : ' You can close this page.'}</p>
  <p class="small"><a href="/">Go to the Gatehouse start page</a></p>
</section>`;
  return layout({ title, body });
}
