// The signed-in person's passkeys (/console/security/passkeys): each with its name, when it was
// added and last used, and whether it is synced between devices or bound to one; renaming in place,
// removing after a confirmation, and adding one (which needs the passkey script and WebAuthn).
import type { Passkey } from '../../domain/passkey.ts';
import { html, type Html } from '../html.ts';
import { confirmationPage } from './confirm.ts';
import { date, dateTime, textField } from './parts.ts';
import { PASSKEYS_PATH, SECURITY_PATH } from './security.ts';
import { consolePage, type Viewer } from './shell.ts';

export { PASSKEYS_PATH } from './security.ts';

const kind = (p: Passkey) =>
  p.deviceType === 'multiDevice'
    ? html`<span class="badge">Synced</span> <span class="muted small">available on your other devices</span>`
    : html`<span class="badge">Device-bound</span> <span class="muted small">only on the device or key that made it</span>`;

export interface RenameProblem {
  id: number;
  value: string;
  message: string;
}

function passkeyCard(p: Passkey, viewer: Viewer, problem: RenameProblem | undefined): Html {
  const mine = problem?.id === p.id ? problem : undefined;
  return html`<li class="card connection">
  <h2 id="passkey-${p.id}">${p.name}</h2>
  <dl class="facts">
    <div><dt>Kind</dt><dd>${kind(p)}</dd></div>
    <div><dt>Added</dt><dd>${date(p.createdAt)}</dd></div>
    <div><dt>Last used</dt><dd>${p.lastUsedAt ? dateTime(p.lastUsedAt) : 'Never'}</dd></div>
  </dl>
  <form method="post" action="${PASSKEYS_PATH}/${p.id}/rename" class="stack" aria-label="Rename ${p.name}">
    <input type="hidden" name="csrf" value="${viewer.csrf}">
    ${textField({ id: `name-${p.id}`, name: 'name', label: 'Name', value: mine?.value ?? p.name, error: mine?.message, required: true, attrs: html` maxlength="60"` })}
    <div class="form-actions">
      <button type="submit" class="secondary">Rename<span class="visually-hidden"> ${p.name}</span></button>
      <a class="button danger-outline" href="${PASSKEYS_PATH}/${p.id}/remove">Remove…<span class="visually-hidden"> ${p.name}</span></a>
    </div>
  </form>
</li>`;
}

/** "Add a passkey": the script runs the ceremony; without it (or WebAuthn) the button stays disabled and the note says why. */
function addPasskey(viewer: Viewer): Html {
  return html`<section class="card" aria-labelledby="add-passkey-heading">
  <h2 id="add-passkey-heading">Add a passkey</h2>
  <p class="muted small">A passkey signs you in with this device's screen lock or a security key, without a password. Give it a name you will recognize.</p>
  <form class="stack" id="add-passkey" data-passkey-register data-csrf="${viewer.csrf}" data-options-url="${PASSKEYS_PATH}/options" data-verify-url="${PASSKEYS_PATH}">
    ${textField({ id: 'passkey-name', name: 'name', label: 'Name', hint: 'For example "Work laptop" or "Blue security key".', attrs: html` maxlength="60" autocomplete="off"` })}
    <p class="alert passkey-status" role="alert" data-passkey-status></p>
    <p class="muted small" data-passkey-note>Adding a passkey needs JavaScript and a browser that supports passkeys.</p>
    <div class="form-actions"><button type="submit" class="primary" data-passkey-button disabled>Add a passkey</button></div>
  </form>
</section>`;
}

export function passkeysPage(o: { viewer: Viewer; passkeys: Passkey[]; notice?: string; problem?: RenameProblem }): string {
  const list =
    o.passkeys.length === 0
      ? html`<section class="card empty"><p>You have no passkeys yet. Add one to sign in without your password.</p></section>`
      : html`<ul class="connections">${o.passkeys.map((p) => passkeyCard(p, o.viewer, o.problem))}</ul>`;
  return consolePage({
    viewer: o.viewer,
    section: 'security',
    back: { href: SECURITY_PATH, label: 'Security' },
    title: 'Passkeys',
    notice: o.notice,
    body: html`<p class="lead">Passkeys sign you in to ${o.viewer.tenantName} on the sign-in page's "Sign in with a passkey", no password needed. After your password, a passkey is also your second step.</p>${list}${addPasskey(o.viewer)}`,
    width: 'medium',
    passkeys: true,
  });
}

export function removePasskeyPage(o: { viewer: Viewer; passkey: Passkey }): string {
  return confirmationPage({
    viewer: o.viewer,
    subject: html`<p class="app-name">${o.passkey.name}</p>`,
    title: `Remove the passkey ${o.passkey.name}?`,
    explanation: html`<p>It can no longer sign you in. The passkey stays on your device or in your password manager until you delete
  it there too; adding it here again needs a new registration.</p>`,
    action: `${PASSKEYS_PATH}/${o.passkey.id}/remove`,
    button: 'Remove passkey',
    back: { href: PASSKEYS_PATH, label: 'Passkeys' },
  });
}
