// OpenID Connect Discovery 1.0 (§3): the OAuth metadata (RFC 8414) where the two overlap, plus
// what an OpenID provider must say, and RP-Initiated Logout's end_session_endpoint.
import type { OAuthContext } from './context.ts';
import { ACR_VALUES_SUPPORTED } from './acr.ts';
import { authorizationServerMetadata } from './metadata.ts';
import { USERINFO_CLAIMS } from './userinfo.ts';

export const OIDC_PATHS = {
  configuration: '/.well-known/openid-configuration',
  userinfo: '/oauth2/userinfo',
  endSession: '/oauth2/logout',
} as const;

/** The ID token's own claims, beside the UserInfo ones, for `claims_supported`. */
const ID_TOKEN_CLAIMS = ['iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'azp', 'at_hash', 'sid', 'acr', 'amr'] as const;

export function openIdConfiguration(ctx: Pick<OAuthContext, 'issuer' | 'audience' | 'registration' | 'keys'>) {
  return {
    ...authorizationServerMetadata(ctx),
    userinfo_endpoint: `${ctx.issuer}${OIDC_PATHS.userinfo}`,
    end_session_endpoint: `${ctx.issuer}${OIDC_PATHS.endSession}`,
    subject_types_supported: ['public', 'pairwise'] as ('public' | 'pairwise')[],
    id_token_signing_alg_values_supported: [ctx.keys.signing.alg],
    claims_supported: [...new Set<string>([...USERINFO_CLAIMS, ...ID_TOKEN_CLAIMS])],
    // The password alone, or with a second factor; acr_values naming the second asks for it (docs/oidc.md).
    acr_values_supported: [...ACR_VALUES_SUPPORTED],
    // ui_locales is accepted; the pages are in English.
    ui_locales_supported: ['en' as const],
    // Request objects are refused; request_uri_parameter_supported defaults to true when left out.
    request_parameter_supported: false as const,
    request_uri_parameter_supported: false as const,
    claims_parameter_supported: true as const,
    // Back-Channel Logout 1.0 §2.1: logout tokens go to apps' backchannel_logout_uri, always with sid.
    backchannel_logout_supported: true as const,
    backchannel_logout_session_supported: true as const,
  };
}
