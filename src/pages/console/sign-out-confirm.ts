// "Sign out everywhere": the pages that ask first, for one's own sessions (every signed-in user)
// and for a user of the account (its admins). What ends, and what it means for apps, is said here.
import type { User } from '../../domain/identity.ts';
import { html } from '../html.ts';
import { confirmationPage } from './confirm.ts';
import type { Viewer } from './shell.ts';

const APPS = html`<p>Apps that signed you in with your account and asked to hear of it are told to sign you out, and
  their sign-in tokens stop working. Access you allowed an app to keep while you are away (offline access) stays: revoke
  it under App connections.</p>`;

export function signOutEverywherePage(o: { viewer: Viewer }): string {
  return confirmationPage({
    viewer: o.viewer,
    section: 'connections',
    subject: html`<p class="app-name">${o.viewer.username}</p><p class="muted small">${o.viewer.tenantName}</p>`,
    title: 'Sign out everywhere?',
    explanation: html`<p>Every browser and device where you are signed in to ${o.viewer.tenantName} is signed out, this one
  too: you will sign in again here next.</p>${APPS}`,
    action: '/console/sign-out-everywhere',
    button: 'Sign out everywhere',
    back: { href: '/console/connections', label: 'App connections' },
  });
}

export function signOutUserPage(o: { viewer: Viewer; user: User }): string {
  return confirmationPage({
    viewer: o.viewer,
    section: 'users',
    subject: html`<p class="app-name">${o.user.username}</p><p class="muted small">${o.user.email}</p>`,
    title: `Sign ${o.user.username} out everywhere?`,
    explanation: html`<p>Every browser and device where ${o.user.username} is signed in is signed out; they can sign in
  again at once (disable the user to stop that). Apps that signed them in and asked to hear of it are told to sign them
  out, and those apps' sign-in tokens without offline access stop working.</p>`,
    action: `/console/users/${o.user.id}/sign-out`,
    button: `Sign ${o.user.username} out`,
    back: { href: '/console/users', label: 'Users' },
  });
}
