// Builds the context every protocol and platform step is given: the store, the keys, time, the
// audit log, metrics, and the numbers of the ilert profile. One place, for the server and the CLI.
import type { KeyRing } from '../keys/key-ring.ts';
import { systemClock, type Clock } from '../oauth/clock.ts';
import { ILERT_LIFETIMES, type OAuthContext } from '../oauth/context.ts';
import { ClientDocuments } from '../oauth/client-documents/document-cache.ts';
import type { Metrics } from '../oauth/metrics.ts';
import type { Store } from '../store/store.ts';
import { Audit } from './audit.ts';
import { DEFAULT_REGISTRATION, type RegistrationPolicy } from '../domain/registration.ts';

export interface ContextDeps {
  /** The public URL is the issuer; the built-in API is its `/api`. */
  config: { publicUrl: string; cimdAllowLoopback?: boolean; registration?: RegistrationPolicy; registrationPurgeDays?: number };
  store: Store;
  keys: KeyRing;
  clock?: Clock;
  /** deriveTokenKey(GATEHOUSE_SECRET): every instance of one database must derive the same. */
  tokenKey: Buffer;
  metrics?: Metrics;
}

export function oauthContext(deps: ContextDeps): OAuthContext {
  const clock = deps.clock ?? systemClock;
  return {
    store: deps.store,
    keys: deps.keys,
    clock,
    issuer: deps.config.publicUrl,
    audience: `${deps.config.publicUrl}/api`,
    lifetimes: ILERT_LIFETIMES,
    maxRefreshTokensPerAppUser: 10,
    tokenKey: deps.tokenKey,
    audit: new Audit(deps.store, clock),
    metrics: deps.metrics,
    clientDocuments: new ClientDocuments({ allowLoopback: deps.config.cimdAllowLoopback ?? false, clock }),
    registration: { policy: deps.config.registration ?? DEFAULT_REGISTRATION.policy, purgeDays: deps.config.registrationPurgeDays ?? DEFAULT_REGISTRATION.purgeDays },
  };
}
