// createVerifier's options, with their defaults, checked once when the verifier is made: a
// mistake (an HS256 allow-list, the feed without credentials) fails at startup, not per request.
import { checkIssuer, type ServerEndpoints } from './discovery.ts';
import { ResourceKitError } from './failures.ts';
import type { Credentials, FetchLike } from './http.ts';
import { DEFAULT_ALGORITHMS, SUPPORTED_ALGORITHMS, type Algorithm } from './jwt.ts';
import { protectedResourceMetadataUrl } from './metadata.ts';
import type { FeedSettings, IntrospectionSettings, RevocationSettings } from './revocation.ts';
import type { ScopeCatalog } from './scopes.ts';

export interface VerifierOptions {
  /** The authorization server's issuer identifier, exactly as tokens' `iss` says (Gatehouse: its PUBLIC_URL, no trailing slash). */
  issuer: string;
  /** This resource's identifier, exactly as tokens' `aud` says (`https://notes.example.com/api`). */
  audience: string;
  /** The resource's credentials from `gatehouse resources create`; needed by the feed and introspection. */
  credentials?: Credentials;
  /** Default `'feed'`: follow the revocation feed. `'introspection'` asks per token (cached); `'none'` trusts tokens until they expire. */
  revocation?: RevocationSettings;
  /** Signature algorithms accepted; default RS256, ES256, EdDSA. `none` and HS* are refused. */
  algorithms?: readonly Algorithm[];
  /** Seconds of clock skew allowed on `exp` and `nbf`; default 5. */
  clockToleranceSeconds?: number;
  /** At most one JWKS fetch for an unknown kid per this many seconds; default 30. */
  jwksCooldownSeconds?: number;
  /** Keys older than this are refreshed in the background; default 600. */
  jwksMaxAgeSeconds?: number;
  /** Verified tokens remembered (signature checked once per token); default 4096. */
  cacheSize?: number;
  /** Seconds to wait for the authorization server's answers (long polls: their wait plus this); default 10. */
  timeoutSeconds?: number;
  /** The server's endpoints, to skip discovery (RFC 8414). */
  endpoints?: ServerEndpoints;
  /** Which scopes are families and which plain: plain ones match exactly and `wildcard` never covers them. Also `scopes_supported`. */
  scopes?: ScopeCatalog;
  /** RFC 9728 `resource_name` and `resource_documentation`. */
  resourceName?: string;
  resourceDocumentation?: string;
  /** Where this resource's metadata is served; default the path-inserted well-known URL of `audience`. */
  resourceMetadataUrl?: string;
  /** A `realm` for challenges; none by default. */
  realm?: string;
  fetch?: FetchLike;
  /** The clock, ms since the epoch; injectable for tests. */
  now?: () => number;
  /** Background failures (discovery, JWKS, feed, introspection); default: ignored. Never given a token or secret. */
  onError?: (error: unknown) => void;
}

export type RevocationPlan =
  | { mode: 'none' }
  | { mode: 'feed'; credentials: Credentials; waitSeconds: number; failClosedAfterMs: number; retentionMs: number }
  | { mode: 'introspection'; credentials: Credentials; cacheMs: number };

export interface Settings {
  issuer: string;
  audience: string;
  algorithms: ReadonlySet<string>;
  toleranceSeconds: number;
  cooldownMs: number;
  maxAgeMs: number;
  cacheSize: number;
  timeoutMs: number;
  endpoints: ServerEndpoints | undefined;
  revocation: RevocationPlan;
  resourceMetadataUrl: string;
  fetch: FetchLike;
  now: () => number;
  onError: (error: unknown) => void;
}

function numberOption(name: string, value: number | undefined, fallback: number, min = 0): number {
  const chosen = value ?? fallback;
  if (typeof chosen !== 'number' || Number.isNaN(chosen) || chosen < min) throw new ResourceKitError(`${name} must be a number ≥ ${min}`);
  return chosen;
}

function revocationPlan(options: VerifierOptions): RevocationPlan {
  const given = options.revocation ?? 'feed';
  const settings = typeof given === 'string' ? { mode: given } : given;
  if (settings.mode === 'none') return { mode: 'none' };
  const credentials = options.credentials;
  if (!credentials?.clientId || !credentials.clientSecret) {
    throw new ResourceKitError(`revocation '${settings.mode}' needs the resource's credentials (gatehouse resources create), or revocation: 'none'`);
  }
  if (settings.mode === 'introspection') {
    return { mode: 'introspection', credentials, cacheMs: numberOption('cacheSeconds', (settings as IntrospectionSettings).cacheSeconds, 10) * 1000 };
  }
  if (settings.mode !== 'feed') throw new ResourceKitError(`revocation must be 'feed', 'introspection' or 'none'`);
  const feed = settings as FeedSettings;
  const waitSeconds = Math.min(30, numberOption('waitSeconds', feed.waitSeconds, 25));
  // A healthy feed answers at least once per wait; a smaller limit would refuse tokens between answers.
  const failClosedAfter = numberOption('failClosedAfterSeconds', feed.failClosedAfterSeconds, 300, waitSeconds + 5);
  const retention = numberOption('retentionSeconds', feed.retentionSeconds, 86_400, 1);
  return { mode: 'feed', credentials, waitSeconds, failClosedAfterMs: failClosedAfter * 1000, retentionMs: retention * 1000 };
}

function algorithms(given: readonly string[] | undefined): ReadonlySet<string> {
  const list = given ?? DEFAULT_ALGORITHMS;
  if (list.length === 0) throw new ResourceKitError('algorithms must name at least one algorithm');
  for (const alg of list) {
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new ResourceKitError(`algorithm ${JSON.stringify(alg)} is not allowed: only ${SUPPORTED_ALGORITHMS.join(', ')} (never none or HS*)`);
    }
  }
  return new Set(list);
}

export function settingsOf(options: VerifierOptions): Settings {
  const issuer = checkIssuer(options.issuer);
  let audience: URL;
  try {
    audience = new URL(options.audience);
  } catch {
    throw new ResourceKitError(`audience must be the resource's identifier, an absolute URI, not ${JSON.stringify(options.audience)}`);
  }
  if (audience.hash !== '') throw new ResourceKitError('audience must not have a fragment');
  const onError = options.onError ?? (() => undefined);
  return {
    issuer,
    audience: options.audience,
    algorithms: algorithms(options.algorithms),
    toleranceSeconds: numberOption('clockToleranceSeconds', options.clockToleranceSeconds, 5),
    cooldownMs: numberOption('jwksCooldownSeconds', options.jwksCooldownSeconds, 30) * 1000,
    maxAgeMs: numberOption('jwksMaxAgeSeconds', options.jwksMaxAgeSeconds, 600, 1) * 1000,
    cacheSize: Math.floor(numberOption('cacheSize', options.cacheSize, 4096, 1)),
    timeoutMs: numberOption('timeoutSeconds', options.timeoutSeconds, 10, 0.001) * 1000,
    endpoints: options.endpoints,
    revocation: revocationPlan(options),
    resourceMetadataUrl: options.resourceMetadataUrl ?? protectedResourceMetadataUrl(options.audience),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: options.now ?? Date.now,
    // A throwing handler must not stop the feed loop or fail a request.
    onError: (error) => {
      try {
        onError(error);
      } catch {
        /* the handler's own failure is not ours to report */
      }
    },
  };
}
