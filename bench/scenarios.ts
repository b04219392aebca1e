// What the benchmark measures: each scenario's requests (as autocannon sends them), the status
// that counts as success, the peer's comparable scenario, and one checked request that proves the
// scenario does real work (run before and after its load).
import type { RequestSpec } from 'autocannon';
import { z } from 'zod';
import { expectStatus } from './cookie-client.ts';
import { FORM_HEADERS, TOKEN, exchangeCode, form, loginForms, mintCodes, type GatehouseFixtures } from './gatehouse/fixtures.ts';
import { BENCH_REDIRECT_URI, BENCH_TENANT, BENCH_USERNAME } from './gatehouse/server.ts';
import { PEER_INTROSPECT, PEER_TOKEN, peerIntrospectBody, peerTokenBody, type PeerFixtures } from './peer/peer.ts';

export const SCENARIO_NAMES = ['refresh_token', 'authorization_code', 'token_info', 'introspection', 'users_current', 'authorize', 'password_login', 'discovery'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export type PeerScenarioName = 'client_credentials' | 'introspection' | 'discovery';

export interface ScenarioContext {
  url: string;
  fixtures: GatehouseFixtures;
  connections: number;
}

/** Single-use inputs for one run; when they run out the run is stopped and repeated with more. */
export interface Pool {
  readonly exhausted: boolean;
  onExhausted?: () => void;
}

export interface Workload {
  request: RequestSpec;
  expectedStatus: number;
  pool?: Pool;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  description: string;
  peer?: PeerScenarioName;
  /** The requests of one run; `seconds` and `expectedRate` size a pool of single-use inputs. */
  workload(ctx: ScenarioContext, seconds: number, expectedRate: number): Promise<Workload>;
  verify(ctx: ScenarioContext): Promise<void>;
}

const json = async (response: Response, status: number, step: string) => (await expectStatus(response, status, step)).json() as Promise<unknown>;
const post = (url: string, path: string, body: string, headers: Record<string, string> = FORM_HEADERS) => fetch(new URL(path, url), { method: 'POST', headers, body, redirect: 'manual' });

const refreshBody = (f: GatehouseFixtures) =>
  form({ grant_type: 'refresh_token', refresh_token: f.refreshToken, client_id: f.seed.backend.clientId, client_secret: f.seed.backend.clientSecret });
const introspectBody = (f: GatehouseFixtures) => form({ token: f.accessToken, client_id: f.seed.backend.clientId, client_secret: f.seed.backend.clientSecret });
const loginBody = (f: GatehouseFixtures, csrf: string) => form({ csrf, return_to: '/', tenant: BENCH_TENANT, username: BENCH_USERNAME, password: f.seed.password });
const exchangeBody = (f: GatehouseFixtures, code: string) =>
  form({ grant_type: 'authorization_code', code, redirect_uri: BENCH_REDIRECT_URI, client_id: f.seed.codeApp.clientId, client_secret: f.seed.codeApp.clientSecret });

const active = z.object({ active: z.literal(true) });
const DISCOVERY = '/.well-known/oauth-authorization-server';

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'refresh_token',
    title: 'Token issuance: refresh_token grant',
    description: 'POST /token grant_type=refresh_token with client_id and client_secret in the form (confidential client); the app uses refresh rotation "never" (ilert\'s behaviour), so the same refresh token is sent every time. Each answer carries a new RS256 JWT access token.',
    peer: 'client_credentials',
    workload: async ({ fixtures }) => ({ request: { method: 'POST', path: TOKEN, headers: FORM_HEADERS, body: refreshBody(fixtures) }, expectedStatus: 200 }),
    verify: async ({ url, fixtures }) => {
      z.object({ access_token: z.string(), refresh_token: z.literal(fixtures.refreshToken) }).parse(await json(await post(url, TOKEN, refreshBody(fixtures)), 200, 'refresh'));
    },
  },
  {
    name: 'authorization_code',
    title: 'Code exchange: authorization_code grant',
    description: 'POST /token grant_type=authorization_code with the client secret; every request spends a different code, minted beforehand through the real authorize endpoint (the signed-in user\'s remembered grant). Each answer stores a new token family and refresh token and signs an access token.',
    async workload({ url, fixtures, connections }, seconds, expectedRate) {
      const codes = await mintCodes(url, fixtures, Math.ceil(expectedRate * seconds * 1.3) + connections * 2, connections);
      let next = 0;
      const pool: Pool & { exhausted: boolean } = { exhausted: false };
      const request: RequestSpec = {
        method: 'POST',
        path: TOKEN,
        headers: FORM_HEADERS,
        setupRequest: (req) => {
          const code = codes[next++];
          if (code === undefined && !pool.exhausted) {
            pool.exhausted = true;
            pool.onExhausted?.();
          }
          return { ...req, body: exchangeBody(fixtures, code ?? 'ghc_pool_exhausted') };
        },
      };
      return { request, expectedStatus: 200, pool };
    },
    verify: async ({ url, fixtures, connections }) => {
      const [code] = await mintCodes(url, fixtures, 1, connections);
      await exchangeCode(url, fixtures.seed.codeApp, code ?? '');
    },
  },
  {
    name: 'token_info',
    title: 'token_info (ilert)',
    description: 'POST /api/developers/oauth2/token_info token=<access token>: verifies the JWT and checks that its token family is not revoked.',
    peer: 'introspection',
    workload: async ({ fixtures }) => ({ request: { method: 'POST', path: '/api/developers/oauth2/token_info', headers: FORM_HEADERS, body: form({ token: fixtures.accessToken }) }, expectedStatus: 200 }),
    verify: async ({ url, fixtures }) => void active.parse(await json(await post(url, '/api/developers/oauth2/token_info', form({ token: fixtures.accessToken })), 200, 'token_info')),
  },
  {
    name: 'introspection',
    title: 'Introspection (RFC 7662)',
    description: 'POST /oauth2/introspect with the access token and the client\'s id and secret (client authentication is required).',
    peer: 'introspection',
    workload: async ({ fixtures }) => ({ request: { method: 'POST', path: '/oauth2/introspect', headers: FORM_HEADERS, body: introspectBody(fixtures) }, expectedStatus: 200 }),
    verify: async ({ url, fixtures }) => void active.parse(await json(await post(url, '/oauth2/introspect', introspectBody(fixtures)), 200, 'introspection')),
  },
  {
    name: 'users_current',
    title: 'GET /api/users/current (bearer)',
    description: 'The resource API with the access token as a bearer token (scope profile): JWT verification, family revocation check, user lookup.',
    workload: async ({ fixtures }) => ({ request: { method: 'GET', path: '/api/users/current', headers: { authorization: `Bearer ${fixtures.accessToken}` } }, expectedStatus: 200 }),
    verify: async ({ url, fixtures }) => {
      const response = await fetch(new URL('/api/users/current', url), { headers: { authorization: `Bearer ${fixtures.accessToken}` } });
      z.object({ username: z.literal(BENCH_USERNAME) }).parse(await json(response, 200, 'users/current'));
    },
  },
  {
    name: 'authorize',
    title: 'Authorize, signed in, grant remembered',
    description: 'GET /api/developers/oauth2/authorize with the session cookie of a user who already granted the scopes: answers 302 to the redirect URI with a new code (stored).',
    workload: async ({ fixtures }) => ({ request: { method: 'GET', path: fixtures.codeAuthorizePath, headers: { cookie: fixtures.sessionCookie } }, expectedStatus: 302 }),
    verify: async ({ url, fixtures }) => {
      const response = await expectStatus(await fetch(new URL(fixtures.codeAuthorizePath, url), { headers: { cookie: fixtures.sessionCookie }, redirect: 'manual' }), 302, 'authorize');
      if (!response.headers.get('location')?.includes('code=')) throw new Error('authorize redirected without a code');
    },
  },
  {
    name: 'password_login',
    title: 'Password login (argon2id)',
    description: 'POST /login with account, username, password and the CSRF field of its cookie (pairs fetched from the login page beforehand, one per simulated browser): argon2id verification at OWASP parameters (19 MiB, 2 passes), a new session, 303.',
    async workload({ url, fixtures, connections }) {
      const forms = await loginForms(url, connections * 2);
      let next = 0;
      const request: RequestSpec = {
        method: 'POST',
        path: '/login',
        setupRequest: (req) => {
          const pair = forms[next++ % forms.length];
          return { ...req, headers: { ...FORM_HEADERS, cookie: pair?.cookie ?? '' }, body: loginBody(fixtures, pair?.csrf ?? '') };
        },
      };
      return { request, expectedStatus: 303 };
    },
    verify: async ({ url, fixtures }) => {
      const [pair] = await loginForms(url, 1);
      const response = await expectStatus(await post(url, '/login', loginBody(fixtures, pair?.csrf ?? ''), { ...FORM_HEADERS, cookie: pair?.cookie ?? '' }), 303, 'login');
      if (!response.headers.getSetCookie().some((c) => c.startsWith('gh_session='))) throw new Error('login set no session cookie');
    },
  },
  {
    name: 'discovery',
    title: 'Floor: discovery metadata',
    description: 'GET /.well-known/oauth-authorization-server: no store, no crypto. Not a target; it shows what the HTTP stack and hooks cost per request, against the peer\'s /.well-known/openid-configuration.',
    peer: 'discovery',
    workload: async () => ({ request: { method: 'GET', path: DISCOVERY }, expectedStatus: 200 }),
    verify: async ({ url }) => void z.object({ issuer: z.string() }).parse(await json(await fetch(new URL(DISCOVERY, url)), 200, 'discovery')),
  },
];

export interface PeerScenario {
  name: PeerScenarioName;
  title: string;
  workload(url: string, fixtures: PeerFixtures): Workload;
}

export const PEER_SCENARIOS: Record<PeerScenarioName, PeerScenario> = {
  client_credentials: {
    name: 'client_credentials',
    title: 'client_credentials grant: RS256 JWT access token (3600 s)',
    workload: (_url, f) => ({ request: { method: 'POST', path: PEER_TOKEN, headers: FORM_HEADERS, body: peerTokenBody(f) }, expectedStatus: 200 }),
  },
  discovery: {
    name: 'discovery',
    title: 'GET /.well-known/openid-configuration',
    workload: () => ({ request: { method: 'GET', path: '/.well-known/openid-configuration' }, expectedStatus: 200 }),
  },
  introspection: {
    name: 'introspection',
    title: 'introspection of an opaque token (client_secret_post)',
    workload: (_url, f) => ({ request: { method: 'POST', path: PEER_INTROSPECT, headers: FORM_HEADERS, body: peerIntrospectBody(f) }, expectedStatus: 200 }),
  },
};
