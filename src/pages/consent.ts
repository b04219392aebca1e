// ilert's "user grant view": who asks, for what, in words; Allow or Cancel. Whoever is signed in
// can switch to another account first (sign out, then back to the same request), and a request
// for `wildcard` (everything in the account) is set apart as a warning.
import type { App } from '../domain/app.ts';
import type { Tenant } from '../domain/identity.ts';
import type { GrantScope } from '../oauth/grant-scope.ts';
import { describeScopes, ScopeSet, type ScopeLine } from '../oauth/scopes.ts';
import { appIcon } from './console/parts.ts';
import { documentClientNotice, documentHost } from './document-client.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';
import { withSignInLine } from './oidc-consent.ts';
import { isSelfRegistered, selfRegisteredMeta } from './self-registered.ts';

export interface ConsentPageOptions {
  app: App;
  owner: Tenant | undefined;
  tenant: Tenant;
  username: string;
  scopes: GrantScope;
  /** The authorization request, re-posted with the decision (`resource` may repeat). */
  params: Record<string, string | readonly string[] | undefined>;
  /** The same request as a path, where "Sign in as someone else" comes back to. */
  requestPath: string;
  csrf: string;
}

const initial = (name: string) => (name.trim().slice(0, 1) || '?').toUpperCase();

/** One scope's line; family scopes act "in your name", a plain scope says what it allows in its own words. */
function scopeItem(l: ScopeLine, tenantName: string, inYourName: boolean) {
  if (l.everything) {
    return html`<li class="everything"><span class="warn" aria-hidden="true">!</span><span>${l.verbs} <strong>${l.noun}</strong> in your name
      <span class="everything-note"><strong>Full access:</strong> every kind of data in ${tenantName}, including kinds not listed here and any added later. Allow this only for an app you trust completely.</span></span></li>`;
  }
  if (l.noun === '') return html`<li><span class="tick" aria-hidden="true"></span><span>${l.verbs}</span></li>`;
  return html`<li><span class="tick" aria-hidden="true"></span><span>${l.verbs} <strong>${l.noun}</strong>${inYourName ? ' in your name' : ''}</span></li>`;
}

/**
 * The scope list: for the built-in API alone, one list as ilert shows it; for any other resource,
 * or several, one group per resource under its name and identifier. The offline flag comes last.
 */
export function scopeLists(scopes: GrantScope, tenantName: string) {
  const offline = scopes.offline ? describeScopes(ScopeSet.empty.withOffline(true)) : [];
  const only = scopes.parts.length === 1 ? scopes.parts[0] : undefined;
  if (only?.resource.builtIn) {
    const lines = withSignInLine(only.scopes, describeScopes(only.scopes, only.resource.catalog));
    return html`<ul class="scopes">${[...lines.map((l) => scopeItem(l, tenantName, true)), ...offline.map((l) => scopeItem(l, tenantName, false))]}</ul>`;
  }
  return html`${scopes.parts.map(
    (part) => html`<h3 class="resource-heading">On <strong>${part.resource.name}</strong> <span class="muted small">${part.resource.identifier}</span></h3>
  <ul class="scopes">${describeScopes(part.scopes, part.resource.catalog).map((l) => scopeItem(l, tenantName, true))}</ul>`,
  )}${offline.length > 0 ? html`<ul class="scopes">${offline.map((l) => scopeItem(l, tenantName, false))}</ul>` : ''}`;
}

export function consentPage(o: ConsentPageOptions): string {
  const hidden = Object.entries(o.params).flatMap(([name, value]) =>
    (typeof value === 'string' ? [value] : (value ?? [])).map((one) => html`<input type="hidden" name="${name}" value="${one}">`),
  );
  const body = html`<section class="card narrow consent">
  <div class="app">
    ${appIcon(o.app, 'large')}
    <div>
      <p class="app-name">${o.app.name}</p>
      ${isSelfRegistered(o.app) ? selfRegisteredMeta(o.app, typeof o.params.redirect_uri === 'string' ? o.params.redirect_uri : undefined) : html`<p class="app-meta">by ${o.app.registration === 'metadata_document' ? documentHost(o.app) : (o.owner?.name ?? 'an unknown account')}${
        o.app.verified ? html`<span class="badge verified">Verified</span>` : html`<span class="badge">Unverified</span>`
      }</p>`}
    </div>
  </div>
  ${documentClientNotice(o.app)}
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
  ${scopeLists(o.scopes, o.tenant.name)}
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
