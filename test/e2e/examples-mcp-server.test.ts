// examples/mcp-server over plain HTTP, as any MCP client meets it: its RFC 9728 document, the 401
// that names it, the 403 that asks for `mcp:write` before add_note, tokens for other audiences
// refused, and what is not MCP answered without a 500. Then `npm run example:mcp-server` as a user
// runs it: the registration command when it has no credentials, the URL when it has.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startMcpServer } from '../../examples/mcp-server/server.ts';
import { SCOPE_DESCRIPTIONS } from '../../examples/mcp-server/tools.ts';
import { registerResource } from '../../src/platform/resources.ts';
import { freePort } from '../../scripts/free-port.ts';
import { Browserless } from '../helpers/browserless.ts';
import { runExampleScript, startScript } from '../helpers/example-process.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } };
const addNote = (text: string) => ({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'add_note', arguments: { text } } });
const SEARCH = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'search_notes', arguments: {} } };

describe('examples/mcp-server', { timeout: 60_000 }, () => {
  let server: TestServer;
  let mcp: Awaited<ReturnType<typeof startMcpServer>>;
  let identifier: string;
  let credentials: { clientId: string; clientSecret: string };
  before(async () => {
    server = await startTestServer();
    const port = await freePort();
    identifier = `http://localhost:${port}/mcp`;
    const scopes = Object.entries(SCOPE_DESCRIPTIONS).map(([name, description]) => ({ kind: 'plain' as const, name, description }));
    const { resource, clientSecret } = await registerResource({ identifier, name: 'Notes (MCP)', scopes }, {}, server.ctx);
    credentials = { clientId: resource.clientId, clientSecret };
    mcp = await startMcpServer({ gatehouseUrl: server.url, identifier, ...credentials, port });
  });
  after(async () => {
    await mcp?.close();
    await server?.close();
  });

  /** A token the backend app got through the real pages, for `resource` (the MCP server unless told) and `scope`. */
  async function tokenFor(scope: string, resource = identifier): Promise<string> {
    const query = new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope, state: 's', resource });
    const code = await new Browserless(server.url).authorizeCode(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    const answer = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: server.backend.clientId, client_secret: server.backend.clientSecret });
    return String(answer.body.access_token);
  }

  const post = (body: unknown, token?: string) =>
    fetch(identifier, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('publishes its RFC 9728 document and names it in the 401 of a request without a token', async () => {
    const metadataUrl = `${new URL(identifier).origin}/.well-known/oauth-protected-resource/mcp`;
    const document = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    assert.equal(document.resource, identifier);
    assert.deepEqual(document.authorization_servers, [server.url]);
    assert.deepEqual(document.scopes_supported, ['mcp:tools', 'mcp:write'], 'offline_access is not a resource scope (SEP-2207)');
    const refused = await post(INITIALIZE);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), `Bearer resource_metadata="${metadataUrl}"`);
    assert.equal(refused.headers.get('access-control-expose-headers')?.includes('www-authenticate'), true, 'browser clients can read the challenge');
  });

  it('answers MCP for a token with mcp:tools, and asks for mcp:write (403) before add_note', async () => {
    const reader = await tokenFor('mcp:tools');
    const hello = await post(INITIALIZE, reader);
    assert.equal(hello.status, 200);
    assert.equal(((await hello.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name, 'gatehouse-notes');
    const refused = await post(addNote('not allowed'), reader);
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('www-authenticate') ?? '', /error="insufficient_scope".*scope="mcp:tools mcp:write"/);

    const writer = await tokenFor('mcp:tools mcp:write');
    const added = (await (await post(addNote('Water the plants'), writer)).json()) as { result: { content: { text: string }[] } };
    assert.match(added.result.content[0]?.text ?? '', /Saved note #\d+/);
    const found = (await (await post(SEARCH, reader)).json()) as { result: { content: { text: string }[] } };
    assert.match(found.result.content[0]?.text ?? '', /Water the plants/, "the same person's notes, whichever token");
  });

  it('refuses a token for another audience, and answers what is not MCP without a 500', async () => {
    const forTheApi = await tokenFor('profile', server.ctx.audience);
    const wrong = await post(INITIALIZE, forTheApi);
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /error="invalid_token"/);

    const reader = await tokenFor('mcp:tools');
    assert.equal((await post('{not json', reader)).status, 400);
    assert.equal((await post('x'.repeat(300 * 1024), reader)).status, 413);
    const get = await fetch(identifier, { headers: { authorization: `Bearer ${reader}`, accept: 'text/event-stream' } });
    assert.equal(get.status, 405, 'stateless: no stream to open');
    assert.equal((await fetch(`${new URL(identifier).origin}/elsewhere`)).status, 404);
    assert.equal((await fetch(identifier, { method: 'OPTIONS' })).status, 204);
    // fetch always sends the URL's own Host; a page that rebound its name to 127.0.0.1 sends its own.
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      const body = JSON.stringify(INITIALIZE);
      const headers = { host: 'evil.example', authorization: `Bearer ${reader}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': String(Buffer.byteLength(body)) };
      const outgoing = httpRequest(identifier, { method: 'POST', headers }, (incoming) => {
        incoming.resume();
        resolve(incoming.statusCode);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    assert.equal(rebound, 403, 'a Host that is not the server is refused');
  });

  it('`npm run example:mcp-server` prints how to register it without credentials, and its URL with them', async () => {
    const port = await freePort();
    const bare = startScript('example:mcp-server', { GATEHOUSE_URL: server.url, MCP_SERVER_PORT: String(port) });
    assert.equal(await bare.exit, 1);
    assert.match(bare.process.output(), new RegExp(`gatehouse resources create --identifier http://localhost:${port}/mcp --name "Notes \\(MCP\\)" --scope "mcp:tools=`));

    const running = await runExampleScript('example:mcp-server', {
      GATEHOUSE_URL: server.url,
      MCP_SERVER_PORT: String(port),
      MCP_SERVER_CLIENT_ID: credentials.clientId,
      MCP_SERVER_CLIENT_SECRET: credentials.clientSecret,
    });
    try {
      assert.equal(running.url, `http://localhost:${port}/mcp`);
      assert.match(running.output(), /metadata\s+http:\/\/localhost:\d+\/\.well-known\/oauth-protected-resource\/mcp/);
      assert.equal((await fetch(running.url, { method: 'POST' })).status, 401);
    } finally {
      await running.stop();
    }
  });
});
