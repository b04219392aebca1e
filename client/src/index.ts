// @gatehouse/client: an OAuth 2.1 and OpenID Connect client for Gatehouse and ilert-style
// authorization servers, with no dependencies, for browsers and Node 20 (WebCrypto and fetch).
export { DEFAULT_PATHS, resolveEndpoints, type ClientAuthMethod, type ClientConfig, type Endpoints, type FetchLike } from './config.ts';
export { createPkcePair, createState, createNonce, codeChallengeS256, type PkcePair } from './pkce.ts';
export { buildAuthorizeUrl, handleCallback, type AuthorizeParams, type CallbackChecks, type CallbackResult } from './authorize.ts';
export { exchangeCode, refresh, type ExchangeParams, type TokenSet } from './tokens.ts';
export { revoke, tokenInfo, type TokenInfo } from './token-info.ts';
export { discover, type DiscoveredServer } from './discovery.ts';
export {
  accessTokenHash,
  buildEndSessionUrl,
  discoverOpenIdProvider,
  fetchUserInfo,
  validateIdToken,
  type EndSessionParams,
  type IdTokenChecks,
  type IdTokenClaims,
  type OpenIdProvider,
} from './oidc.ts';
export { BACKCHANNEL_LOGOUT_EVENT, MemoryReplayGuard, validateLogoutToken, type LogoutTokenClaims, type ReplayGuard } from './logout-token.ts';
export { JWS_ALGORITHMS, RemoteJwks, type JwsAlgorithm, type PublicJwk } from './jwt.ts';
export { startAuthorization, finishAuthorization, type PendingStorageOptions } from './authorization-flow.ts';
export { MemoryTokenStorage, WebStorageTokenStorage, type TokenStorage, type WebStorageLike } from './storage.ts';
export { TokenManager, type TokenManagerOptions } from './token-manager.ts';
export { basicAuthorization } from './encoding.ts';
export {
  CallbackValidationError,
  GatehouseClientError,
  LoginRequiredError,
  OAuthClientError,
  TokenValidationError,
  UnexpectedResponseError,
  type CallbackFailure,
  type TokenValidationFailure,
} from './errors.ts';
