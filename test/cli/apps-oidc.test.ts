// `gatehouse apps create|update --post-logout-redirect-uri … --backchannel-logout-uri …
// --subject-type …` on SQLite and PostgreSQL: the settings are stored and shown by show and list,
// can be replaced and cleared, and bad ones are refused in one line, changing nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { forEachStore } from '../helpers/stores.ts';
import { runCli } from './cli-runner.ts';

type Json = Record<string, unknown>;

forEachStore('gatehouse apps: OpenID Connect settings', (kind) => {
  let env: Record<string, string>;
  let dataDir: string;
  const run = (...args: string[]) => runCli(env, args);
  const json = async (...args: string[]): Promise<Json> => {
    const result = await run(...args, '--json');
    assert.equal(result.code, 0, result.stderr || result.stdout);
    return JSON.parse(result.stdout) as Json;
  };
  const refused = async (pattern: RegExp, ...args: string[]) => {
    const result = await run(...args);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /^gatehouse: [^\n]+\n$/, `one line: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  };

  before(async () => {
    const database = await kind.database();
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-apps-oidc-'));
    env = { GATEHOUSE_SECRET: '', GATEHOUSE_CONFIG: '', GATEHOUSE_DATA_DIR: dataDir, DATABASE_URL: '', ...database.env };
    assert.equal((await run('migrate')).code, 0);
    assert.equal((await run('tenants', 'create', 'acme')).code, 0);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('registers an app with the settings; show and list include them', async () => {
    await json(
      'apps', 'create', '--tenant', 'acme', '--name', 'Signer-in', '--redirect-uri', 'https://rp.example/cb',
      '--post-logout-redirect-uri', 'https://rp.example/bye', '--post-logout-redirect-uri', 'http://localhost:3000/bye',
      '--backchannel-logout-uri', 'https://rp.example/backchannel', '--subject-type', 'pairwise',
    );
    const shown = await json('apps', 'show', 'Signer-in');
    assert.deepEqual(shown.post_logout_redirect_uris, ['https://rp.example/bye', 'http://localhost:3000/bye']);
    assert.equal(shown.backchannel_logout_uri, 'https://rp.example/backchannel');
    assert.equal(shown.subject_type, 'pairwise');
    const [listed] = (await json('apps', 'list')) as unknown as Json[];
    assert.equal(listed?.subject_type, 'pairwise');
    const human = await run('apps', 'show', 'Signer-in');
    assert.match(human.stdout, /post_logout_redirect_uris +https:\/\/rp\.example\/bye http:\/\/localhost:3000\/bye\n/);
    assert.match(human.stdout, /subject_type +pairwise\n/);
  });

  it('an app registered without them has none, and the public subject', async () => {
    await json('apps', 'create', '--tenant', 'acme', '--name', 'Plain', '--redirect-uri', 'https://plain.example/cb');
    const shown = await json('apps', 'show', 'Plain');
    assert.deepEqual([shown.post_logout_redirect_uris, shown.backchannel_logout_uri, shown.subject_type], [[], null, 'public']);
    assert.match((await run('apps', 'show', 'Plain')).stdout, /backchannel_logout_uri +none\n/);
  });

  it('update replaces, clears, and leaves alone what it does not name', async () => {
    const replaced = await json('apps', 'update', 'Signer-in', '--post-logout-redirect-uri', 'https://rp.example/later');
    assert.deepEqual(replaced.post_logout_redirect_uris, ['https://rp.example/later']);
    assert.equal(replaced.backchannel_logout_uri, 'https://rp.example/backchannel', 'unchanged');
    const cleared = await json('apps', 'update', 'Signer-in', '--clear-post-logout-redirect-uris', '--no-backchannel-logout-uri', '--subject-type', 'public');
    assert.deepEqual([cleared.post_logout_redirect_uris, cleared.backchannel_logout_uri, cleared.subject_type], [[], null, 'public']);
    await refused(/--post-logout-redirect-uri or --clear-post-logout-redirect-uris/, 'apps', 'update', 'Signer-in', '--post-logout-redirect-uri', 'https://rp.example/x', '--clear-post-logout-redirect-uris');
  });

  it('refuses bad settings in one line and changes nothing', async () => {
    const before = await json('apps', 'show', 'Plain');
    await refused(/Post-logout redirect URL "https:\/\/plain\.example\/bye#x" must not contain a fragment/, 'apps', 'update', 'Plain', '--post-logout-redirect-uri', 'https://plain.example/bye#x');
    await refused(/must use https/, 'apps', 'update', 'Plain', '--post-logout-redirect-uri', 'javascript:alert(1)');
    await refused(/must use https/, 'apps', 'update', 'Plain', '--post-logout-redirect-uri', 'http://plain.example/bye');
    await refused(/back-channel logout URL must use https/, 'apps', 'update', 'Plain', '--backchannel-logout-uri', 'http://plain.example/bc');
    const choice = await run('apps', 'update', 'Plain', '--subject-type', 'secret');
    assert.equal(choice.code, 1);
    assert.match(choice.stderr, /argument 'secret' is invalid\. Allowed choices are public, pairwise/);
    await refused(/on one host \(they are on plain\.example, other\.example\)/, 'apps', 'update', 'Plain', '--redirect-uri', 'https://plain.example/cb', '--redirect-uri', 'https://other.example/cb', '--subject-type', 'pairwise');
    await refused(/on one host/, 'apps', 'create', '--tenant', 'acme', '--name', 'Spread', '--redirect-uri', 'https://a.example/cb', '--redirect-uri', 'https://b.example/cb', '--subject-type', 'pairwise');
    assert.deepEqual(await json('apps', 'show', 'Plain'), before);
    assert.equal((await run('apps', 'show', 'Spread')).code, 1, 'nothing was registered');
  });

  it('a pairwise app cannot later spread its redirect URIs over hosts', async () => {
    await json('apps', 'update', 'Plain', '--subject-type', 'pairwise');
    await refused(/pairwise subject is keyed by the host/, 'apps', 'update', 'Plain', '--redirect-uri', 'https://plain.example/cb', '--redirect-uri', 'https://elsewhere.example/cb');
    assert.deepEqual((await json('apps', 'show', 'Plain')).redirect_uris, ['https://plain.example/cb']);
  });
});
