// Disabling an app from its page: the card that says whether it is disabled, with the way to
// disable it (behind a confirmation page) or enable it again, and that confirmation page.
import type { App } from '../../domain/app.ts';
import { html, type Html } from '../html.ts';
import { appSubject, confirmationPage } from './confirm.ts';
import { date } from './parts.ts';
import type { Viewer } from './shell.ts';

export const disabledBadge = (app: Pick<App, 'disabledAt'>): Html => (app.disabledAt ? html` <span class="badge disabled">Disabled</span>` : html``);

/** The manage page's card: disable (asks first), or, when disabled, enable. */
export function disableCard(app: App, viewer: Viewer): Html {
  const base = `/console/apps/${app.id}`;
  if (app.disabledAt) {
    return html`<section class="card danger" aria-labelledby="disable-title">
  <h2 id="disable-title">Disabled</h2>
  <p>Disabled on ${date(app.disabledAt)}: the app gets no tokens, and every token it held was revoked. Enabling it lets it ask again;
  users authorize it again, and a service asks for a new token.</p>
  <form method="post" action="${base}/enable" class="inline-form">
    <input type="hidden" name="csrf" value="${viewer.csrf}">
    <button type="submit" class="secondary">Enable app</button>
  </form>
</section>`;
  }
  return html`<section class="card danger" aria-labelledby="disable-title">
  <h2 id="disable-title">Disable app</h2>
  <p>Disabling stops the app at once without deleting it: every token it holds is revoked and it gets no new ones until it is enabled again.</p>
  <a class="button danger-outline" href="${base}/disable">Disable app…</a>
</section>`;
}

export function disableAppPage(o: { viewer: Viewer; app: App }): string {
  return confirmationPage({
    viewer: o.viewer,
    section: 'apps',
    subject: appSubject(o.app),
    title: `Disable ${o.app.name}?`,
    explanation: html`<p>Every token the app holds stops working at once — its users' access and refresh tokens and its own
  (client_credentials) tokens — and it gets no new ones: sign-in links for it show an error, and the token endpoint refuses it.
  Its settings stay. Enabling it later does not bring the old tokens back.</p>`,
    action: `/console/apps/${o.app.id}/disable`,
    button: `Disable ${o.app.name}`,
    back: { href: `/console/apps/${o.app.id}`, label: o.app.name },
  });
}
