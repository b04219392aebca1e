// The page's DOM: which part shows, the notices, and the profile and token lists. Values from the
// server go in as text, never as HTML.
import type { TokenInfo, TokenSet } from '@gatehouse/client';

export interface Profile {
  username?: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  role?: string;
  timezone?: string | null;
}

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const time = (ms: number) => new Date(ms).toLocaleTimeString('en-GB');
const date = (ms: number) => new Date(ms).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });

function fillList(list: HTMLElement, rows: [string, string][]): void {
  list.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

export const view = {
  button: (id: 'connect' | 'reload' | 'refresh' | 'sign-out') => byId<HTMLButtonElement>(id),

  intro(scope: string, tenant: string | undefined): void {
    byId('scope').textContent = scope;
    byId('tenant-note').textContent = tenant ? ` (account ${tenant}, on its own host)` : '';
  },

  signedOut(): void {
    byId('title').textContent = 'Connect this app to Gatehouse';
    byId('signed-out').hidden = false;
    byId('signed-in').hidden = true;
  },

  signedIn(): void {
    byId('title').textContent = 'Connected to Gatehouse';
    byId('signed-out').hidden = true;
    byId('signed-in').hidden = false;
  },

  notice(text: string): void {
    byId('notice').textContent = text;
  },

  error(text: string | undefined): void {
    const box = byId('error');
    box.textContent = text ?? '';
    box.hidden = text === undefined;
  },

  /** Disables the buttons while something runs, so one click is one request. */
  busy(busy: boolean): void {
    for (const id of ['connect', 'reload', 'refresh', 'sign-out'] as const) view.button(id).disabled = busy;
  },

  profile(user: Profile, info: TokenInfo | undefined): void {
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
    fillList(byId('profile'), [
      ['Name', name || '—'],
      ['Username', user.username ?? '—'],
      ['Email', user.email ?? '—'],
      ['Role', user.role ?? '—'],
      ['Account', info?.active ? info.tenant_id : '—'],
      ['Time zone', user.timezone ?? '—'],
    ]);
  },

  tokens(tokens: TokenSet, renewals: number): void {
    fillList(byId('tokens'), [
      ['Scope', tokens.scope ?? '—'],
      ['Access token', tokens.expiresAt === undefined ? 'held' : `held, expires at ${time(tokens.expiresAt)}`],
      ['Refresh token', tokens.refreshToken ? `held${tokens.refreshTokenExpiresAt ? `, expires on ${date(tokens.refreshTokenExpiresAt)}` : ''}` : 'none'],
      ['Renewed', renewals === 1 ? '1 time' : `${renewals} times`],
    ]);
  },
};
