// An app's OpenID Connect settings in the console: post-logout redirect URLs, the back-channel
// logout URL and the subject type are saved from the app form (Post/Redirect/Get, CSRF), shown
// again, and refused with an error at their field when they break a rule, changing nothing; a
// saved post-logout URL is where /oauth2/logout sends the browser back to.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Browserless } from '../helpers/browserless.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { consoleAs, followDone, submit, textOf } from './console-client.ts';

const REDIRECT = 'https://app.example/cb';
const SIGNED_OUT = 'https://app.example/signed-out';

forEachStore('OpenID Connect settings in the console', (kind) => {
  let server: TestServer;
  let jane: Browserless;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    jane = await consoleAs(server, 'acme', 'jane');
  });
  after(() => server.close());

  const base = { description: 'Signs people in', redirect_uris: REDIRECT, refresh_rotation: 'public' };

  it('registers an app with the settings, shows them on its page, and logout honours the URL', async () => {
    const created = await submit(jane, '/console/apps/new', '/console/apps', {
      ...base,
      name: 'OIDC app',
      post_logout_redirect_uris: `${SIGNED_OUT}\r\nhttp://localhost:3000/bye\r\n`,
      backchannel_logout_uri: 'https://app.example/backchannel',
      subject_type: 'pairwise',
    });
    const done = await followDone(jane, created);
    const app = await server.store.apps.byName('OIDC app');
    assert.deepEqual(app?.postLogoutRedirectUris, [SIGNED_OUT, 'http://localhost:3000/bye']);
    assert.equal(app?.backchannelLogoutUri, 'https://app.example/backchannel');
    assert.equal(app?.subjectType, 'pairwise');
    assert.match(done.page, /<legend>OpenID Connect<\/legend>/);
    assert.match(done.page, new RegExp(`>${SIGNED_OUT}\nhttp://localhost:3000/bye</textarea>`));
    assert.match(done.page, /value="https:\/\/app\.example\/backchannel"/);
    assert.match(done.page, /name="subject_type" value="pairwise" checked/);

    const logout = await new Browserless(server.url).request(`/oauth2/logout?${new URLSearchParams({ client_id: app?.clientId ?? '', post_logout_redirect_uri: SIGNED_OUT, state: 'st' })}`);
    assert.equal(logout.status, 303);
    assert.equal(logout.headers.get('location'), `${SIGNED_OUT}?state=st`);
  });

  it('changes and clears them; a form without them (an older form, a script) keeps them', async () => {
    const app = await server.store.apps.byName('OIDC app');
    const page = `/console/apps/${app?.id}`;
    await followDone(jane, await submit(jane, page, page, base));
    assert.deepEqual((await server.store.apps.byId(app?.id ?? 0))?.postLogoutRedirectUris, [SIGNED_OUT, 'http://localhost:3000/bye'], 'kept');
    await followDone(jane, await submit(jane, page, page, { ...base, post_logout_redirect_uris: '', backchannel_logout_uri: '', subject_type: 'public' }));
    const cleared = await server.store.apps.byId(app?.id ?? 0);
    assert.deepEqual(cleared?.postLogoutRedirectUris, []);
    assert.equal(cleared?.backchannelLogoutUri, null);
    assert.equal(cleared?.subjectType, 'public');
    const audited = (await server.store.audit.list({ limit: 5 })).filter((e) => e.type === 'app_updated' && e.appName === 'OIDC app');
    assert.ok(audited.length >= 2, 'each change is audited');
  });

  it('the form needs its CSRF token', async () => {
    const app = await server.store.apps.byName('OIDC app');
    const page = `/console/apps/${app?.id}`;
    const forged = await submit(jane, page, page, { ...base, post_logout_redirect_uris: 'https://evil.example/', subject_type: 'public' }, { csrf: false });
    assert.equal(forged.status, 403);
    assert.deepEqual((await server.store.apps.byId(app?.id ?? 0))?.postLogoutRedirectUris, []);
  });

  it('refuses fragments, javascript:, http off loopback and pairwise across hosts at their fields, changing nothing', async () => {
    const app = await server.store.apps.byName('OIDC app');
    const page = `/console/apps/${app?.id}`;
    const before = await server.store.apps.byId(app?.id ?? 0);
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ post_logout_redirect_uris: 'https://app.example/bye#top', subject_type: 'public' }, 'app-post-logout-uris-error', /must not contain a fragment/],
      [{ post_logout_redirect_uris: 'javascript:alert(1)', subject_type: 'public' }, 'app-post-logout-uris-error', /must use https/],
      [{ post_logout_redirect_uris: 'http://app.example/bye', subject_type: 'public' }, 'app-post-logout-uris-error', /must use https/],
      [{ post_logout_redirect_uris: Array.from({ length: 11 }, (_, i) => `https://app.example/${i}`).join('\n'), subject_type: 'public' }, 'app-post-logout-uris-error', /At most 10/],
      [{ backchannel_logout_uri: 'http://internal.example/bc', subject_type: 'public' }, 'app-backchannel-uri-error', /must use https/],
      [{ subject_type: 'secret' }, 'app-subject-type-error', /Choose one of the subject types/],
      [{ redirect_uris: `${REDIRECT}\nhttps://other.example/cb`, subject_type: 'pairwise' }, 'app-subject-type-error', /on one host \(they are on app\.example, other\.example\)/],
    ];
    for (const [fields, errorId, message] of cases) {
      const refused = await submit(jane, page, page, { ...base, ...fields });
      assert.equal(refused.status, 400, JSON.stringify(fields));
      assert.match(textOf(await refused.text(), errorId) ?? '', message, JSON.stringify(fields));
    }
    assert.deepEqual(await server.store.apps.byId(app?.id ?? 0), before, 'nothing changed');
  });

  it('a pairwise app keeps its redirect URLs on one host: a change that breaks it is refused', async () => {
    const app = await server.store.apps.byName('OIDC app');
    const page = `/console/apps/${app?.id}`;
    await followDone(jane, await submit(jane, page, page, { ...base, redirect_uris: `${REDIRECT}\nhttps://app.example/other`, subject_type: 'pairwise' }));
    // An older form without the OpenID Connect fields: the subject type stays pairwise, and holds.
    const refused = await submit(jane, page, page, { ...base, redirect_uris: `${REDIRECT}\nhttps://elsewhere.example/cb` });
    assert.equal(refused.status, 400);
    assert.match(textOf(await refused.text(), 'app-subject-type-error') ?? '', /pairwise subject is keyed by the host/);
    assert.deepEqual((await server.store.apps.byId(app?.id ?? 0))?.redirectUris, [REDIRECT, 'https://app.example/other']);
  });
});
