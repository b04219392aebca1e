// The account's users for its admins: each with their role (changeable) and whether they may sign
// in (disable/enable), signing them out everywhere, resetting their second factors, the account's
// MFA policy, and the form that creates a user.
import { ROLES } from '../../platform/accounts.ts';
import type { MfaPolicy, User } from '../../domain/identity.ts';
import { mfaPolicyCard } from './mfa-policy.ts';
import { html } from '../html.ts';
import { errorSummary, select, textField, type FieldErrors } from './parts.ts';
import { consolePage, type Viewer } from './shell.ts';

export interface NewUserValues {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  role: string;
}

export const EMPTY_USER_FORM: NewUserValues = { username: '', email: '', firstName: '', lastName: '', role: 'USER' };

export const USER_FIELD_IDS: Record<string, string> = {
  username: 'new-username',
  password: 'new-password',
  email: 'new-email',
  firstName: 'new-first-name',
  lastName: 'new-last-name',
  role: 'new-role',
};

/** A refusal for one user's row (e.g. the last admin cannot be disabled). */
export interface RowError {
  userId: number;
  message: string;
}

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: role.charAt(0) + role.slice(1).toLowerCase() }));

function userRow(user: User, viewer: Viewer, rowError: RowError | undefined) {
  const self = user.id === viewer.userId;
  const errorId = `user-${user.id}-error`;
  const described = rowError ? html` aria-describedby="${errorId}"` : '';
  const fullName = `${user.firstName} ${user.lastName}`.trim();
  return html`<tr${rowError ? html` class="row-error"` : ''}>
  <th scope="row" class="user-cell">
    <span class="username">${user.username}</span>${self ? html` <span class="badge">You</span>` : ''}${user.platformAdmin ? html` <span class="badge">Platform admin</span>` : ''}
    ${fullName && fullName !== user.username ? html`<span class="muted small block">${fullName}</span>` : ''}
    <span class="muted small block">${user.email}</span>
    ${rowError ? html`<p class="field-error" id="${errorId}"><span class="visually-hidden">Error: </span>${rowError.message}</p>` : ''}
  </th>
  <td data-label="Role">
    <form method="post" action="/console/users/${user.id}/role" class="row-form">
      <input type="hidden" name="csrf" value="${viewer.csrf}">
      <label class="visually-hidden" for="role-${user.id}">Role of ${user.username}</label>
      <select id="role-${user.id}" name="role"${described}>
        ${ROLE_OPTIONS.map((o) => html`<option value="${o.value}"${o.value === user.role ? html` selected` : ''}>${o.label}</option>`)}
      </select>
      <button type="submit" class="secondary">Change<span class="visually-hidden"> role of ${user.username}</span></button>
    </form>
  </td>
  <td data-label="Status">
    <div class="row-form">
      ${user.disabled ? html`<span class="badge disabled">Disabled</span>` : html`<span class="badge verified">Active</span>`}
      ${
        self
          ? ''
          : html`<form method="post" action="/console/users/${user.id}/${user.disabled ? 'enable' : 'disable'}">
        <input type="hidden" name="csrf" value="${viewer.csrf}">
        <button type="submit" class="${user.disabled ? 'secondary' : 'danger-outline'}"${described}>${user.disabled ? 'Enable' : 'Disable'}<span class="visually-hidden"> ${user.username}</span></button>
      </form>${user.disabled ? '' : html`
      <a class="button secondary" href="/console/users/${user.id}/sign-out">Sign out everywhere…<span class="visually-hidden"> ${user.username}</span></a>`}`
      }
      <a class="button secondary" href="/console/users/${user.id}/reset-mfa">Reset second factors…<span class="visually-hidden"> of ${user.username}</span></a>
    </div>
  </td>
</tr>`;
}

export function usersPage(o: { viewer: Viewer; users: User[]; mfaPolicy: MfaPolicy; values: NewUserValues; errors: FieldErrors; rowError?: RowError; notice?: string }): string {
  const body = html`${errorSummary(o.errors, USER_FIELD_IDS)}
${o.rowError ? html`<div class="error-summary" role="alert"><p>${o.rowError.message}</p></div>` : ''}
<div class="table-card">
<table class="list">
  <caption class="visually-hidden">Users of ${o.viewer.tenantName}</caption>
  <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Status</th></tr></thead>
  <tbody>${o.users.map((user) => userRow(user, o.viewer, o.rowError?.userId === user.id ? o.rowError : undefined))}</tbody>
</table>
</div>
<p class="hint">Disabling a user signs them out everywhere and stops every token of theirs at once. Admins manage apps and users; every account keeps at least one active admin.</p>

${mfaPolicyCard(o.viewer, o.mfaPolicy)}

<section class="card" aria-labelledby="new-user-title">
  <h2 id="new-user-title">Create a user</h2>
  <form method="post" action="/console/users" class="stack grid-form" novalidate>
    <input type="hidden" name="csrf" value="${o.viewer.csrf}">
    ${textField({ id: 'new-username', name: 'username', label: 'Username', value: o.values.username, error: o.errors.username, required: true, autocomplete: 'off', hint: 'Letters, digits and . _ @ -', attrs: html` spellcheck="false" autocapitalize="none"` })}
    ${textField({ id: 'new-password', name: 'password', type: 'password', label: 'Password', error: o.errors.password, required: true, autocomplete: 'new-password', hint: 'At least 8 characters; pass it on to the user safely.' })}
    ${textField({ id: 'new-email', name: 'email', type: 'email', label: 'Email (optional)', value: o.values.email, error: o.errors.email, autocomplete: 'off' })}
    ${textField({ id: 'new-first-name', name: 'first_name', label: 'First name (optional)', value: o.values.firstName, error: o.errors.firstName, autocomplete: 'off' })}
    ${textField({ id: 'new-last-name', name: 'last_name', label: 'Last name (optional)', value: o.values.lastName, error: o.errors.lastName, autocomplete: 'off' })}
    ${select({ id: 'new-role', name: 'role', label: 'Role', value: o.values.role, error: o.errors.role, options: ROLE_OPTIONS, hint: 'Admins manage the account’s apps and users.' })}
    <div class="form-actions"><button type="submit" class="primary">Create user</button></div>
  </form>
</section>`;
  return consolePage({ viewer: o.viewer, section: 'users', title: 'Users', notice: o.notice, body });
}
