// @gatehouse/resource: the resource-server kit. Verify Gatehouse's RFC 9068 access tokens, check
// ilert-style scope levels, hear of revocations, and answer RFC 6750 / RFC 9728 errors. The
// framework adapters are separate entries (./node, ./express, ./fastify): this one loads neither.
export { createVerifier, type AuthResult, type AuthenticateOptions, type Verified, type Verifier, type VerifierStatus, type VerifyResult } from './verifier.ts';
export type { VerifierOptions } from './options.ts';
export type { AccessTokenClaims } from './claims.ts';
export { bearerToken, type HeaderSource, type Refusal } from './bearer.ts';
export {
  AuthorizationServerError,
  ResourceKitError,
  failure,
  type BearerErrorCode,
  type Failure,
  type FailureReason,
  type FailureStatus,
} from './failures.ts';
export {
  OFFLINE_ACCESS,
  Scopes,
  WILDCARD,
  levelForMethod,
  methodScope,
  scopeForMethod,
  supportedScopes,
  type ScopeCatalog,
  type ScopeLevel,
  type ScopeRequirement,
} from './scopes.ts';
export {
  PROTECTED_RESOURCE_WELL_KNOWN,
  protectedResourceMetadata,
  protectedResourceMetadataPath,
  protectedResourceMetadataUrl,
  wwwAuthenticate,
  type ChallengeInput,
  type MetadataInput,
  type ProtectedResourceMetadata,
} from './metadata.ts';
export type { FeedSettings, FeedState, IntrospectionSettings, RevocationSettings, RevocationStatus, RevocationVerdict } from './revocation.ts';
export type { ServerEndpoints } from './discovery.ts';
export { basicAuthorization, type Credentials, type FetchLike } from './http.ts';
export { DEFAULT_ALGORITHMS, SUPPORTED_ALGORITHMS, type Algorithm } from './jwt.ts';
