// The audit log as an operator reads it after real traffic: sign-ins, consents, a revocation and
// a code replay, each with its account, user, app and origin, and never a secret in any column.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { buildApp } from '../../src/app.ts';
import type { StoredAuditEvent } from '../../src/domain/audit.ts';
import type { Store } from '../../src/store/store.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, revokeUrl, tokenUrl } from '../helpers/token-client.ts';

const USER_AGENT = 'AuditTest/1.0 (X11; Linux x86_64) Firefox/128.0';
const WRONG_PASSWORD = 'tr0ub4dor&3-not-janes';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

forEachStore('audit log over HTTP', (kind) => {
  let server: TestServer;
  let events: StoredAuditEvent[];
  const secrets: Record<string, string> = {};

  const ofType = (type: StoredAuditEvent['type']) => events.filter((e) => e.type === type);

  before(async () => {
    server = await startTestServer({ store: kind.name });
    secrets.password = PASSWORD;
    secrets.wrongPassword = WRONG_PASSWORD;
    secrets.backendSecret = server.backend.clientSecret;
    secrets.webappSecret = server.webapp.clientSecret;
    const browser = new Browserless(server.url, USER_AGENT);

    // A wrong password, a sign-in to an account that does not exist, then the right password.
    assert.equal((await browser.signIn('acme', 'jane', WRONG_PASSWORD)).status, 401);
    assert.equal((await browser.signIn('nope', 'mallory', WRONG_PASSWORD)).status, 401);
    const backendQuery = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile source:w', state: 's' });
    const code = await browser.authorizeCode(backendQuery, { tenant: 'acme', username: 'jane', password: PASSWORD });
    secrets.code = code;
    secrets.session = browser.cookie('gh_session') ?? assert.fail('signed in');
    secrets.csrf = browser.cookie('gh_csrf') ?? assert.fail('has a CSRF cookie');

    const redeem = { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code, grant_type: 'authorization_code' };
    const tokens = await postForm(tokenUrl(server.url), redeem);
    assert.equal(tokens.status, 200);
    secrets.accessToken = String(tokens.body.access_token);
    secrets.refreshToken = String(tokens.body.refresh_token);
    // The code again: a replay, which revokes what the first use got.
    assert.equal((await postForm(tokenUrl(server.url), redeem)).status, 400);

    // The web app asks; jane cancels.
    const webappQuery = authorizeQuery({ client_id: server.webapp.clientId, response_type: 'code', redirect_uri: WEBAPP_REDIRECT, scope: 'profile', state: 's' });
    const denied = await browser.authorize(webappQuery, { tenant: 'acme', username: 'jane', password: PASSWORD, decision: 'deny' });
    assert.equal(denied.location?.searchParams.get('error'), 'access_denied');

    // A second code for the backend (consent is remembered), its tokens revoked by the client.
    const second = await browser.authorizeCode(backendQuery, { tenant: 'acme', username: 'jane', password: PASSWORD });
    secrets.secondCode = second;
    const more = await postForm(tokenUrl(server.url), { ...redeem, code: second });
    assert.equal(more.status, 200);
    secrets.secondRefreshToken = String(more.body.refresh_token);
    secrets.secondAccessToken = String(more.body.access_token);
    assert.equal((await postForm(revokeUrl(server.url), { token: secrets.secondRefreshToken })).status, 200);

    events = await server.store.audit.list({ limit: 1000 });
  });
  after(() => server.close());

  it('records failed sign-ins with the username tried and the account when it exists, never the password', () => {
    const failed = ofType('login_failed');
    assert.equal(failed.length, 2);
    const [unknownAccount, wrongPassword] = failed;
    assert.equal(wrongPassword?.tenantSlug, 'acme');
    assert.equal(wrongPassword?.username, 'jane', 'the user exists, so the event names her');
    assert.equal(wrongPassword?.ip, '127.0.0.1');
    assert.equal(wrongPassword?.userAgent, USER_AGENT);
    assert.match(wrongPassword?.detail ?? '', /username "jane"/);
    assert.equal(unknownAccount?.tenantId, null);
    assert.equal(unknownAccount?.userId, null);
    assert.match(unknownAccount?.detail ?? '', /username "mallory".*unknown account "nope"/);
  });

  it('records the successful sign-in', () => {
    const [success, ...others] = ofType('login_succeeded');
    assert.equal(others.length, 0);
    assert.equal(success?.tenantSlug, 'acme');
    assert.equal(success?.username, 'jane');
    assert.equal(success?.ip, '127.0.0.1');
    assert.equal(success?.userAgent, USER_AGENT);
  });

  it('records consent granted with its scopes, and consent denied', () => {
    const granted = ofType('consent_granted');
    assert.equal(granted.length, 1, 'a remembered consent is not a new grant');
    assert.equal(granted[0]?.appName, 'Backend app');
    assert.equal(granted[0]?.username, 'jane');
    assert.equal(granted[0]?.tenantSlug, 'acme');
    assert.equal(granted[0]?.userAgent, USER_AGENT);
    assert.match(granted[0]?.detail ?? '', /profile source:w/);
    const denied = ofType('consent_denied');
    assert.equal(denied.length, 1);
    assert.equal(denied[0]?.appName, 'Web app');
    assert.equal(denied[0]?.username, 'jane');
    assert.equal(denied[0]?.ip, '127.0.0.1');
  });

  it('records the code replay and the revocation with the app and user of the tokens', () => {
    const [replayed, ...moreReplays] = ofType('code_replayed');
    assert.equal(moreReplays.length, 0);
    assert.equal(replayed?.appName, 'Backend app');
    assert.equal(replayed?.username, 'jane');
    assert.equal(replayed?.tenantSlug, 'acme');
    assert.equal(replayed?.ip, '127.0.0.1');
    const [revoked, ...moreRevocations] = ofType('token_revoked');
    assert.equal(moreRevocations.length, 0);
    assert.equal(revoked?.appName, 'Backend app');
    assert.equal(revoked?.username, 'jane');
    assert.equal(revoked?.tenantSlug, 'acme');
    assert.equal(revoked?.ip, '127.0.0.1');
    assert.match(revoked?.detail ?? '', /refresh token/);
  });

  it('lists the events newest first', () => {
    assert.deepEqual(
      events.map((e) => e.type),
      ['token_revoked', 'consent_denied', 'code_replayed', 'consent_granted', 'login_succeeded', 'login_failed', 'login_failed'],
    );
  });

  it('holds no password, token, code, secret or session id, plain or hashed, in any column of any row', () => {
    assert.ok(events.length > 0);
    for (const row of events) {
      for (const [column, value] of Object.entries(row)) {
        const text = value instanceof Date ? value.toISOString() : String(value);
        for (const [name, secret] of Object.entries(secrets)) {
          assert.ok(!text.includes(secret), `${name} found in column ${column} of a ${row.type} event`);
          assert.ok(!text.includes(sha256(secret)), `the hash of ${name} found in column ${column} of a ${row.type} event`);
        }
        assert.doesNotMatch(text, /\$argon2|ghr_|eyJ/, `column ${column} of a ${row.type} event`);
      }
    }
  });
});

forEachStore('audit log failures', (kind) => {
  let server: TestServer;
  let url: string;
  let close: () => Promise<void>;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    // The same data, but every audit write fails (a full disk, a dropped table).
    const broken: Store = {
      ...server.store,
      audit: { record: () => Promise.reject(new Error('audit table unavailable')), list: server.store.audit.list },
    };
    const app = await buildApp({ config: { publicUrl: server.url, logLevel: 'silent' }, store: broken, keys: server.ctx.keys, clock: server.clock, logger: false, tokenKey: server.ctx.tokenKey });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    url = address;
    close = () => app.close();
  });
  after(async () => {
    await close();
    await server.close();
  });

  it('never break the request they describe: sign-in, consent and tokens still work', async () => {
    const stderr = process.stderr.write;
    const reported: string[] = [];
    process.stderr.write = ((chunk: string | Uint8Array) => reported.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      const browser = new Browserless(url);
      assert.equal((await browser.signIn('acme', 'jane', 'wrong')).status, 401);
      const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile', state: 's' });
      const code = await browser.authorizeCode(query, { tenant: 'acme', username: 'jane', password: PASSWORD });
      const tokens = await postForm(`${url}/api/developers/oauth2/token`, {
        client_id: server.backend.clientId,
        client_secret: server.backend.clientSecret,
        code,
        grant_type: 'authorization_code',
      });
      assert.equal(tokens.status, 200);
      assert.equal((await postForm(`${url}/api/developers/oauth2/revoke`, { token: String(tokens.body.refresh_token) })).status, 200);
    } finally {
      process.stderr.write = stderr;
    }
    assert.ok(reported.some((line) => /could not record audit event login_failed: audit table unavailable/.test(line)), 'the failure is reported');
    assert.equal((await server.store.audit.list({ limit: 10 })).length, 0);
  });
});
