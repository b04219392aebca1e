// Two real `gatehouse serve` processes on one database behave as one server: codes, tokens and
// revocations cross between them, and a key rotation reaches both while they run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { Browserless } from '../helpers/browserless.ts';
import { guideCodeChallenge, guideCodeVerifier, postForm, revokeUrl, tokenInfoUrl, tokenUrl, type JsonResponse } from '../helpers/token-client.ts';
import { DEPLOYMENT_KINDS, type Deployment } from './deployments.ts';
import { gatehouse, startServer, type RunningServer } from './processes.ts';
import { freePort } from '../../scripts/free-port.ts';

const PASSWORD = 'a long and correct password';
const REDIRECT = 'http://localhost:4597/cb';
// Behind a load balancer every instance has the same public URL (the issuer).
const PUBLIC_URL = 'http://gatehouse.localhost:8080';
// A reloads its keys every second; B practically never, so B can only learn of a rotation
// through a token whose kid it does not know.
const FAST_RELOAD = '1';
const SLOW_RELOAD = '600';

const kidOf = (token: unknown) => decodeProtectedHeader(String(token)).kid;
const jwksKids = async (server: RunningServer) =>
  (((await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort());

for (const kind of DEPLOYMENT_KINDS) {
  describe(`two gatehouse instances on one ${kind.name} database`, { timeout: 120_000 }, () => {
    let deployment: Deployment | undefined;
    let a: RunningServer | undefined;
    let b: RunningServer | undefined;
    let client: { client_id: string; client_secret: string };
    const browser = () => new Browserless(a?.url ?? '');

    /** A fresh code, signed in and consented at A. */
    const codeAtA = (state: string) =>
      browser().authorizeCode(new URLSearchParams({ client_id: client.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'profile', state }).toString(), {
        tenant: 'acme',
        username: 'jane',
        password: PASSWORD,
      });
    const redeem = (server: RunningServer, code: string) =>
      postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...client });
    const refresh = (server: RunningServer, refreshToken: unknown) =>
      postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: String(refreshToken), ...client });
    const tokenInfo = async (server: RunningServer, token: unknown) => (await postForm(tokenInfoUrl(server.url), { token: String(token) })).body;
    const ok = (response: JsonResponse, what: string) => {
      assert.equal(response.status, 200, `${what}: ${response.text}`);
      return response.body;
    };

    before(async () => {
      deployment = await kind.create();
      const env = deployment.env;
      await gatehouse(env, 'tenants', 'create', 'acme', '--name', 'Acme Corp');
      const [, app] = await Promise.all([
        gatehouse(env, 'users', 'create', '--tenant', 'acme', '--username', 'jane', '--password', PASSWORD),
        gatehouse(env, 'apps', 'create', '--tenant', 'acme', '--name', 'Syncer', '--redirect-uri', REDIRECT, '--json'),
      ]);
      client = JSON.parse(app);
      // One process per instance: the cluster mode has tests of its own.
      const workers = ['--workers', '1'];
      const serverEnv = { ...env, LOG_LEVEL: 'warn', PUBLIC_URL, REDIS_URL: '' };
      const [portA, portB] = [await freePort(), await freePort()];
      assert.notEqual(portA, portB);
      // allSettled, so a server that did start is stopped in `after` even when the other did not.
      const started = await Promise.allSettled([
        startServer({ ...serverEnv, GATEHOUSE_KEY_RELOAD_SECONDS: FAST_RELOAD }, portA, workers),
        startServer({ ...serverEnv, GATEHOUSE_KEY_RELOAD_SECONDS: SLOW_RELOAD }, portB, workers),
      ]);
      [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
      for (const s of started) if (s.status === 'rejected') throw s.reason;
    });

    after(async () => {
      await Promise.allSettled([a?.stop(), b?.stop()]);
      await deployment?.cleanup();
    });

    it('redeems at B a code obtained at A, and A accepts the token B minted', async () => {
      assert.ok(a && b);
      const code = await codeAtA('cross-instance');
      const tokens = ok(await redeem(b, code), 'redeeming at B');
      assert.equal(tokens.token_type, 'Bearer');
      assert.deepEqual(await tokenInfo(a, tokens.access_token), { active: true, tenant_id: 'acme', username: 'jane', scope: 'profile', app_id: 1, aud: `${PUBLIC_URL}/api` });
      const replay = await redeem(a, code);
      assert.equal(replay.status, 400, 'the code is used up at every instance');
      assert.equal(replay.body.error, 'invalid_grant');
    });

    it('a revocation at A holds at B', async () => {
      assert.ok(a && b);
      const tokens = ok(await redeem(a, await codeAtA('revoke')), 'redeeming at A');
      const refreshed = ok(await refresh(b, tokens.refresh_token), 'refreshing at B before the revocation');
      assert.equal((await tokenInfo(b, refreshed.access_token)).active, true);

      const revoked = await postForm(revokeUrl(a.url), { token: String(tokens.refresh_token) });
      assert.equal(revoked.status, 200);
      const refused = await refresh(b, tokens.refresh_token);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, 'invalid_grant');
      assert.deepEqual(await tokenInfo(b, tokens.access_token), { active: false });
      assert.deepEqual(await tokenInfo(b, refreshed.access_token), { active: false });
    });

    it("a public client's rotated refresh token can be retried at the other instance and gets the same successor", async () => {
      assert.ok(a && b);
      const verifier = guideCodeVerifier();
      const code = await browser().authorizeCode(
        new URLSearchParams({
          client_id: client.client_id,
          response_type: 'code',
          redirect_uri: REDIRECT,
          scope: 'profile offline_access',
          state: 'public',
          code_challenge: guideCodeChallenge(verifier),
          code_challenge_method: 'S256',
        }).toString(),
        { tenant: 'acme', username: 'jane', password: PASSWORD },
      );
      const publicClient = { client_id: client.client_id };
      const tokens = ok(await postForm(tokenUrl(a.url), { grant_type: 'authorization_code', code, code_verifier: verifier, ...publicClient }), 'PKCE exchange');
      const refreshPublic = (server: RunningServer) =>
        postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token), ...publicClient });
      const rotated = ok(await refreshPublic(a), 'refresh at A');
      assert.notEqual(rotated.refresh_token, tokens.refresh_token, 'the public client got a new refresh token');
      // The response was lost; the client retries with the old token and lands on B.
      const retried = ok(await refreshPublic(b), 'retry at B');
      assert.equal(retried.refresh_token, rotated.refresh_token, 'both instances derive the same successor');
    });

    it('a key rotation reaches both running instances; old and new tokens verify at both', async () => {
      assert.ok(a && b && deployment);
      const tokens = ok(await redeem(a, await codeAtA('rotation')), 'redeeming at A');
      const oldAtA = tokens.access_token;
      const oldAtB = ok(await refresh(b, tokens.refresh_token), 'refreshing at B').access_token;
      const oldKid = kidOf(oldAtA);
      assert.equal(kidOf(oldAtB), oldKid);
      assert.deepEqual(await jwksKids(a), [oldKid]);

      const rotated = JSON.parse(await gatehouse(deployment.env, 'keys', 'rotate', '--json')) as { kid: string; previous: { kid: string }[] };
      assert.notEqual(rotated.kid, oldKid);
      assert.deepEqual(rotated.previous.map((p) => p.kid), [oldKid]);

      // A follows on its timer (every second).
      let newAtA: unknown = oldAtA;
      for (let i = 0; i < 40 && kidOf(newAtA) !== rotated.kid; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        newAtA = ok(await refresh(a, tokens.refresh_token), 'refreshing at A').access_token;
      }
      assert.equal(kidOf(newAtA), rotated.kid, 'A signs with the new key within seconds');

      // B has not reloaded; the unknown kid makes it reload at once, and sign with the new key.
      assert.equal((await tokenInfo(b, newAtA)).active, true, 'B accepts a token of the new key');
      const newAtB = ok(await refresh(b, tokens.refresh_token), 'refreshing at B').access_token;
      assert.equal(kidOf(newAtB), rotated.kid, 'B signs with the new key');

      for (const [server, name] of [[a, 'A'], [b, 'B']] as const) {
        for (const token of [oldAtA, oldAtB, newAtA, newAtB]) assert.equal((await tokenInfo(server, token)).active, true, `${name} accepts ${String(kidOf(token))}`);
        assert.deepEqual(await jwksKids(server), [oldKid, rotated.kid].sort(), `${name} publishes both keys`);
      }

      const listed = JSON.parse(await gatehouse(deployment.env, 'keys', 'list', '--json')) as { kid: string; state: string; verifyingUntil: string | null }[];
      assert.deepEqual(listed.map((k) => [k.kid, k.state]), [[rotated.kid, 'signing'], [oldKid, 'verifying']]);
      const until = Date.parse(listed[1]?.verifyingUntil ?? '');
      assert.ok(until > Date.now() + 3500_000 && until < Date.now() + 3800_000, 'the old key verifies for about one token lifetime more');
      assert.doesNotMatch(JSON.stringify(listed), /"d"|private/i, 'no key material is printed');
    });
  });
}
