// `gatehouse registration-tokens …` as an operator runs it, on SQLite and PostgreSQL: create prints
// the token once (list never does), list shows state and uses, revoke ends it; bad input is one
// line and exit 1. And the printed token works for real: a server started with
// GATEHOUSE_REGISTRATION=token on the same database registers a client with it, up to its limit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { register } from '../helpers/registration.ts';
import { forEachStore } from '../helpers/stores.ts';
import { serve } from '../ops/serve-process.ts';
import { runCli } from './cli-runner.ts';

type Json = Record<string, unknown>;
const SECRET = 'registration-tokens-test-secret';
const PUBLIC = { client_name: 'CI client', redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' };

forEachStore('gatehouse registration-tokens', (kind) => {
  let env: Record<string, string>;
  let dataDir: string;
  let database: Awaited<ReturnType<typeof kind.database>>;
  const run = (...args: string[]) => runCli(env, args);
  const json = async <T = Json>(...args: string[]): Promise<T> => {
    const result = await run(...args, '--json');
    assert.equal(result.code, 0, result.stderr || result.stdout);
    return JSON.parse(result.stdout) as T;
  };

  before(async () => {
    database = await kind.database();
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-regtokens-'));
    env = { GATEHOUSE_SECRET: SECRET, GATEHOUSE_CONFIG: '', GATEHOUSE_DATA_DIR: dataDir, DATABASE_URL: '', ...database.env };
    assert.equal((await run('migrate')).code, 0);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates, lists and revokes; the token is printed once, by create', async () => {
    const human = await run('registration-tokens', 'create', '--label', 'MCP agents', '--expires-in', '7', '--max-uses', '1');
    assert.equal(human.code, 0, human.stderr);
    const token = /token +(ghiat_[A-Za-z0-9_-]{43})\n/.exec(human.stdout)?.[1];
    assert.ok(token, human.stdout);
    assert.match(human.stdout, /max uses +1\n/);
    assert.match(human.stdout, /shown only now/);
    const second = await json('registration-tokens', 'create');
    assert.match(String(second.token), /^ghiat_/);
    assert.equal(second.max_uses, null);
    assert.equal(second.expires_at, null);

    const listed = await run('registration-tokens', 'list');
    assert.match(listed.stdout, /^ID +STATE +USES +EXPIRES +LABEL\n/);
    assert.match(listed.stdout, /\n\d+ +live +0\/1 +\d{4}-\d\d-\d\dT[\d:]+Z +MCP agents/);
    const list = await json<Json[]>('registration-tokens', 'list');
    assert.equal(list.length, 2);
    for (const text of [listed.stdout, JSON.stringify(list)]) {
      assert.ok(!text.includes(token) && !text.includes(String(second.token)), 'list never shows a token');
    }

    // The printed token registers a client on a server of the same database, once.
    const server = await serve([], { ...database.env, GATEHOUSE_SECRET: SECRET, GATEHOUSE_REGISTRATION: 'token' }, /Dynamic client registration/);
    try {
      assert.match(server.output(), /Dynamic client registration: with an initial access token at http:\/\/localhost:\d+\/oauth2\/register\n/);
      const registered = await register(server.url, PUBLIC, { token });
      assert.equal(registered.status, 201, registered.text);
      assert.equal((await register(server.url, PUBLIC, { token })).status, 401, 'its one use is spent');
      await json('registration-tokens', 'revoke', String(second.id));
      assert.equal((await register(server.url, PUBLIC, { token: String(second.token) })).status, 401, 'revoked');
    } finally {
      await server.stop();
    }
    const after = await json<Json[]>('registration-tokens', 'list');
    assert.deepEqual(after.map((t) => [t.label, t.state, t.uses]), [['', 'revoked', 0], ['MCP agents', 'used up', 1]]);
  });

  // What the command and the platform check before the store is asked: once (on SQLite) is enough.
  if (kind.name === 'sqlite') it('refuses bad input in one line with exit 1', async () => {
    const cases: [RegExp, string[]][] = [
      [/--expires-in must be a whole number/, ['registration-tokens', 'create', '--expires-in', 'soon']],
      [/expiry must be a whole number of days from 1 to 3650/, ['registration-tokens', 'create', '--expires-in', '0']],
      [/use limit must be a whole number from 1/, ['registration-tokens', 'create', '--max-uses', '0']],
      [/no registration token with id 999/, ['registration-tokens', 'revoke', '999']],
      [/the id must be a whole number/, ['registration-tokens', 'revoke', 'abc']],
    ];
    for (const [pattern, args] of cases) {
      const result = await run(...args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, /^gatehouse: [^\n]+\n$/);
      assert.match(result.stderr, pattern);
    }
    assert.equal((await json<Json[]>('registration-tokens', 'list')).length, 2, 'nothing was made');
  });
});
