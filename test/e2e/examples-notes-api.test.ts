// examples/notes-api in a real Chromium against a real Gatehouse: the notes API (protected by the
// kit) registered as a resource, `npm run example:notes-client` printing its sign-in link, the
// consent page showing the notes API's own scopes under its name, and the client using the token:
// its scopes allow adding, listing and exporting, not deleting. Then the user revokes the app and
// the API refuses the token, through the feed, within about a second.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startNotesApi } from '../../examples/notes-api/server.ts';
import { revokeConnection } from '../../src/platform/connections.ts';
import { registerResource } from '../../src/platform/resources.ts';
import { freePort } from '../../scripts/free-port.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { exampleScreenshot, registerExampleApp } from '../helpers/example-apps.ts';
import { startScript } from '../helpers/example-process.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { signIn } from './browser-steps.ts';

describe('examples/notes-api in a real browser', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let api: Awaited<ReturnType<typeof startNotesApi>>;
  let identifier: string;
  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    const port = await freePort();
    identifier = `http://localhost:${port}/api`;
    const { resource, clientSecret } = await registerResource(
      {
        identifier,
        name: 'Notes',
        scopes: [
          { kind: 'family', name: 'notes', noun: 'Notes' },
          { kind: 'plain', name: 'notes.export', description: 'Export all your notes as a file' },
        ],
      },
      {},
      server.ctx,
    );
    api = await startNotesApi({ gatehouseUrl: server.url, identifier, clientId: resource.clientId, clientSecret, port });
  });
  after(async () => {
    await api?.close();
    await browser?.close();
    await server.close();
  });

  it('authorizes the client for the notes API, shows its scopes, and the API honours exactly those', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const clientPort = await freePort();
    const { clientId } = await registerExampleApp(server, 'webapp', clientPort, 'Notes client');
    const script = startScript('example:notes-client', { GATEHOUSE_URL: server.url, GATEHOUSE_CLIENT_ID: clientId, EXAMPLE_PORT: String(clientPort), NOTES_API_IDENTIFIER: identifier });
    try {
      const link = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no sign-in link:\n${script.process.output()}`)), 20_000);
        const check = () => {
          const match = /^(http:\/\/\S+\/api\/developers\/oauth2\/authorize\?\S+)$/m.exec(script.process.output());
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          } else setTimeout(check, 50);
        };
        check();
      });
      assert.deepEqual(new URL(link).searchParams.getAll('resource'), [identifier]);

      const page = await browser.newPage();
      await page.goto(link);
      await signIn(page);
      const consent = await page.locator('section.consent').innerText();
      assert.match(consent, /On Notes/);
      assert.match(consent, new RegExp(identifier.replace(/[/.]/g, '\\$&')));
      assert.match(consent, /See, Create, Edit Notes in your name/);
      assert.match(consent, /Export all your notes as a file/);
      await exampleScreenshot(page, 'notes-api-consent');
      await Promise.all([page.waitForURL((url) => url.port === String(clientPort)), page.getByRole('button', { name: 'Allow' }).click()]);
      const result = await page.locator('body').innerText();
      await exampleScreenshot(page, 'notes-api-result');
      assert.match(result, /Token for http:\/\/localhost:\d+\/api: scope "notes:w notes\.export"/);
      assert.match(result, /POST \/notes → 201/);
      assert.match(result, /GET \/notes → 200 \{"notes":\[\{"id":\d+,"text":"Written at/);
      assert.match(result, /GET \/notes\/export → 200/);
      assert.match(result, /DELETE \/notes\/\d+ → 403 .*insufficient_scope/, 'notes:w does not include delete');
      assert.equal(await script.exit, 0, script.process.output());
      await page.close();
    } finally {
      await script.process.stop();
    }
  });

  it('refuses a token within about a second of the user revoking the app (the revocation feed)', async () => {
    // A token for the notes API, as the backend app, through the real pages (no browser needed).
    const { Browserless } = await import('../helpers/browserless.ts');
    const { BACKEND_REDIRECT, PASSWORD } = await import('../helpers/server.ts');
    const { postForm, tokenUrl } = await import('../helpers/token-client.ts');
    const query = new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'notes', state: 's', resource: identifier });
    const code = await new Browserless(server.url).authorizeCode(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    const token = String((await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: server.backend.clientId, client_secret: server.backend.clientSecret })).body.access_token);
    const list = () => fetch(`${identifier}/notes`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await list()).status, 200);
    await revokeConnection(server.user.id, server.backend.app.id, {}, server.ctx);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await list()).status;
    }
    assert.equal(status, 401);
    assert.ok(Date.now() - revokedAt < 1500, `refused after ${Date.now() - revokedAt} ms`);
  });
});
