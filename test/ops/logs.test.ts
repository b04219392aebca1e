// Logs: a full flow (failed and good sign-in, consent, code exchange with the secret and with PKCE,
// refresh with rotation, token_info, introspection, an API call, revocation) logged at trace level
// holds none of the secrets it used, and every line about a request carries its request id,
// which each response names in X-Request-Id.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createLogger, prettyWanted } from '../../src/ops/logger.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { basicAuth, guideCodeChallenge, guideCodeVerifier, postForm, revokeUrl, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';
import { spawnTracked } from '../helpers/processes.ts';

interface Line {
  level: number;
  msg?: string;
  reqId?: string;
  req?: unknown;
  res?: unknown;
}

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('logs of a full flow at trace level', () => {
  let server: TestServer;
  const log = capture();
  /** Every secret value the flow used or received. */
  const secrets = new Map<string, string>();
  const keep = (name: string, value: string | null | undefined) => {
    assert.ok(value, `the flow produced ${name}`);
    secrets.set(name, value);
    return value;
  };

  before(async () => {
    server = await startTestServer({ appDeps: { log: createLogger({ logLevel: 'trace', logFormat: 'json', destination: log.destination }) } });
    keep('password', PASSWORD);
    keep('backend client secret', server.backend.clientSecret);
    keep('webapp client secret', server.webapp.clientSecret);

    // A failed sign-in first: the wrong password must not be logged either.
    const browser = new Browserless(server.url);
    const loginPage = await (await browser.request('/login')).text();
    const wrong = keep('wrong password', 'Tr0ub4dor&3-wrong-password');
    const failed = await browser.request('/login', { form: { ...formFields(loginPage, '/login'), tenant: 'acme', username: 'jane', password: wrong } });
    assert.equal(failed.status, 401);

    // Backend app: sign in, consent, code with the secret (HTTP Basic), refresh with the secret in the body.
    const code = keep(
      'backend code',
      await browser.authorizeCode(authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile source:w', state: 'st' }), {
        tenant: 'acme',
        username: 'jane',
        password: PASSWORD,
      }),
    );
    keep('session cookie', browser.cookie('gh_session') ?? browser.cookie('__Host-gh_session'));
    keep('basic header', basicAuth(server.backend.clientId, server.backend.clientSecret).slice('Basic '.length));
    const exchanged = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code }, { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) });
    assert.equal(exchanged.status, 200, exchanged.text);
    const access = keep('access token', exchanged.body.access_token as string);
    const refresh = keep('refresh token', exchanged.body.refresh_token as string);
    const refreshed = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: refresh, client_id: server.backend.clientId, client_secret: server.backend.clientSecret });
    assert.equal(refreshed.status, 200, refreshed.text);
    keep('refreshed access token', refreshed.body.access_token as string);

    assert.equal((await postForm(tokenInfoUrl(server.url), { token: access })).body.active, true);
    const introspected = await postForm(`${server.url}/oauth2/introspect`, { token: refresh }, { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) });
    assert.equal(introspected.body.active, true);
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${access}` } });
    assert.equal(me.status, 200);
    // Clients that put credentials in the query string: the URL is logged without it.
    await fetch(`${server.url}/api/users/current?access_token=${access}`);
    await fetch(`${server.url}/api/developers/oauth2/token_info?token=${access}`, { method: 'POST' });
    // A code used twice: the replay is refused and logged as nothing more than a 400.
    assert.equal((await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code }, { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) })).status, 400);

    // Web app: PKCE without a secret, offline_access, a rotating refresh token, then revocation.
    const verifier = keep('code verifier', guideCodeVerifier());
    const pkceCode = keep(
      'pkce code',
      await browser.authorizeCode(
        authorizeQuery({
          client_id: server.webapp.clientId,
          response_type: 'code',
          redirect_uri: WEBAPP_REDIRECT,
          scope: 'profile offline_access',
          state: 'st2',
          code_challenge: guideCodeChallenge(verifier),
          code_challenge_method: 'S256',
        }),
        { tenant: 'acme', username: 'jane', password: PASSWORD },
      ),
    );
    const pkce = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code: pkceCode, code_verifier: verifier, client_id: server.webapp.clientId, redirect_uri: WEBAPP_REDIRECT });
    assert.equal(pkce.status, 200, pkce.text);
    keep('pkce access token', pkce.body.access_token as string);
    const publicRefresh = keep('public refresh token', pkce.body.refresh_token as string);
    const rotated = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: publicRefresh, client_id: server.webapp.clientId });
    assert.equal(rotated.status, 200, rotated.text);
    const successor = keep('rotated refresh token', rotated.body.refresh_token as string);
    assert.notEqual(successor, publicRefresh);
    assert.equal((await postForm(revokeUrl(server.url), { token: successor })).status, 200);
    assert.equal((await postForm(revokeUrl(server.url), { token: refresh })).status, 200);
    const revoked = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${access}` } });
    assert.equal(revoked.status, 401);
  });
  after(() => server.close());

  it('logged the flow in detail', () => {
    assert.ok(log.lines.length >= 30, `expected a detailed log, got ${log.lines.length} lines`);
    const parsed = log.lines.map((line) => JSON.parse(line) as Line);
    assert.ok(parsed.some((line) => line.level === 10 || line.level === 20 || line.msg === 'incoming request'));
  });

  it('holds no token, code, secret, password, cookie or verifier', () => {
    const text = log.lines.join('');
    for (const [name, value] of secrets) {
      for (const form of new Set([value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)])) {
        assert.ok(!text.includes(form), `the log contains the ${name}`);
      }
    }
    // And no part of a JWT either (its payload alone would reveal the claims).
    assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{10,}/);
  });

  it('puts the request id on every line about a request', () => {
    const parsed = log.lines.map((line) => JSON.parse(line) as Line);
    const aboutRequests = parsed.filter((line) => line.req !== undefined || line.res !== undefined);
    assert.ok(aboutRequests.length >= 30);
    for (const line of aboutRequests) assert.match(String(line.reqId), /^[0-9a-f-]{36}$/, JSON.stringify(line));
  });
});

describe('X-Request-Id', () => {
  let server: TestServer;
  const log = capture();
  before(async () => {
    server = await startTestServer({ appDeps: { log: createLogger({ logLevel: 'info', logFormat: 'json', destination: log.destination }) } });
  });
  after(() => server.close());

  it('is on every response: pages, OAuth errors, API errors, unknown paths and unreadable URLs', async () => {
    for (const path of ['/healthz', '/login', '/nowhere', '/api/users/current', '/api/%zz']) {
      const response = await fetch(`${server.url}${path}`);
      assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, path);
    }
    const error = await postForm(tokenUrl(server.url), { grant_type: 'password' });
    assert.match(error.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it("keeps a sane incoming id (a proxy's), logs under it, and replaces anything else", async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'lb-7f3a.9:abc_DEF' } });
    assert.equal(kept.headers.get('x-request-id'), 'lb-7f3a.9:abc_DEF');
    assert.ok(log.lines.some((line) => (JSON.parse(line) as Line).reqId === 'lb-7f3a.9:abc_DEF'));
    for (const insane of ['has spaces in it', 'x'.repeat(129), 'quote"d', '<script>']) {
      const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': insane } });
      assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, insane);
    }
  });

  it('differs between requests', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await fetch(`${server.url}/healthz`)).headers.get('x-request-id') ?? '');
    assert.equal(ids.size, 5);
  });
});

describe('log format', () => {
  it('is pretty for a terminal and JSON lines otherwise, unless chosen', () => {
    assert.equal(prettyWanted('auto', true), true);
    assert.equal(prettyWanted('auto', false), false);
    assert.equal(prettyWanted('json', true), false);
    assert.equal(prettyWanted('pretty', false), true);
    const pretty = capture();
    createLogger({ logFormat: 'pretty', destination: pretty.destination }).info({ n: 1 }, 'hello there');
    const line = pretty.lines.join('');
    assert.match(line, /INFO.*hello there/);
    assert.throws(() => JSON.parse(line));
    const json = capture();
    createLogger({ logFormat: 'json', destination: json.destination, logLevel: 'warn' }).info('dropped');
    assert.equal(json.lines.length, 0, 'LOG_LEVEL filters');
  });

  // util-linux's `script` gives the process a pseudo-terminal; it is part of every Debian system.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it('is pretty when `gatehouse serve` runs on a terminal, and JSON when piped', { timeout: 60_000, skip: hasScript ? false : '`script` (util-linux) is not installed' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-logs-'));
    const bin = join(import.meta.dirname, '../../bin/gatehouse.js');
    try {
      const serveUntilListening = (command: string, args: string[]) =>
        new Promise<string>((resolve, reject) => {
          const child = spawnTracked(command, args, { env: { ...process.env, GATEHOUSE_DATA_DIR: dir, LOG_LEVEL: 'info', GATEHOUSE_LOG_FORMAT: '', GATEHOUSE_SECRET: '', DATABASE_URL: '' } });
          let output = '';
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`no start-up log:\n${output}`));
          }, 40_000);
          const onData = (chunk: Buffer) => {
            output += String(chunk);
            if (/Server listening/.test(output)) child.kill('SIGTERM');
          };
          child.stdout.on('data', onData);
          child.stderr.on('data', onData);
          child.on('exit', () => {
            clearTimeout(timer);
            resolve(output);
          });
        });
      const serveArgs = ['serve', '--workers', '1', '--port', '0'];
      const piped = await serveUntilListening(process.execPath, [bin, ...serveArgs]);
      const listening = piped.split('\n').find((line) => line.includes('Server listening'));
      assert.ok(listening);
      assert.equal((JSON.parse(listening) as { level: number }).level, 30, 'a JSON line when piped');
      // `script` gives the process a pseudo-terminal, as an operator's shell would.
      const onTerminal = await serveUntilListening('script', ['-qfec', [process.execPath, bin, ...serveArgs].join(' '), '/dev/null']);
      const prettyLine = onTerminal.split('\n').find((line) => line.includes('Server listening'));
      assert.ok(prettyLine, onTerminal);
      assert.match(prettyLine, /INFO/);
      assert.ok(!prettyLine.trimStart().startsWith('{'), 'not JSON on a terminal');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
