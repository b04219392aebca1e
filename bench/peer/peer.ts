// Starts the peer (oidc-provider-server.ts) as a child process on the servers' cores and checks
// it is configured as the table claims: a JWT signed with the chosen algorithm, and an active
// opaque token.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { z } from 'zod';
import { expectStatus } from '../cookie-client.ts';
import { onServerCores, type Pinning } from '../machine.ts';
import type { BenchAlg } from '../options.ts';
import { startServerProcess, type ServerProcess } from '../server-process.ts';
import { freePort } from '../../scripts/free-port.ts';

const ROOT = join(import.meta.dirname, '../..');
export const PEER_TOKEN = '/token';
export const PEER_INTROSPECT = '/token/introspection';

export interface PeerFixtures {
  clientId: string;
  clientSecret: string;
  opaqueToken: string;
  /** What the peer's issued token shows (header alg, lifetime), for the report. */
  accessToken: { alg: string; lifetimeSeconds: number };
}

export const peerVersion = (): string =>
  (createRequire(import.meta.url)(join(ROOT, 'node_modules/oidc-provider/package.json')) as { version: string }).version;

/** The same kind of key Gatehouse generates for `alg` (src/keys/generate-key.ts). */
function signingKey(alg: BenchAlg): KeyObject {
  switch (alg) {
    case 'RS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'EdDSA':
      return generateKeyPairSync('ed25519').privateKey;
  }
}

/** Starts the built peer (`entry`, see bench/build.ts). */
export async function startPeer(entry: string, workers: number, pinning: Pinning, alg: BenchAlg): Promise<{ server: ServerProcess; fixtures: Omit<PeerFixtures, 'accessToken'> }> {
  const port = await freePort();
  const privateKey = signingKey(alg);
  const fixtures = {
    clientId: `peer-${randomBytes(10).toString('hex')}`,
    clientSecret: randomBytes(32).toString('hex'),
    opaqueToken: randomBytes(32).toString('base64url'),
  };
  const server = await startServerProcess({
    name: 'oidc-provider',
    command: onServerCores(pinning, [process.execPath, entry]),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PEER_PORT: String(port),
      PEER_WORKERS: String(workers),
      PEER_CLIENT_ID: fixtures.clientId,
      PEER_CLIENT_SECRET: fixtures.clientSecret,
      PEER_SIGNING_JWK: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), alg, use: 'sig' }),
      PEER_ALG: alg,
      PEER_OPAQUE_TOKEN: fixtures.opaqueToken,
    },
    url: `http://127.0.0.1:${port}`,
    healthPath: '/.well-known/openid-configuration',
    ready: /peer listening on/,
  });
  return { server, fixtures };
}

export const peerTokenBody = (f: Omit<PeerFixtures, 'accessToken'>) =>
  new URLSearchParams({ grant_type: 'client_credentials', client_id: f.clientId, client_secret: f.clientSecret, scope: 'api:read' }).toString();

export const peerIntrospectBody = (f: Omit<PeerFixtures, 'accessToken'>) =>
  new URLSearchParams({ token: f.opaqueToken, client_id: f.clientId, client_secret: f.clientSecret }).toString();

const jwtPart = (jwt: string, index: number) => JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** One client_credentials request (a JWT signed with `alg`) and one introspection, checked; throws when either is off. */
export async function checkPeer(url: string, f: Omit<PeerFixtures, 'accessToken'>, alg: BenchAlg): Promise<PeerFixtures> {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const issued = z
    .object({ access_token: z.string(), expires_in: z.number(), token_type: z.string() })
    .parse(await (await expectStatus(await fetch(new URL(PEER_TOKEN, url), { method: 'POST', headers, body: peerTokenBody(f) }), 200, 'peer client_credentials')).json());
  const header = jwtPart(issued.access_token, 0);
  const payload = z.object({ iat: z.number(), exp: z.number() }).parse(jwtPart(issued.access_token, 1));
  if (header.alg !== alg) throw new Error(`the peer signs its access tokens with ${String(header.alg)}, not ${alg}`);
  const introspected = await (await expectStatus(await fetch(new URL(PEER_INTROSPECT, url), { method: 'POST', headers, body: peerIntrospectBody(f) }), 200, 'peer introspection')).json();
  if ((introspected as { active?: unknown }).active !== true) throw new Error(`the peer says its opaque token is not active: ${JSON.stringify(introspected)}`);
  return { ...f, accessToken: { alg: String(header.alg), lifetimeSeconds: payload.exp - payload.iat } };
}
