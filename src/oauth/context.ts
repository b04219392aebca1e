// What every protocol step needs, passed explicitly: the store, the keys, time, and the numbers.
import type { AuditLog } from '../domain/audit.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import type { RegistrationSettings } from '../domain/registration.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import type { ClientDocuments } from './client-documents/document-cache.ts';
import type { Metrics } from './metrics.ts';

export interface Lifetimes {
  /** Seconds an authorization code stays redeemable. */
  code: number;
  accessToken: number;
  refreshToken: number;
  session: number;
}

export const ILERT_LIFETIMES: Lifetimes = {
  code: 120,
  accessToken: 3600,
  refreshToken: 31_536_000,
  session: 8 * 3600,
};

export interface OAuthContext {
  store: Store;
  keys: KeyRing;
  clock: Clock;
  /** The issuer identifier: the public URL, without a trailing slash. */
  issuer: string;
  /** The `aud` of access tokens: the resource API. */
  audience: string;
  lifetimes: Lifetimes;
  /** Live refresh tokens kept per app and user before the oldest is revoked. */
  maxRefreshTokensPerAppUser: number;
  /**
   * Derives a rotated refresh token's successor (HKDF of GATEHOUSE_SECRET); instances sharing a
   * database need the same. Unset (a context built by hand): a random key of this process.
   */
  tokenKey: Buffer;
  /** The audit log; optional so that a context built by hand (a unit test) may leave it out. */
  audit?: AuditLog;
  /** Operators' metrics (src/ops/metrics.ts); optional like the audit log. */
  metrics?: Metrics;
  /** Dynamic client registration (docs/registration.md); unset: off. */
  registration?: RegistrationSettings;
  /** Client ID metadata documents (URL client_ids); unset (a context built by hand): such ids are unknown. */
  clientDocuments?: ClientDocuments;
  /**
   * Back-channel logout's deliverer of a server process (platform/logout-delivery.ts), woken when
   * a session ends; unset (the CLI, a context built by hand): queued tokens wait for a server's timer.
   */
  logoutDelivery?: { wake(): void };
}

export const secondsFrom = (date: Date, seconds: number): Date => new Date(date.getTime() + seconds * 1000);
