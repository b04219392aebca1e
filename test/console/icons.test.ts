// App icons: a JPEG, PNG or GIF uploaded in the console becomes a 500×500 PNG served publicly with
// long caching and shown on the consent page; anything else, or too big, is refused beside the field.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import sharp from 'sharp';
import { registerApp } from '../../src/platform/apps.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { addUser, consoleAs, csrfOf, submit, textOf, followDone } from './console-client.ts';

const image = (format: 'png' | 'jpeg' | 'gif', width = 64, height = 40) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .toFormat(format)
    .toBuffer();

/** Posts the console's upload form as a browser would (multipart), with this browser's cookies. */
async function upload(server: TestServer, browser: Browserless, appId: number, file: { bytes: Buffer; name: string; type: string }, csrf = csrfOf(browser)): Promise<Response> {
  const form = new FormData();
  if (csrf) form.append('csrf', csrf);
  form.append('icon', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const cookie = ['gh_session', 'gh_csrf'].map((name) => `${name}=${browser.cookie(name) ?? ''}`).join('; ');
  return fetch(`${server.url}/console/apps/${appId}/icon`, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
}

forEachStore('app icons', (kind) => {
  let server: TestServer;
  let jane: Browserless;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    jane = await consoleAs(server, 'acme', 'jane');
  });
  after(() => server.close());

  const appId = () => server.backend.app.id;

  for (const format of ['png', 'jpeg', 'gif'] as const) {
    it(`a ${format.toUpperCase()} upload becomes a 500×500 PNG served at a versioned, cached public URL`, async () => {
      const response = await upload(server, jane, appId(), { bytes: await image(format), name: `logo.${format}`, type: `image/${format}` });
      const { path, page } = await followDone(jane, response);
      assert.equal(path, `/console/apps/${appId()}`);
      const app = await server.store.apps.byId(appId());
      assert.ok(app?.iconUpdatedAt, 'the app knows when its icon changed');
      assert.match(page, /Icon uploaded\./);
      const src = `/apps/${server.backend.clientId}/icon.png?v=${app.iconUpdatedAt.getTime()}`;
      assert.ok(page.includes(`src="${src}"`), 'the manage page shows the icon');
      const icon = await fetch(`${server.url}${src}`);
      assert.equal(icon.status, 200);
      assert.equal(icon.headers.get('content-type'), 'image/png');
      assert.equal(icon.headers.get('x-content-type-options'), 'nosniff');
      assert.match(icon.headers.get('cache-control') ?? '', /public, max-age=31536000, immutable/);
      const meta = await sharp(Buffer.from(await icon.arrayBuffer())).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', 500, 500]);
      server.clock.advance(1);
    });
  }

  it('the consent page shows the icon, and an unversioned or stale URL is cached only briefly', async () => {
    const app = await server.store.apps.byId(appId());
    assert.ok(app?.iconUpdatedAt);
    const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile alert', state: 's' });
    const browser = new Browserless(server.url);
    await browser.signIn('acme', 'jane', PASSWORD);
    const consent = await (await browser.request(`/api/developers/oauth2/authorize?${query}`)).text();
    assert.ok(consent.includes(`<img class="app-icon large" src="/apps/${server.backend.clientId}/icon.png?v=${app.iconUpdatedAt.getTime()}"`), 'consent shows the icon');
    const unversioned = await fetch(`${server.url}/apps/${server.backend.clientId}/icon.png`);
    assert.equal(unversioned.status, 200);
    assert.equal(unversioned.headers.get('cache-control'), 'public, max-age=300');
    assert.equal((await fetch(`${server.url}/apps/${server.webapp.clientId}/icon.png`)).status, 404, 'no icon, no image');
    assert.equal((await fetch(`${server.url}/apps/not-a-client/icon.png`)).status, 404);
  });

  it('refuses a file that is not a JPEG, PNG or GIF (whatever it is called), beside the field', async () => {
    const before = await server.store.apps.icon(appId());
    const fake = await upload(server, jane, appId(), { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), name: 'logo.png', type: 'image/png' });
    const page = await fake.text();
    assert.equal(fake.status, 400);
    assert.match(textOf(page, 'icon-error') ?? '', /must be a JPEG, PNG or GIF/);
    const broken = await upload(server, jane, appId(), { bytes: Buffer.concat([(await image('png')).subarray(0, 40)]), name: 'cut.png', type: 'image/png' });
    assert.equal(broken.status, 400);
    assert.match(textOf(await broken.text(), 'icon-error') ?? '', /could not be read/);
    const empty = await upload(server, jane, appId(), { bytes: Buffer.alloc(0), name: '', type: 'application/octet-stream' });
    assert.equal(empty.status, 400);
    assert.match(textOf(await empty.text(), 'icon-error') ?? '', /Choose an image file/);
    assert.deepEqual(await server.store.apps.icon(appId()), before, 'the icon is unchanged');
  });

  it('refuses a file over 2 MB beside the field; other form posts keep their 64 kB limit', async () => {
    const before = await server.store.apps.icon(appId());
    const big = Buffer.concat([await image('png'), Buffer.alloc(2 * 1024 * 1024)]);
    const response = await upload(server, jane, appId(), { bytes: big, name: 'big.png', type: 'image/png' });
    assert.equal(response.status, 413);
    assert.match(textOf(await response.text(), 'icon-error') ?? '', /at most 2 MB/);
    assert.deepEqual(await server.store.apps.icon(appId()), before);
    const csrf = csrfOf(jane);
    const huge = await jane.request(`/console/apps/${appId()}`, { method: 'POST', form: { csrf, description: 'x'.repeat(70 * 1024), redirect_uris: BACKEND_REDIRECT } });
    assert.equal(huge.status, 413);
    // Multipart is accepted by the upload route only.
    const form = new FormData();
    form.append('csrf', csrf);
    form.append('name', 'Multipart app');
    const elsewhere = await fetch(`${server.url}/console/apps`, {
      method: 'POST',
      body: form,
      headers: { cookie: `gh_session=${jane.cookie('gh_session')}; gh_csrf=${csrf}` },
      redirect: 'manual',
    });
    assert.equal(elsewhere.status, 415);
  });

  it('an upload without the CSRF token, by a non-admin, or for another account is refused', async () => {
    const before = await server.store.apps.icon(appId());
    const png = { bytes: await image('png'), name: 'x.png', type: 'image/png' };
    assert.equal((await upload(server, jane, appId(), png, '')).status, 403);
    await addUser(server, server.tenant.id, 'ursula');
    const ursula = await consoleAs(server, 'acme', 'ursula');
    assert.equal((await upload(server, ursula, appId(), png)).status, 403);
    const globex = await registerApp({ tenantId: server.otherTenant.id, name: 'Globex icon app', redirectUris: ['https://globex.example/cb'] }, server.ctx);
    assert.equal((await upload(server, jane, globex.app.id, png)).status, 404);
    assert.equal(await server.store.apps.icon(globex.app.id), undefined);
    assert.deepEqual(await server.store.apps.icon(appId()), before);
  });

  it('removes the icon; the app falls back to its initial', async () => {
    const response = await submit(jane, `/console/apps/${appId()}`, `/console/apps/${appId()}/icon/remove`);
    const { page } = await followDone(jane, response);
    assert.equal(await server.store.apps.icon(appId()), undefined);
    assert.equal((await server.store.apps.byId(appId()))?.iconUpdatedAt, null);
    assert.equal((await fetch(`${server.url}/apps/${server.backend.clientId}/icon.png`)).status, 404);
    assert.match(page, /Icon removed\./);
    assert.match(page, /<span class="app-icon large" aria-hidden="true">B<\/span>/);
  });
});
