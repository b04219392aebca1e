// The pages that ask before a destructive action — deleting an app, rotating its secret, revoking
// an app's access; rotating a resource's secret, deleting a resource — each naming what it acts
// on, saying what will happen, and posting only when confirmed.
import type { App } from '../../domain/app.ts';
import type { Connection } from '../../domain/grant.ts';
import { html, type Html } from '../html.ts';
import { appIcon, checkbox, type IconRef } from './parts.ts';
import type { ResourceView } from './resources.ts';
import { consolePage, type Section, type Viewer } from './shell.ts';

interface Confirmation {
  viewer: Viewer;
  section?: Section;
  /** What the action is about, at the top of the card. */
  subject: Html;
  title: string;
  /** What the action does, in a sentence or two. */
  explanation: Html;
  action: string;
  /** The confirming button's text. */
  button: string;
  /** Where Cancel (and the back link) go. */
  back: { href: string; label: string };
  /** Choices posted with the confirmation. */
  fields?: Html;
}

export function confirmationPage(o: Confirmation): string {
  const body = html`<section class="card danger">
  ${o.subject}
  ${o.explanation}
  <form method="post" action="${o.action}" class="stack">
    <input type="hidden" name="csrf" value="${o.viewer.csrf}">
    ${o.fields ?? ''}
    <div class="form-actions">
      <button type="submit" class="danger">${o.button}</button>
      <a class="button secondary" href="${o.back.href}">Cancel</a>
    </div>
  </form>
</section>`;
  return consolePage({ viewer: o.viewer, section: o.section, title: o.title, back: o.back, body, width: 'medium' });
}

export const appSubject = (app: IconRef): Html => html`<div class="app-heading">${appIcon(app, 'large')}<p class="app-name">${app.name}</p></div>`;
const resourceSubject = (resource: ResourceView): Html => html`<p class="app-name">${resource.name}</p><p class="muted small break"><code>${resource.identifier}</code></p>`;

export function deleteAppPage(o: { viewer: Viewer; app: App }): string {
  return confirmationPage({
    viewer: o.viewer,
    section: 'apps',
    subject: appSubject(o.app),
    title: `Delete ${o.app.name}?`,
    explanation: html`<p>Deleting the app cannot be undone. It revokes every token the app holds: its access and refresh
  tokens stop working at once, and every user's connection to it ends. Its client ID will no longer sign anyone in.</p>`,
    action: `/console/apps/${o.app.id}/delete`,
    button: `Delete ${o.app.name}`,
    back: { href: `/console/apps/${o.app.id}`, label: o.app.name },
  });
}

export function rotateSecretPage(o: { viewer: Viewer; app: App }): string {
  return confirmationPage({
    viewer: o.viewer,
    section: 'apps',
    subject: appSubject(o.app),
    title: `Rotate the secret of ${o.app.name}?`,
    explanation: html`<p>A new client secret is made and shown once. The current secret stops working at once: until the
  app is given the new one, it cannot redeem codes or refresh tokens with its secret.</p>`,
    action: `/console/apps/${o.app.id}/secret`,
    button: 'Rotate secret',
    back: { href: `/console/apps/${o.app.id}`, label: o.app.name },
    fields: checkbox({
      id: 'revoke-tokens',
      name: 'revoke_tokens',
      label: 'Also revoke every token issued so far',
      hint: 'Every user must authorize the app again. Choose this when the secret may have leaked.',
      checked: false,
    }),
  });
}

export function revokeConnectionPage(o: { viewer: Viewer; connection: Connection }): string {
  const c = o.connection;
  return confirmationPage({
    viewer: o.viewer,
    section: 'connections',
    subject: appSubject({ clientId: c.appClientId, name: c.appName, iconUpdatedAt: c.appIconUpdatedAt }),
    title: `Revoke the access of ${c.appName}?`,
    explanation: html`<p>${c.appName} can no longer act for you: its access and refresh tokens for your account stop working
  at once, and it must ask for your permission again to get new ones.</p>`,
    action: `/console/connections/${c.appId}/revoke`,
    button: 'Revoke access',
    back: { href: '/console/connections', label: 'App connections' },
  });
}

export function rotateResourceSecretPage(o: { viewer: Viewer; resource: ResourceView }): string {
  return confirmationPage({
    viewer: o.viewer,
    section: 'admin-resources',
    subject: resourceSubject(o.resource),
    title: `Rotate the secret of ${o.resource.name}?`,
    explanation: html`<p>A new client secret is made and shown once. The current secret stops working at once: until the
  API is given the new one, it cannot introspect tokens or read the revocation feed. Tokens already issued keep working.</p>`,
    action: `/console/admin/resources/${o.resource.id}/secret`,
    button: 'Rotate secret',
    back: { href: `/console/admin/resources/${o.resource.id}`, label: o.resource.name },
  });
}

export function deleteResourcePage(o: { viewer: Viewer; resource: ResourceView; defaultOf: number }): string {
  const apps = o.defaultOf === 1 ? 'One app uses it' : `${o.defaultOf} apps use it`;
  return confirmationPage({
    viewer: o.viewer,
    section: 'admin-resources',
    subject: resourceSubject(o.resource),
    title: `Delete ${o.resource.name}?`,
    explanation: html`<p>Deleting the resource cannot be undone. <strong>Every token for it stops working at once</strong>, and every
  authorization that includes it is revoked, with its tokens for other resources too: users must authorize those apps again.
  Apps can no longer ask for it.</p>${o.defaultOf > 0 ? html`<p>${apps} as its default resource; ${o.defaultOf === 1 ? 'it goes' : 'they go'} back to the built-in API.</p>` : ''}`,
    action: `/console/admin/resources/${o.resource.id}/delete`,
    button: `Delete ${o.resource.name}`,
    back: { href: `/console/admin/resources/${o.resource.id}`, label: o.resource.name },
  });
}

export function deleteDynamicClientPage(o: { viewer: Viewer; app: App }): string {
  return confirmationPage({
    viewer: o.viewer,
    section: 'admin-clients',
    subject: html`<p class="app-name">${o.app.name}</p><p class="muted small break"><code>${o.app.clientId}</code></p>`,
    title: `Delete ${o.app.name}?`,
    explanation: html`<p>Deleting the client cannot be undone. Every token it holds stops working at once, every user's connection
  to it ends, and its registration access token no longer manages it. It may register again, as a new client, while registration is on.</p>`,
    action: `/console/admin/clients/${o.app.id}/delete`,
    button: `Delete ${o.app.name}`,
    back: { href: '/console/admin/clients', label: 'Registered clients' },
  });
}
