// An instance killed without warning (SIGKILL, as a crash or an OOM kill) loses nothing it had
// acknowledged: the next instance on the same database honours every token, consent and
// revocation the dead one answered for. (Five CLI runs and two server starts: on a busy machine
// that takes well over 30 s, so the file allows two minutes.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browserless } from '../helpers/browserless.ts';
import { postForm, revokeUrl, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';
import { DEPLOYMENT_KINDS, type Deployment } from './deployments.ts';
import { gatehouse, startServer, type RunningServer } from './processes.ts';
import { freePort } from '../../scripts/free-port.ts';

const PASSWORD = 'a long and correct password';
const REDIRECT = 'http://localhost:4597/cb';
const PUBLIC_URL = 'http://gatehouse.localhost:8080';

for (const kind of DEPLOYMENT_KINDS) {
  describe(`an instance killed mid-work on ${kind.name}`, { timeout: 120_000 }, () => {
    let deployment: Deployment | undefined;
    let first: RunningServer | undefined;
    let second: RunningServer | undefined;

    before(async () => {
      deployment = await kind.create();
    });
    after(async () => {
      await Promise.allSettled([first?.stop(), second?.stop()]);
      await deployment?.cleanup();
    });

    it('answers for everything the killed instance acknowledged', async () => {
      assert.ok(deployment);
      const env = deployment.env;
      await gatehouse(env, 'tenants', 'create', 'acme');
      await gatehouse(env, 'users', 'create', '--tenant', 'acme', '--username', 'jane', '--password', PASSWORD);
      const client = JSON.parse(await gatehouse(env, 'apps', 'create', '--tenant', 'acme', '--name', 'Syncer', '--redirect-uri', REDIRECT, '--json')) as Record<string, string>;
      const serverEnv = { ...env, LOG_LEVEL: 'warn', PUBLIC_URL, REDIS_URL: '' };
      const credentials = { client_id: String(client.client_id), client_secret: String(client.client_secret) };

      first = await startServer(serverEnv, await freePort(), ['--workers', '1']);
      const browser = new Browserless(first.url);
      const query = (state: string) => new URLSearchParams({ client_id: credentials.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'profile', state }).toString();
      const account = { tenant: 'acme', username: 'jane', password: PASSWORD };
      const kept = await postForm(tokenUrl(first.url), { grant_type: 'authorization_code', code: await browser.authorizeCode(query('kept'), account), ...credentials });
      const revoked = await postForm(tokenUrl(first.url), { grant_type: 'authorization_code', code: await browser.authorizeCode(query('revoked'), account), ...credentials });
      assert.equal(kept.status, 200, kept.text);
      assert.equal(revoked.status, 200, revoked.text);
      assert.equal((await postForm(revokeUrl(first.url), { token: String(revoked.body.refresh_token) })).status, 200);
      await first.kill();

      second = await startServer(serverEnv, await freePort(), ['--workers', '1']);
      const refreshed = await postForm(tokenUrl(second.url), { grant_type: 'refresh_token', refresh_token: String(kept.body.refresh_token), ...credentials });
      assert.equal(refreshed.status, 200, `the refresh token survived the kill: ${refreshed.text}`);
      assert.equal((await postForm(tokenInfoUrl(second.url), { token: String(kept.body.access_token) })).body.active, true);
      const afterRevoke = await postForm(tokenUrl(second.url), { grant_type: 'refresh_token', refresh_token: String(revoked.body.refresh_token), ...credentials });
      assert.equal(afterRevoke.status, 400, 'the revocation survived the kill');
      assert.deepEqual((await postForm(tokenInfoUrl(second.url), { token: String(revoked.body.access_token) })).body, { active: false });
    });
  });
}
