// private_key_jwt for tests: key pairs, client assertions as a client signs them (RFC 7523), and
// a JWKS served on loopback whose keys a test can swap or whose server it can stop.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface ClientKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function clientKey(alg: 'RS256' | 'PS256' | 'ES256' | 'EdDSA', kid = `${alg}-${randomUUID().slice(0, 8)}`): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface AssertionClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  /** Seconds from `now`. */
  expiresIn?: number;
  /** Seconds relative to `now`; null leaves iat out. */
  issuedAt?: number | null;
  notBefore?: number;
  jti?: string | null;
}

/** A signed client assertion for `clientId`, its times relative to `now` (the server's clock). */
export async function clientAssertion(key: ClientKey, clientId: string, aud: string | string[], now: Date, claims: AssertionClaims = {}): Promise<string> {
  const seconds = Math.floor(now.getTime() / 1000);
  const jwt = new SignJWT({ ...(claims.jti === null ? {} : { jti: claims.jti ?? randomUUID() }) })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.iss ?? clientId)
    .setSubject(claims.sub ?? clientId)
    .setAudience(claims.aud ?? aud)
    .setExpirationTime(seconds + (claims.expiresIn ?? 60));
  if (claims.issuedAt !== null) jwt.setIssuedAt(seconds + (claims.issuedAt ?? 0));
  if (claims.notBefore !== undefined) jwt.setNotBefore(seconds + claims.notBefore);
  return jwt.sign(key.privateKey);
}

/** An unsigned JWT (alg none), as an attacker would send it. */
export function unsignedAssertion(clientId: string, aud: string, now: Date): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const seconds = Math.floor(now.getTime() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: clientId, sub: clientId, aud, exp: seconds + 60, iat: seconds, jti: randomUUID() })}.`;
}

export interface JwksServer {
  url: string;
  /** How many times the set was fetched. */
  readonly fetches: number;
  setKeys(keys: JWK[]): void;
  close(): Promise<void>;
}

/** Serves `{keys}` at http://127.0.0.1:<port>/jwks.json. */
export async function serveJwks(keys: JWK[]): Promise<JwksServer> {
  let current = keys;
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    fetches += 1;
    if (request.url !== '/jwks.json') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: current }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    get fetches() {
      return fetches;
    },
    setKeys(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
