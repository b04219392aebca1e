// `gatehouse resources …` as an operator runs it, on SQLite and PostgreSQL: register, list, show,
// change, rotate and delete resource servers; every bad input refused in one line with exit 1; and
// the printed credentials checked for real: a server started on the same database introspects a
// token that an app (registered with --default-resource) got without naming the resource.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';
import { serve, type Served } from '../ops/serve-process.ts';
import { runCli } from './cli-runner.ts';

const PUBLIC_URL = 'http://localhost:8080';
const BUILT_IN = `${PUBLIC_URL}/api`;
const NOTES = 'https://notes.example.com/api';
const BILLING = 'https://billing.example.com';
const REDIRECT = 'http://localhost:4597/notes-app';
const PASSWORD = 'a long enough password';
type Json = Record<string, unknown>;

forEachStore('gatehouse resources', (kind) => {
  let env: Record<string, string>;
  let dataDir: string;
  const run = (...args: string[]) => runCli(env, args);
  const json = async <T = Json>(...args: string[]): Promise<T> => {
    const result = await run(...args, '--json');
    assert.equal(result.code, 0, result.stderr || result.stdout);
    return JSON.parse(result.stdout) as T;
  };
  /** A refusal: exit 1 and one line on stderr, nothing on stdout. */
  const refused = async (pattern: RegExp, ...args: string[]) => {
    const result = await run(...args);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /^gatehouse: [^\n]+\n$/, `one line: ${result.stderr}`);
    assert.match(result.stderr, pattern);
    assert.equal(result.stdout, '');
  };
  let notes: { id: number; identifier: string; client_id: string; client_secret: string };

  before(async () => {
    const database = await kind.database();
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-resources-'));
    // The data dir holds the secret file on PostgreSQL too; SQLite's database names its own.
    env = { GATEHOUSE_SECRET: '', GATEHOUSE_CONFIG: '', PUBLIC_URL, GATEHOUSE_DATA_DIR: dataDir, DATABASE_URL: '', ...database.env };
    assert.equal((await run('migrate')).code, 0);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('registers a resource and prints its credentials once; list and show never print a secret', async () => {
    notes = await json('resources', 'create', '--identifier', NOTES, '--name', 'Notes', '--description', 'Your notes', '--family', 'notes=Notes', '--scope', 'notes.export=Export all your notes', '--token-lifetime', '600');
    assert.deepEqual(Object.keys(notes), ['id', 'identifier', 'client_id', 'client_secret']);
    assert.equal(notes.identifier, NOTES);
    assert.match(notes.client_id, /^rs_[0-9a-f]{20}$/);
    assert.match(notes.client_secret, /^[0-9a-f]{64}$/);

    const human = await run('resources', 'create', '--identifier', BILLING, '--name', 'Billing', '--family', 'invoices=Invoices');
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^resource "Billing" \(id \d+\)\nidentifier +https:\/\/billing\.example\.com\n/);
    assert.match(human.stdout, /token lifetime +3600 s/);
    assert.match(human.stdout, /client_secret +[0-9a-f]{64}\nThe secret is shown only now/);

    const [list, listed, shown] = await Promise.all([json<Json[]>('resources', 'list'), run('resources', 'list'), run('resources', 'show', String(notes.id))]);
    assert.deepEqual(list.map((r) => [r.identifier, r.built_in]), [[BUILT_IN, true], [NOTES, false], [BILLING, false]]);
    assert.match(listed.stdout, /^1 +http:\/\/localhost:8080\/api +Gatehouse API \(ilert-compatible\) +20 scopes\n/);
    assert.match(shown.stdout, /scopes +notes \(family: See\/Create\/Edit\/Delete Notes\)\n +notes\.export — Export all your notes\n$/);
    assert.match(shown.stdout, /token lifetime +600 s/);
    assert.match(shown.stdout, new RegExp(`client_id +${notes.client_id}`));
    for (const text of [JSON.stringify(list), listed.stdout, shown.stdout]) {
      assert.doesNotMatch(text, /secret/i);
      assert.ok(!text.includes(notes.client_secret));
    }
  });

  it('shows a resource by id or identifier, the built-in API with its real identifier', async () => {
    const [byUri, builtIn, byId] = await Promise.all([json('resources', 'show', NOTES), json('resources', 'show', BUILT_IN), json('resources', 'show', '1')]);
    assert.equal(byUri.id, notes.id);
    assert.deepEqual(byUri.scopes, [
      { kind: 'family', name: 'notes', noun: 'Notes' },
      { kind: 'plain', name: 'notes.export', description: 'Export all your notes' },
    ]);
    assert.equal(byUri.access_token_lifetime, 600);
    assert.doesNotMatch(JSON.stringify(byUri), /secret/i);
    assert.equal(builtIn.id, 1);
    assert.equal(builtIn.identifier, BUILT_IN);
    assert.equal(builtIn.built_in, true);
    assert.equal(builtIn.access_token_lifetime, 3600);
    assert.deepEqual(byId, builtIn);
  });

  it('updates; any --family or --scope replaces the whole list; the built-in API keeps its scopes', async () => {
    const renamed = await json('resources', 'update', NOTES, '--name', 'Notes API', '--token-lifetime', '900');
    assert.equal(renamed.name, 'Notes API');
    assert.equal(renamed.access_token_lifetime, 900);
    assert.equal((renamed.scopes as unknown[]).length, 2, 'scopes stay unless given');
    const replaced = await json('resources', 'update', String(notes.id), '--scope', 'notes.read=Read your notes');
    assert.deepEqual(replaced.scopes, [{ kind: 'plain', name: 'notes.read', description: 'Read your notes' }]);
    await json('resources', 'update', NOTES, '--family', 'notes=Notes', '--scope', 'notes.export=Export all your notes');
    assert.match((await run('resources', 'update', '--help')).stdout, /replaces the whole scope list/);

    await Promise.all([
      refused(/^gatehouse: The built-in API's scopes are ilert's and cannot change\n$/, 'resources', 'update', '1', '--family', 'x=Things'),
      refused(/lifetime cannot change/, 'resources', 'update', BUILT_IN, '--token-lifetime', '600'),
      refused(/nothing to change/, 'resources', 'update', NOTES),
    ]);
    assert.equal((await json('resources', 'update', '1', '--name', 'Gatehouse API')).name, 'Gatehouse API', 'its name may change');
    assert.equal(((await json('resources', 'show', '1')).scopes as unknown[]).length, 20);
  });

  it('refuses bad input with one clear line and exit 1, and registers nothing', async () => {
    const create = (...extra: string[]) => ['resources', 'create', '--name', 'Bad', '--family', 'bad=Bad things', ...extra];
    // What the store decides (a taken identifier, an unknown id), on every database.
    const cases: [RegExp, string[]][] = [
      [/A resource with the identifier https:\/\/notes\.example\.com\/api is already registered/, create('--identifier', NOTES)],
      ...['99', 'https://unknown.example'].map((ref): [RegExp, string[]] => [new RegExp(`no resource with id or identifier "${ref}"; see: gatehouse resources list`), ['resources', 'show', ref]]),
      [/no resource/, ['resources', 'rotate-secret', '99']],
    ];
    // What the command and the platform check before any store is asked: once is enough.
    if (kind.name === 'sqlite') {
      cases.push(
        [/The identifier must be an absolute URI/, create('--identifier', '/relative/api')],
        [/The identifier must not have a fragment/, create('--identifier', 'https://x.example/api#part')],
        [/must not have a query/, create('--identifier', 'https://x.example/api?v=1')],
        [/the built-in API's/, create('--identifier', BUILT_IN)],
        [/^gatehouse: --family expects NAME=NOUN \(e\.g\. --family notes=Notes\), not "bad"\n$/, ['resources', 'create', '--identifier', 'https://x.example', '--name', 'X', '--family', 'bad']],
        [/--scope expects NAME=DESCRIPTION/, ['resources', 'create', '--identifier', 'https://x.example', '--name', 'X', '--scope', '=Nameless']],
        ...['59', '86401', 'ten', '1.5'].map((lifetime): [RegExp, string[]] => [/token lifetime must be a whole number of seconds from 60 to 86400/, create('--identifier', 'https://x.example', '--token-lifetime', lifetime)]),
        [/A resource needs at least one scope/, ['resources', 'create', '--identifier', 'https://x.example', '--name', 'X']],
        [/The family "Bad" must be lowercase/, ['resources', 'create', '--identifier', 'https://x.example', '--name', 'X', '--family', 'Bad=Bad']],
        // Every problem at once, in one line.
        [/absolute URI; The name must be 1 to 100 characters; The token lifetime/, ['resources', 'create', '--identifier', 'nope', '--name', '', '--family', 'a=A', '--token-lifetime', '5']],
      );
    }
    await Promise.all(cases.map(([pattern, args]) => refused(pattern, ...args)));

    const asJson = await run(...create('--identifier', 'relative'), '--json');
    assert.equal(asJson.code, 1);
    assert.deepEqual(JSON.parse(asJson.stdout), { error: 'The identifier must be an absolute URI' });
    assert.equal((await json<Json[]>('resources', 'list')).length, 3, 'nothing was registered');
  });

  it('deletes only with --yes, saying first what would be revoked; the built-in API stays', async () => {
    const billing = await json('resources', 'show', BILLING);
    await refused(/^gatehouse: deleting "Billing" \(https:\/\/billing\.example\.com\) revokes every authorization that includes it: .*stop working at once.*repeat with --yes\n$/, 'resources', 'delete', BILLING);
    assert.equal((await json('resources', 'show', BILLING)).id, billing.id, 'nothing was deleted');
    await Promise.all([
      refused(/^gatehouse: The built-in API cannot be deleted\n$/, 'resources', 'delete', '1'),
      refused(/^gatehouse: The built-in API cannot be deleted\n$/, 'resources', 'delete', BUILT_IN, '--yes'),
    ]);
    assert.deepEqual(await json('resources', 'delete', BILLING, '--yes'), { id: billing.id, identifier: BILLING, deleted: true, revoked_families: 0 });
    await refused(/no resource/, 'resources', 'show', BILLING);
  });

  it('an app may default to a resource: --default-resource checked, shown as default_resource', async () => {
    await json('tenants', 'create', 'acme');
    const created = await json('apps', 'create', '--tenant', 'acme', '--name', 'Notes app', '--redirect-uri', REDIRECT, '--default-resource', NOTES);
    const shown = await json('apps', 'show', String(created.client_id));
    assert.equal(shown.default_resource, NOTES);
    assert.equal((await json('apps', 'update', 'Notes app', '--default-resource', '1')).default_resource, null, 'the built-in API is null');
    assert.equal((await json('apps', 'update', 'Notes app', '--default-resource', String(notes.id))).default_resource, NOTES);
    assert.deepEqual((await json<Json[]>('apps', 'list')).map((a) => a.default_resource), [NOTES]);
    assert.match((await run('apps', 'show', 'Notes app')).stdout, /default_resource +https:\/\/notes\.example\.com\/api\n/);
    await Promise.all([
      refused(/no resource with id or identifier "https:\/\/billing\.example\.com"/, 'apps', 'update', 'Notes app', '--default-resource', BILLING),
      refused(/no resource/, 'apps', 'create', '--tenant', 'acme', '--name', 'Other', '--redirect-uri', REDIRECT, '--default-resource', '77'),
    ]);
  });

  it('the printed credentials introspect the tokens of an app that names no resource; rotation and deletion take effect', { timeout: 90_000 }, async () => {
    assert.equal((await run('users', 'create', '--tenant', 'acme', '--username', 'jane', '--password', PASSWORD)).code, 0);
    const app = await json<{ client_id: string; client_secret: string }>('apps', 'create', '--tenant', 'acme', '--name', 'Notes client', '--redirect-uri', REDIRECT, '--default-resource', NOTES);
    const server: Served = await serve([], env, undefined, dataDir);
    try {
      const query = authorizeQuery({ client_id: app.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'notes:w notes.export', state: 's' });
      const code = await new Browserless(server.url).authorizeCode(query, { tenant: 'acme', username: 'jane', password: PASSWORD });
      const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: app.client_id, client_secret: app.client_secret });
      assert.equal(token.status, 200, token.text);
      assert.equal(token.body.expires_in, 900, "the resource's lifetime");
      const accessToken = String(token.body.access_token);
      const introspect = (id: string, secret: string) => postForm(`${server.url}/oauth2/introspect`, { token: accessToken }, { authorization: basicAuth(id, secret) });

      const seen = await introspect(notes.client_id, notes.client_secret);
      assert.equal(seen.status, 200, seen.text);
      assert.equal(seen.body.active, true);
      assert.equal(seen.body.aud, NOTES, 'the token is for the default resource');
      assert.equal(seen.body.scope, 'notes:w notes.export');

      const rotated = await json<{ client_id: string; client_secret: string }>('resources', 'rotate-secret', NOTES);
      assert.equal(rotated.client_id, notes.client_id);
      assert.notEqual(rotated.client_secret, notes.client_secret);
      assert.equal((await introspect(notes.client_id, notes.client_secret)).status, 401, 'the old secret stops working at once');
      assert.equal((await introspect(rotated.client_id, rotated.client_secret)).body.active, true);

      assert.equal((await json('resources', 'delete', NOTES, '--yes')).revoked_families, 1);
      assert.equal((await postForm(tokenInfoUrl(server.url), { token: accessToken })).body.active, false, 'its tokens stop working');
      assert.equal((await json('apps', 'show', app.client_id)).default_resource, null, 'the app falls back to the built-in API');
    } finally {
      await server.stop();
    }
  });
});
