// The verifier's public shape: what verify() and authenticate() return, and the Verifier
// interface the adapters program against (verifier.ts implements it).
import type { HeaderSource, Refusal } from './bearer.ts';
import type { AccessTokenClaims } from './claims.ts';
import type { Failure } from './failures.ts';
import type { ProtectedResourceMetadata } from './metadata.ts';
import type { RevocationStatus } from './revocation.ts';
import type { ScopeRequirement, Scopes } from './scopes.ts';

/** A token that passed every check. Shared and frozen: the same object for every use of one token. */
export interface Verified {
  readonly ok: true;
  readonly token: string;
  readonly claims: AccessTokenClaims;
  readonly scopes: Scopes;
}

export type VerifyResult = Verified | Failure;
export type AuthResult = Verified | Refusal;

export interface AuthenticateOptions {
  /** The request's method, for a requirement that depends on it (methodScope); default GET. */
  method?: string;
  /** The request's URL (path and query): a token in the query is refused. */
  url?: string;
  /** Scopes the request needs; without it any valid token passes. */
  scope?: ScopeRequirement;
}

export interface VerifierStatus {
  /** Whether discovery, the keys and the first revocation check are done. */
  readonly ready: boolean;
  readonly closed: boolean;
  readonly keys: number;
  readonly jwksFetches: number;
  readonly cachedTokens: number;
  readonly revocation: RevocationStatus | undefined;
}

export interface Verifier {
  readonly issuer: string;
  readonly audience: string;
  /** Where this resource's RFC 9728 metadata is (absolute), as challenges name it. */
  readonly resourceMetadataUrl: string;
  /** Its path (with any query), to serve it at. */
  readonly resourceMetadataPath: string;
  /** Discovers, loads the keys and starts the revocation check; rejects when the server cannot be reached. Optional: the first verify() starts it too. */
  start(): Promise<void>;
  /** Judges one token. Never throws for a bad token. */
  verify(token: string): Promise<VerifyResult>;
  /** Reads the bearer token from headers, verifies it and checks the scopes; a refusal carries its HTTP answer. */
  authenticate(headers: HeaderSource, options?: AuthenticateOptions): Promise<AuthResult>;
  /** A refusal when a verified token lacks the scopes a request needs, else undefined. */
  checkScope(auth: Verified, requirement: ScopeRequirement, method?: string): Refusal | undefined;
  /** The HTTP answer to a failure. */
  refusal(failure: Failure): Refusal;
  /** This resource's RFC 9728 metadata document. */
  metadata(): ProtectedResourceMetadata;
  status(): VerifierStatus;
  /** Stops the revocation feed; a closed verifier refuses every token (503). */
  close(): Promise<void>;
}
