// Nothing a thief could replay is stored: after a full flow on a file-backed store, the database
// files hold none of the client secret, codes (device codes too), refresh tokens, session ids, passwords,
// registration's tokens and self-registered clients' secrets, or the
// private signing key in plain form.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { oauthContext } from '../../src/platform/context.ts';
import { decrypt } from '../../src/keys/encryption.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { createTenant, createUser } from '../../src/platform/accounts.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { deriveTokenKey } from '../../src/oauth/refresh-rotation.ts';
import { challengeFor } from '../../src/oauth/pkce.ts';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/oauth/grants/device-code.ts';
import { registerDynamicClient } from '../../src/platform/dynamic-clients.ts';
import { registrationGate } from '../../src/platform/registration-gate.ts';
import { createInitialAccessToken } from '../../src/platform/registration-tokens.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { postForm } from '../helpers/token-client.ts';
import { freePort } from '../../scripts/free-port.ts';

const PASSWORD = 'a password nobody should find';
const SECRET = 'at-rest-secret-at-rest-secret';
const REDIRECT = 'http://localhost:4597/authorize-result';

describe('secrets at rest', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let url: string;
  let keys: KeyRing;
  const plain: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-at-rest-'));
    store = await openStore({ dataDir: dir });
    keys = await KeyRing.load(store, SECRET);
    const port = await freePort();
    url = `http://localhost:${port}`;
    const config = { publicUrl: url, logLevel: 'silent' as const };
    app = await buildApp({ config, store, keys, logger: false, tokenKey: deriveTokenKey(SECRET) });
    await app.listen({ port, host: '127.0.0.1' });
    const ctx = oauthContext({ config, store, keys, tokenKey: deriveTokenKey(SECRET) });
    const tenant = await createTenant({ slug: 'acme' }, ctx);
    await createUser({ tenantId: tenant.id, username: 'jane', password: PASSWORD }, ctx);
    const registered = await registerApp({ tenantId: tenant.id, name: 'At rest', redirectUris: [REDIRECT] }, ctx);
    plain.clientSecret = registered.clientSecret;
    plain.password = PASSWORD;

    const browser = new Browserless(url);
    const verifier = 'v'.repeat(43) + 'erifier-at-rest';
    const code = await browser.authorizeCode(
      authorizeQuery({
        client_id: registered.app.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT,
        scope: 'profile offline_access',
        state: 's',
        code_challenge: challengeFor(verifier),
        code_challenge_method: 'S256',
      }),
      { tenant: 'acme', username: 'jane', password: PASSWORD },
    );
    plain.code = code;
    plain.verifier = verifier;
    const tokens = await postForm(`${url}/api/developers/oauth2/token`, {
      client_id: registered.app.clientId,
      client_secret: registered.clientSecret,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
    });
    assert.equal(tokens.status, 200);
    plain.refreshToken = String(tokens.body.refresh_token);

    // A device code (RFC 8628), approved on /device and redeemed, and the refresh token it bought.
    await store.apps.update(registered.app.id, { grantTypes: [...registered.app.grantTypes, DEVICE_CODE_GRANT_TYPE] }, new Date());
    const device = await postForm(`${url}/api/developers/oauth2/device_authorization`, { client_id: registered.app.clientId, scope: 'profile' });
    assert.equal(device.status, 200, device.text);
    const person = new Browserless(url);
    await person.signIn('acme', 'jane', PASSWORD, '/device');
    const codeForm = formFields(await (await person.request('/device')).text(), '/device');
    const confirm = await (await person.request('/device', { form: { ...codeForm, user_code: String(device.body.user_code) } })).text();
    assert.equal((await person.request('/device/decision', { form: { ...formFields(confirm, '/device/decision'), decision: 'allow' } })).status, 200);
    const deviceTokens = await postForm(`${url}/api/developers/oauth2/token`, { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: String(device.body.device_code), client_id: registered.app.clientId });
    assert.equal(deviceTokens.status, 200, deviceTokens.text);
    plain.deviceCode = String(device.body.device_code);
    plain.deviceRefreshToken = String(deviceTokens.body.refresh_token);

    // Dynamic client registration: an initial access token, and a client's secret and registration access token.
    const initial = await createInitialAccessToken({ label: 'at rest' }, ctx);
    plain.initialAccessToken = initial.token;
    const gate = await registrationGate(initial.token, { ...ctx, registration: { policy: 'token', purgeDays: 30 } });
    const selfRegistered = await registerDynamicClient({ client_name: 'At rest agent', redirect_uris: [REDIRECT] }, gate, undefined, ctx);
    plain.selfRegisteredSecret = String(selfRegistered.client_secret);
    plain.registrationAccessToken = String(selfRegistered.registration_access_token);

    // A session id: sign in through the form and keep the cookie value.
    const page = await fetch(`${url}/login`);
    const csrfCookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(await page.text())?.[1] ?? '';
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
      body: new URLSearchParams({ csrf, tenant: 'acme', username: 'jane', password: PASSWORD, return_to: '/' }),
    });
    const session = login.headers.getSetCookie().find((c) => c.startsWith('gh_session='));
    assert.ok(session, 'signed in');
    plain.sessionId = session.split(';')[0]!.slice('gh_session='.length);

    // The private signing key's secret exponent, as only the holder of GATEHOUSE_SECRET can read it.
    const [stored] = await store.keys.list();
    assert.ok(stored);
    const privateJwk = JSON.parse(decrypt(stored.privateJwkEncrypted, SECRET)) as { d?: string };
    assert.ok(privateJwk.d);
    plain.privateKeyD = privateJwk.d;
  });

  after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the data directory holds none of them in plain form', () => {
    const files = readdirSync(dir).filter((f) => f.startsWith('gatehouse.sqlite'));
    assert.ok(files.length >= 1, 'the database file exists');
    const contents = files.map((f) => readFileSync(join(dir, f)).toString('latin1'));
    for (const [what, value] of Object.entries(plain)) {
      assert.ok(value.length >= 16, `${what} is a real value`);
      for (const [i, content] of contents.entries()) {
        assert.equal(content.includes(value), false, `${what} found in ${files[i]}`);
      }
    }
  });
});
