// Two instances on one database, as the two worker processes `gatehouse serve` starts by default
// (without Redis): a console action done on one, its page opened on the other, shows the new
// secret there once; a reload on either shows it no more and rotates nothing.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sha256Hex } from '../../src/oauth/secrets.ts';
import type { Browserless } from '../helpers/browserless.ts';
import { startAnotherInstance, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { consoleAs, credentialsOn, submit } from './console-client.ts';

forEachStore('console flashes across instances', (kind) => {
  let a: TestServer;
  let b: { url: string; close(): Promise<void> };
  let jane: Browserless;
  before(async () => {
    const database = await kind.database();
    a = await startTestServer({ database });
    b = await startAnotherInstance(database);
    jane = await consoleAs(a, 'acme', 'jane');
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  /** The page at an instance, with jane's cookies (one host name, so one browser, whichever worker answers). */
  const open = async (base: string, path: string) => {
    const cookie = ['gh_session', 'gh_csrf'].map((name) => `${name}=${jane.cookie(name) ?? ''}`).join('; ');
    const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(response.status, 200, path);
    return response.text();
  };

  it('a secret rotated at one instance is shown once at the other', async () => {
    const page = `/console/apps/${a.backend.app.id}`;
    const response = await submit(jane, `${page}/secret`, `${page}/secret`);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), page);
    const shown = credentialsOn(await open(b.url, page)).clientSecret ?? assert.fail('the other instance shows the new secret');
    assert.equal((await a.store.apps.byId(a.backend.app.id))?.clientSecretHash, sha256Hex(shown));
    assert.equal(credentialsOn(await open(a.url, page)).clientSecret, undefined, 'then neither instance shows it again');
    assert.equal(credentialsOn(await open(b.url, page)).clientSecret, undefined);
    assert.equal((await a.store.apps.byId(a.backend.app.id))?.clientSecretHash, sha256Hex(shown), 'rotated once');
  });
});
