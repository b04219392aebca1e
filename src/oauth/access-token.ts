// JWT access tokens per RFC 9068: minted with the ring's signing key, verified against any key
// the ring still accepts. Revocation is checked separately (see token-info.ts).
import { randomBytes } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import type { OAuthContext } from './context.ts';

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope: string;
  tenant: string;
  username: string;
  /** The numeric app id, as ilert's token_info reports it. */
  app_id: number;
  /** The token family: revoking it ends this token too. */
  fid: string;
}

export interface AccessTokenSubject {
  userId: number;
  username: string;
  tenant: string;
  clientId: string;
  appId: number;
  scope: string;
  familyId: string;
}

const TYP = 'at+jwt';

export async function mintAccessToken(subject: AccessTokenSubject, ctx: OAuthContext): Promise<string> {
  const key = ctx.keys.signing;
  const iat = Math.floor(ctx.clock.now().getTime() / 1000);
  return new SignJWT({
    client_id: subject.clientId,
    scope: subject.scope,
    tenant: subject.tenant,
    username: subject.username,
    app_id: subject.appId,
    fid: subject.familyId,
  })
    .setProtectedHeader({ alg: key.alg, typ: TYP, kid: key.kid })
    .setIssuer(ctx.issuer)
    .setSubject(String(subject.userId))
    .setAudience(ctx.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ctx.lifetimes.accessToken)
    .setJti(randomBytes(16).toString('base64url'))
    .sign(key.privateKey);
}

/** Returns the claims of a valid, unexpired access token of ours, or undefined. */
export async function verifyAccessToken(token: string, ctx: OAuthContext): Promise<AccessTokenClaims | undefined> {
  if (token.length > 8192 || token.split('.').length !== 3) return undefined;
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return undefined;
  }
  // A kid this instance does not know may be a key another instance just rotated in: the ring
  // reloads (rate limited) before giving up.
  const key = kid === undefined ? undefined : await ctx.keys.verificationKey(kid);
  if (!key) return undefined;
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [key.alg],
      issuer: ctx.issuer,
      audience: ctx.audience,
      typ: TYP,
      currentDate: ctx.clock.now(),
      requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id', 'scope', 'fid'],
    });
    return payload as unknown as AccessTokenClaims;
  } catch {
    return undefined;
  }
}
