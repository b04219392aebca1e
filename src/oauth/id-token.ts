// OpenID Connect ID tokens (Core §2): minted with the ring's signing key beside the access token
// of a grant whose scope includes `openid`, at the code exchange (with the nonce) and on refresh.
import { createHash } from 'node:crypto';
import type { App } from '../domain/app.ts';
import { PASSWORD_AMR, type RequestedClaims, type SignInSession } from '../domain/tokens.ts';
import type { SigningAlg } from '../keys/generate-key.ts';
import { signCompact } from '../keys/jws.ts';
import { acrFor } from './acr.ts';
import type { OAuthContext } from './context.ts';
import { hasOpenId } from './oidc-scopes.ts';
import { oidcSubject } from './oidc-subject.ts';
import { userClaims, type UserClaims } from './user-claims.ts';
import type { TokenResponse } from './issue-tokens.ts';
import { sha256Hex } from './secrets.ts';

/** Seconds an ID token is valid: it proves a sign-in, it is not a credential for anything. */
export const ID_TOKEN_LIFETIME = 3600;
/** Longest nonce an authorization request may send. */
export const MAX_NONCE_LENGTH = 512;

/** The hash at_hash is made with: the one of the JWS algorithm (Ed25519 signs with SHA-512). */
const AT_HASH_DIGEST: Record<SigningAlg, string> = { RS256: 'sha256', ES256: 'sha256', EdDSA: 'sha512' };

/** at_hash (Core §3.1.3.6): the left half of the access token's hash, base64url. */
export function accessTokenHash(accessToken: string, alg: SigningAlg): string {
  const digest = createHash(AT_HASH_DIGEST[alg]).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** The session's `sid`: stable for one browser session, and nothing that would let anyone take it over (not the cookie, not its stored hash). */
export const sessionSid = (sessionIdHash: string): string => sha256Hex(`sid:${sessionIdHash}`).slice(0, 32);

/** The sign-in a browser session stands for, as codes and families record it; none for a session from before sign-in times were kept. */
export const signInSessionOf = (signedIn: { signedInAt?: Date | null; sessionIdHash: string; amr: string[] }): SignInSession | undefined =>
  signedIn.signedInAt ? { authTime: signedIn.signedInAt, sid: sessionSid(signedIn.sessionIdHash), amr: signedIn.amr } : undefined;

export interface IdTokenInput {
  /** The app it is for: its client id is the audience, its subject type decides `sub`. */
  app: Pick<App, 'clientId' | 'subjectType' | 'redirectUris'>;
  userId: number;
  /** The grant's whole scope: no `openid`, no ID token. */
  grantScope: string;
  session: SignInSession | null | undefined;
  /** Only at the code exchange, when the authorization request had one. */
  nonce?: string | null;
  /** The claims the authorization request asked for by name (the `claims` parameter): its `idToken` ones go in. */
  claims?: RequestedClaims | null;
}

/** The user claims the request asked to find in the ID token itself (Core §5.5), read fresh. */
async function requestedUserClaims(input: IdTokenInput, ctx: OAuthContext): Promise<UserClaims> {
  const names = input.claims?.idToken ?? [];
  if (names.length === 0) return {};
  const user = await ctx.store.users.byId(input.userId);
  const tenant = user && (await ctx.store.tenants.byId(user.tenantId));
  return user && tenant ? userClaims(user, tenant.slug, names) : {};
}

export async function mintIdToken(input: IdTokenInput, accessToken: string, ctx: OAuthContext): Promise<string> {
  const key = ctx.keys.signing;
  const iat = Math.floor(ctx.clock.now().getTime() / 1000);
  const clientId = input.app.clientId;
  const claims: Record<string, unknown> = {
    // The protocol's claims come after the user's, so no requested claim can stand in for one.
    ...(await requestedUserClaims(input, ctx)),
    iss: ctx.issuer,
    sub: oidcSubject(input.app, input.userId, ctx),
    aud: clientId,
    exp: iat + ID_TOKEN_LIFETIME,
    iat,
    ...(input.session ? { auth_time: Math.floor(input.session.authTime.getTime() / 1000), sid: input.session.sid } : {}),
    ...(input.nonce ? { nonce: input.nonce } : {}),
    azp: clientId,
    at_hash: accessTokenHash(accessToken, key.alg),
    acr: acrFor(input.session?.amr ?? PASSWORD_AMR),
    amr: input.session?.amr ?? [...PASSWORD_AMR],
  };
  return signCompact({ alg: key.alg, typ: 'JWT', kid: key.kid }, claims, key.privateKey);
}

/** The response with an ID token when the grant includes `openid`; otherwise the very same response. */
export async function withIdToken(response: TokenResponse, input: IdTokenInput, ctx: OAuthContext): Promise<TokenResponse> {
  if (!hasOpenId(input.grantScope)) return response;
  return { ...response, id_token: await mintIdToken(input, response.access_token, ctx) };
}
