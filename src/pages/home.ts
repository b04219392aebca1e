// The start page for someone signed in: who they are, and the way on — the console's sections
// they may use (app connections for everyone; apps, users and the audit log for admins).
import { sectionsFor, type Viewer } from './console/shell.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';

export function signedInHomePage(viewer: Viewer): string {
  const body = html`<section class="card narrow home">
  <h1>Signed in</h1>
  <p>You are signed in as <strong>${viewer.username}</strong> in <strong>${viewer.tenantName}</strong> (${viewer.tenantSlug})</p>
  <p class="muted">The console shows the apps that can use your account, and lets you remove their access.</p>
  <ul class="home-links">
    ${sectionsFor(viewer).map((section) => html`<li><a href="${section.href}">${section.label}</a></li>`)}
  </ul>
  <p><a class="button primary" href="/console">Open the console</a></p>
</section>`;
  return layout({ title: 'Signed in', body, signedInAs: { username: viewer.username, tenant: viewer.tenantSlug, csrf: viewer.csrf } });
}
