// The store's part of dynamic client registration (docs/registration.md): initial access tokens
// (Store['registrationTokens']) and the reads and the write of self-registered clients' use that
// the console list and housekeeping's purge need (part of Store['apps']).
import type { App, AppRegistration } from '../domain/app.ts';
import type { InitialAccessToken, NewInitialAccessToken } from '../domain/registration.ts';

export interface RegistrationTokens {
  create(input: NewInitialAccessToken, now: Date): Promise<InitialAccessToken>;
  /** Every token, newest first. */
  list(): Promise<InitialAccessToken[]>;
  byId(id: number): Promise<InitialAccessToken | undefined>;
  /** The token when it is live at `now` (not revoked, not expired, uses left), without using it. */
  findLive(tokenHash: string, now: Date): Promise<InitialAccessToken | undefined>;
  /** Counts one use of a live token in one statement; undefined when it is not live (any more). */
  use(tokenHash: string, now: Date): Promise<InitialAccessToken | undefined>;
  /** Revokes it; undefined when there is no such token or it was revoked already. */
  revoke(id: number, now: Date): Promise<InitialAccessToken | undefined>;
}

export interface AppUsage {
  /** Apps that came to be one way (e.g. the clients that registered themselves), newest first. */
  listByRegistration(registration: AppRegistration): Promise<App[]>;
  /** Records that the app obtained tokens at `now` (only lastUsedAt changes). */
  markUsed(id: number, now: Date): Promise<void>;
  /** Up to `limit` apps registered so whose last use (or, never used, creation) is before `before`, oldest first. */
  unusedSince(registration: AppRegistration, before: Date, limit: number): Promise<App[]>;
}
