// prompt=select_account (and a login_hint naming someone else): continue as the signed-in user, or
// use another account — which signs out (a CSRF-checked post to /logout) and comes back to the
// same request, to the sign-in form.
import type { Tenant } from '../domain/identity.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';

export interface SelectAccountPageOptions {
  appName: string;
  username: string;
  tenant: Tenant;
  /** The request going on as the signed-in user (a path on this server). */
  continueUrl: string;
  /** The request to come back to after signing out (a path on this server). */
  signOutReturnTo: string;
  csrf: string;
}

export function selectAccountPage(o: SelectAccountPageOptions): string {
  const body = html`<section class="card narrow">
  <h1>Choose an account</h1>
  <p class="lead">to continue to <strong>${o.appName}</strong></p>
  <div class="stack"><a class="button primary" href="${o.continueUrl}">Continue as ${o.username} (${o.tenant.slug})</a></div>
  <form method="post" action="/logout" class="stack">
    <input type="hidden" name="csrf" value="${o.csrf}">
    <input type="hidden" name="return_to" value="${o.signOutReturnTo}">
    <button type="submit" class="secondary">Use another account</button>
  </form>
</section>`;
  return layout({ title: 'Choose an account', body });
}
