// ilert's "user grant view": who asks, for what, in words; Allow or Cancel. Whoever is signed in
// can switch to another account first (sign out, then back to the same request), and a request
// for `wildcard` (everything in the account) is set apart as a warning.
import type { App } from '../domain/app.ts';
import type { Tenant } from '../domain/identity.ts';
import type { ScopeSet } from '../oauth/scopes.ts';
import { describeScopes } from '../oauth/scopes.ts';
import { appIcon } from './console/parts.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';

export interface ConsentPageOptions {
  app: App;
  owner: Tenant | undefined;
  tenant: Tenant;
  username: string;
  scopes: ScopeSet;
  /** The authorization request, re-posted with the decision. */
  params: Record<string, string | undefined>;
  /** The same request as a path, where "Sign in as someone else" comes back to. */
  requestPath: string;
  csrf: string;
}

const initial = (name: string) => (name.trim().slice(0, 1) || '?').toUpperCase();

export function consentPage(o: ConsentPageOptions): string {
  const lines = describeScopes(o.scopes);
  // Resource scopes come first; the offline flag (last, if asked) acts for no one, so no "in your name".
  const resourceRows = o.scopes.levels.size;
  const hidden = Object.entries(o.params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const body = html`<section class="card narrow consent">
  <div class="app">
    ${appIcon(o.app, 'large')}
    <div>
      <p class="app-name">${o.app.name}</p>
      <p class="app-meta">by ${o.owner?.name ?? 'an unknown account'}${
        o.app.verified ? html`<span class="badge verified">Verified</span>` : html`<span class="badge">Unverified</span>`
      }</p>
    </div>
  </div>
  <h1>${o.app.name} wants to access your account</h1>
  <p class="account"><span class="avatar" aria-hidden="true">${initial(o.username)}</span>
    <span>Signed in as <strong>${o.username}</strong> in <strong>${o.tenant.name}</strong> (${o.tenant.slug})</span></p>
  <form method="post" action="/logout" class="switch-account">
    <input type="hidden" name="csrf" value="${o.csrf}">
    <input type="hidden" name="return_to" value="${o.requestPath}">
    <button type="submit" class="link">Not you? Sign in as someone else</button>
  </form>
  ${o.app.description ? html`<p class="description">${o.app.description}</p>` : ''}
  <h2>This will allow ${o.app.name} to:</h2>
  <ul class="scopes">
    ${lines.map((l, i) =>
      l.everything
        ? html`<li class="everything"><span class="warn" aria-hidden="true">!</span><span>${l.verbs} <strong>${l.noun}</strong> in your name
      <span class="everything-note"><strong>Full access:</strong> every kind of data in ${o.tenant.name}, including kinds not listed here and any added later. Allow this only for an app you trust completely.</span></span></li>`
        : html`<li><span class="tick" aria-hidden="true"></span><span>${l.verbs} <strong>${l.noun}</strong>${i < resourceRows ? ' in your name' : ''}</span></li>`,
    )}
  </ul>
  <form method="post" action="/api/developers/oauth2/authorize" class="decision">
    <input type="hidden" name="csrf" value="${o.csrf}">
    ${hidden}
    <button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
    <button type="submit" name="decision" value="allow" class="primary">Allow</button>
  </form>
  <p class="fineprint">By clicking Allow you allow this app to use your information in accordance with its terms of
  service and privacy policy. You can view and remove app access in your account at any time.</p>
</section>`;
  return layout({ title: `Allow ${o.app.name}?`, body });
}
