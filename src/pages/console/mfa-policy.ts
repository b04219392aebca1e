// The account's MFA policy on the Users page (account admins): whom a second factor is required
// of, and whether consent to `:d` (delete) scopes needs one; and the page that confirms resetting
// a user's second factors.
import type { MfaPolicy, User } from '../../domain/identity.ts';
import { html, type Html } from '../html.ts';
import { confirmationPage } from './confirm.ts';
import { checkbox, radios } from './parts.ts';
import type { Viewer } from './shell.ts';

export const MFA_POLICY_PATH = '/console/users/mfa-policy';

const REQUIRED_OPTIONS = [
  { value: 'off', label: 'Nobody', hint: 'Each person chooses whether to set up a second factor.' },
  { value: 'admins', label: 'Admins', hint: 'Admins of this account must have a second factor.' },
  { value: 'everyone', label: 'Everyone', hint: 'Every user of this account must have a second factor.' },
] as const;

/** The policy form, as a card on the Users page. */
export function mfaPolicyCard(viewer: Viewer, policy: MfaPolicy): Html {
  return html`<section class="card" aria-labelledby="mfa-policy-title">
  <h2 id="mfa-policy-title">Account security</h2>
  <p>A second factor is an authenticator app or a passkey. Someone it is required of and who has none is asked to set one up right after their password, before anything else.</p>
  <form method="post" action="${MFA_POLICY_PATH}" class="stack" novalidate>
    <input type="hidden" name="csrf" value="${viewer.csrf}">
    ${radios({ id: 'mfa-required', name: 'required', legend: 'Require a second factor of', value: policy.required, options: REQUIRED_OPTIONS })}
    ${checkbox({ id: 'mfa-delete-scopes', name: 'delete_scopes', label: 'Require a second factor to give an app a scope that deletes things (ending in :d)', checked: policy.forDeleteScopes, hint: 'Whoever signed in with the password only is asked for their second factor first.' })}
    <div class="form-actions"><button type="submit" class="primary">Save account security</button></div>
  </form>
</section>`;
}

/** Asks before removing every second factor of a user. */
export function resetMfaPage(o: { viewer: Viewer; user: User }): string {
  return confirmationPage({
    viewer: o.viewer,
    section: 'users',
    subject: html`<p class="app-name">${o.user.username}</p><p class="muted small">${o.user.email}</p>`,
    title: `Reset the second factors of ${o.user.username}?`,
    explanation: html`<p>Their authenticator app, recovery codes and passkeys are removed, for someone who lost them. They
  sign in with their password alone until they set up a new one; if this account requires a second factor of them, their
  next sign-in asks them to set one up first.</p>`,
    action: `/console/users/${o.user.id}/reset-mfa`,
    button: `Reset ${o.user.username}'s second factors`,
    back: { href: '/console/users', label: 'Users' },
  });
}
