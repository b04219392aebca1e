// The console's frame: the header (account, user, sign out), the section links a person may use,
// and the page's heading; every console page is rendered through it.
import { html, type Html } from '../html.ts';
import { layout } from '../layout.ts';
import { notice } from './parts.ts';
import type { Tenant, User } from '../../domain/identity.ts';

/** Who is looking, as far as the pages care. */
export interface Viewer {
  userId: number;
  username: string;
  tenantName: string;
  tenantSlug: string;
  csrf: string;
  /** Manages the account's apps and users, reads its audit log. */
  tenantAdmin: boolean;
  /** Marks apps of every account verified, and manages the resource servers. */
  platformAdmin: boolean;
}

/** What the pages show of a signed-in person, and which of the console's roles they hold. */
export function viewerOf(user: User, tenant: Tenant, csrf: string): Viewer {
  return {
    userId: user.id,
    username: user.username,
    tenantName: tenant.name,
    tenantSlug: tenant.slug,
    csrf,
    tenantAdmin: user.role === 'ADMIN' && !user.disabled,
    platformAdmin: user.platformAdmin && !user.disabled,
  };
}

export type Section = 'connections' | 'security' | 'apps' | 'users' | 'audit' | 'admin-apps' | 'admin-resources' | 'admin-clients';

const SECTIONS: { id: Section; href: string; label: string; allowed: (v: Viewer) => boolean }[] = [
  { id: 'connections', href: '/console/connections', label: 'App connections', allowed: () => true },
  { id: 'security', href: '/console/security', label: 'Security', allowed: () => true },
  { id: 'apps', href: '/console/apps', label: 'Developer apps', allowed: (v) => v.tenantAdmin },
  { id: 'users', href: '/console/users', label: 'Users', allowed: (v) => v.tenantAdmin },
  { id: 'audit', href: '/console/audit', label: 'Audit log', allowed: (v) => v.tenantAdmin },
  { id: 'admin-apps', href: '/console/admin/apps', label: 'All apps', allowed: (v) => v.platformAdmin },
  { id: 'admin-resources', href: '/console/admin/resources', label: 'Resources', allowed: (v) => v.platformAdmin },
  { id: 'admin-clients', href: '/console/admin/clients', label: 'Registered clients', allowed: (v) => v.platformAdmin },
];

/** The console's sections this person may use, in the order the console lists them. */
export function sectionsFor(viewer: Viewer): { href: string; label: string }[] {
  return SECTIONS.filter((s) => s.allowed(viewer)).map(({ href, label }) => ({ href, label }));
}

/** The console's start page for this person: the first section they may use. */
export function homeFor(viewer: Viewer): string {
  return viewer.tenantAdmin ? '/console/apps' : '/console/connections';
}

function nav(viewer: Viewer, current: Section | undefined): Html {
  return html`<nav class="console-nav" aria-label="Console">
  <ul>
    ${SECTIONS.filter((s) => s.allowed(viewer)).map(
      (s) => html`<li><a href="${s.href}"${s.id === current ? html` aria-current="page"` : ''}>${s.label}</a></li>`,
    )}
  </ul>
</nav>`;
}

export interface ConsolePage {
  viewer: Viewer;
  /** The section link marked current. */
  section?: Section;
  title: string;
  /** Replaces the title as the visible heading (e.g. with an icon beside it). */
  heading?: Html;
  /** Links back up, e.g. to the list a detail page belongs to. */
  back?: { href: string; label: string };
  /** Actions beside the heading (e.g. "Create app"). */
  actions?: Html;
  notice?: string | Html;
  body: Html;
  /** Wide pages hold tables; forms read better narrower. */
  width?: 'wide' | 'medium';
  /** Loads the passkey scripts too. */
  passkeys?: boolean;
}

export function consolePage(p: ConsolePage): string {
  const body = html`<div class="console ${p.width ?? 'wide'}">
  ${p.back ? html`<p class="back"><a href="${p.back.href}">← ${p.back.label}</a></p>` : ''}
  <div class="page-head">
    ${p.heading ?? html`<h1>${p.title}</h1>`}
    ${p.actions ? html`<div class="page-actions">${p.actions}</div>` : ''}
  </div>
  ${notice(p.notice)}
  <p class="visually-hidden" id="copy-status" role="status" aria-live="polite"></p>
  ${p.body}
</div>`;
  return layout({
    title: p.title,
    body,
    signedInAs: { username: p.viewer.username, tenant: p.viewer.tenantName, csrf: p.viewer.csrf, logoutAction: '/console/logout' },
    nav: nav(p.viewer, p.section),
    script: true,
    passkeys: p.passkeys,
  });
}

/** 403: signed in, but this part of the console is not theirs. */
export function forbiddenPage(viewer: Viewer, what: string): string {
  return consolePage({
    viewer,
    title: 'Not allowed',
    width: 'medium',
    body: html`<section class="card">
  <p>${what}</p>
  <p>Ask an admin of <strong>${viewer.tenantName}</strong> if you need this.</p>
  <p><a href="${homeFor(viewer)}">Go to the console start page</a></p>
</section>`,
  });
}

/** 404 inside the console (an app or user that is not there, or not this account's). */
export function consoleNotFoundPage(viewer: Viewer, what: string): string {
  return consolePage({
    viewer,
    title: 'Not found',
    width: 'medium',
    body: html`<section class="card"><p>${what}</p><p><a href="${homeFor(viewer)}">Go to the console start page</a></p></section>`,
  });
}
