// Signing keys and access tokens for the kit's tests, shaped as Gatehouse mints them (RFC 9068:
// typ at+jwt, kid, iss sub aud exp iat jti client_id scope tenant username app_id fid).
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createKey(alg: 'RS256' | 'ES256' | 'EdDSA' | 'PS256' = 'RS256', kid = `k-${randomBytes(4).toString('hex')}`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface MintOptions {
  /** Claims to add, replace, or (undefined) remove. */
  claims?: Record<string, unknown>;
  /** Header parameters to add or replace (typ, kid, alg). */
  header?: Record<string, unknown>;
  key?: TestKey;
  /** Seconds since the epoch; default now. */
  now?: number;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export async function mintToken(issuer: string, audience: string, key: TestKey, options: MintOptions = {}): Promise<string> {
  const iat = options.now ?? nowSeconds();
  const claims: Record<string, unknown> = {
    iss: issuer,
    sub: '7',
    aud: audience,
    exp: iat + 3600,
    iat,
    jti: randomUUID(),
    client_id: 'c0ffee00c0ffee00c0ff',
    scope: 'notes',
    tenant: 'acme',
    username: 'jane',
    app_id: 2,
    fid: randomUUID(),
  };
  for (const [name, value] of Object.entries(options.claims ?? {})) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  const header = { alg: key.alg, typ: 'at+jwt', kid: key.kid, ...options.header } as { alg: string };
  return new SignJWT(claims).setProtectedHeader(header).sign(key.privateKey);
}

/** The claims of a token without checking it (tests read the fid and jti they minted). */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
