// What a verifier needs from the authorization server before it can judge a token: the
// endpoints (discovery unless given), the keys, and a running revocation check.
import { discover, type ServerEndpoints } from './discovery.ts';
import { ResourceKitError } from './failures.ts';
import { Introspection } from './introspection.ts';
import { KeySet } from './key-set.ts';
import type { Settings } from './options.ts';
import { RevocationFeed } from './revocation-feed.ts';
import { NO_REVOCATION_CHECK, type RevocationCheck } from './revocation.ts';

export interface Connection {
  readonly keys: KeySet;
  readonly revocation: RevocationCheck;
}

const INTROSPECTION_CACHE_SIZE = 10_000;

function revocationCheck(settings: Settings, endpoints: ServerEndpoints): RevocationCheck {
  const plan = settings.revocation;
  const common = { fetch: settings.fetch, now: settings.now, onError: settings.onError, timeoutMs: settings.timeoutMs };
  switch (plan.mode) {
    case 'none':
      return NO_REVOCATION_CHECK;
    case 'feed': {
      const endpoint = endpoints.revocation_feed_endpoint;
      if (!endpoint) throw new ResourceKitError(`${settings.issuer} publishes no revocation_feed_endpoint; use revocation: 'introspection' or 'none'`);
      return new RevocationFeed({ ...common, endpoint, credentials: plan.credentials, waitSeconds: plan.waitSeconds, failClosedAfterMs: plan.failClosedAfterMs, retentionMs: plan.retentionMs });
    }
    case 'introspection': {
      const endpoint = endpoints.introspection_endpoint;
      if (!endpoint) throw new ResourceKitError(`${settings.issuer} publishes no introspection_endpoint; use revocation: 'feed' or 'none'`);
      return new Introspection({ ...common, endpoint, credentials: plan.credentials, audience: settings.audience, cacheMs: plan.cacheMs, cacheSize: INTROSPECTION_CACHE_SIZE });
    }
  }
}

/**
 * Discovers, loads the keys and starts the revocation check; `onRevocation` hands the check to the
 * caller as soon as it exists, so a close() during startup can stop it.
 */
export async function connect(settings: Settings, signal: AbortSignal, onRevocation: (check: RevocationCheck) => void): Promise<Connection> {
  const endpoints = settings.endpoints ?? (await discover(settings.issuer, settings.fetch, settings.timeoutMs, signal));
  const revocation = revocationCheck(settings, endpoints);
  const keys = new KeySet(endpoints.jwks_uri, {
    fetch: settings.fetch,
    timeoutMs: settings.timeoutMs,
    cooldownMs: settings.cooldownMs,
    maxAgeMs: settings.maxAgeMs,
    now: settings.now,
    onError: settings.onError,
    signal,
  });
  await keys.refresh();
  onRevocation(revocation);
  await revocation.start();
  return { keys, revocation };
}
