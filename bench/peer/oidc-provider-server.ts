// The benchmark's peer: node-oidc-provider configured like Gatehouse where they overlap — JWT
// access tokens signed with the benchmark's algorithm (RS256 with RSA-2048 unless --alg says
// otherwise) living 3600 s, issued by client_credentials; opaque tokens for its
// introspection; its default in-memory adapter — served by N node:cluster workers like Gatehouse.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { z } from 'zod';
import Provider from 'oidc-provider';

const env = z
  .object({
    PEER_PORT: z.coerce.number().int().min(1).max(65535),
    PEER_WORKERS: z.coerce.number().int().min(1).max(64),
    PEER_CLIENT_ID: z.string().min(1),
    PEER_CLIENT_SECRET: z.string().min(32),
    /** The private key as a JWK (JSON), the same in every worker. */
    PEER_SIGNING_JWK: z.string().min(1),
    /** What JWT access tokens are signed with: the key's algorithm (BENCH_ALGS, not imported so the peer loads none of the harness). */
    PEER_ALG: z.enum(['RS256', 'ES256', 'EdDSA']),
    /** The opaque token introspection is asked about, stored in every worker at start. */
    PEER_OPAQUE_TOKEN: z.string().min(20),
  })
  .parse(process.env);

const AUDIENCE = 'https://api.bench.example';
const PEER_SCOPE = 'api:read';

async function serve(): Promise<void> {
  const issuer = `http://localhost:${env.PEER_PORT}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: env.PEER_CLIENT_ID,
        client_secret: env.PEER_CLIENT_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
        // It never gets an ID token, but its metadata must name an algorithm the keys can sign (RS256 by default).
        id_token_signed_response_alg: env.PEER_ALG,
      },
    ],
    jwks: { keys: [JSON.parse(env.PEER_SIGNING_JWK)] },
    scopes: [PEER_SCOPE],
    ttl: { ClientCredentials: 3600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: PEER_SCOPE,
          audience: AUDIENCE,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: env.PEER_ALG } },
        }),
      },
    },
  });
  // The in-memory adapter is per process: every worker stores the same opaque token (through the
  // provider's own model, as its token endpoint would) so introspection finds it whichever worker
  // a connection lands on. Without a resource it is opaque, as introspection needs.
  const client = await provider.Client.find(env.PEER_CLIENT_ID);
  if (!client) throw new Error('the peer client is not configured');
  const opaque = new provider.ClientCredentials({ client, scope: PEER_SCOPE, jti: env.PEER_OPAQUE_TOKEN });
  // A given jti skips the step that picks the format; without a resource it would pick opaque.
  opaque.format = 'opaque';
  await opaque.save();

  const server = createServer(provider.callback());
  server.keepAliveTimeout = 72_000;
  server.listen(env.PEER_PORT, '127.0.0.1', () => {
    if (!cluster.isWorker) process.stdout.write(`peer listening on ${issuer}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.on('SIGINT', () => server.close(() => process.exit(0)));
}

function supervise(): void {
  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === env.PEER_WORKERS) process.stdout.write(`peer listening on http://localhost:${env.PEER_PORT} (${env.PEER_WORKERS} workers)\n`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      process.stderr.write(`peer worker ${worker.process.pid} exited (${code ?? signal}); stopping\n`);
      stop();
    }
  });
  let stopping = false;
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  for (let i = 0; i < env.PEER_WORKERS; i++) cluster.fork();
}

if (cluster.isPrimary && env.PEER_WORKERS > 1) supervise();
else await serve();
