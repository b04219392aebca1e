// The official MCP TypeScript SDK's own client against examples/mcp-server behind a real
// Gatehouse: the first request gets 401, the SDK discovers the MCP server's RFC 9728 metadata and
// Gatehouse's RFC 8414 metadata, sends the person to authorize (PKCE S256, `resource` = the MCP
// server's URL), the person signs in and allows on the real pages, the loopback redirect brings
// the code, `finishAuth` redeems it; then tool calls, a refresh when the access token has expired,
// and, once the person revokes the connection in the console, a refusal the SDK reports as
// UnauthorizedError. Three ways to a client id: a pre-registered public app, dynamic client
// registration (the SDK registers itself), and a client ID metadata document the client serves on
// loopback https. SQLite drives Chromium; PostgreSQL the same pages over plain HTTP.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startMcpServer } from '../../examples/mcp-server/server.ts';
import { SCOPE_DESCRIPTIONS } from '../../examples/mcp-server/tools.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { registerResource } from '../../src/platform/resources.ts';
import { freePort } from '../../scripts/free-port.ts';
import { recordingFetch, type RecordedCall } from '../helpers/example-apps.ts';
import { startLoopbackHttps, type LoopbackHttps } from '../helpers/loopback-https.ts';
import { startCallbackListener, TestOAuthProvider, type CallbackListener } from '../helpers/mcp-client.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { personFor, type Person } from './mcp-person.ts';

const TOKEN_LIFETIME = 60;

/** The payload of a JWT, unverified: to look at what the SDK was given. */
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');

forEachStore('the MCP TypeScript SDK against examples/mcp-server', (kind) => {
  let server: TestServer;
  let mcp: Awaited<ReturnType<typeof startMcpServer>>;
  let callback: CallbackListener;
  let person: Person;
  let documents: LoopbackHttps;
  /** What the client publishes at its client id URL (set by the test that uses it). */
  let clientDocument: Record<string, unknown> | undefined;
  /** How far the MCP server's clock is ahead of real time, in ms (to let a token expire there). */
  let skew = 0;

  /** Gatehouse's test clock, which stands still, set to real time plus `skew`: what it issues now is fresh for the MCP server. */
  const syncClock = () => server.clock.advance((Date.now() + skew - server.clock.now().getTime()) / 1000);

  before(async () => {
    // Open registration, as public MCP clients expect it; the development setting lets the client's
    // metadata document live on loopback (https still: the SDK insists).
    server = await startTestServer({ store: kind.name, config: { registration: 'open', cimdAllowLoopback: true } });
    const port = await freePort();
    const identifier = `http://localhost:${port}/mcp`;
    const scopes = Object.entries(SCOPE_DESCRIPTIONS).map(([name, description]) => ({ kind: 'plain' as const, name, description }));
    const { resource, clientSecret } = await registerResource({ identifier, name: 'Notes (MCP)', scopes, accessTokenLifetime: TOKEN_LIFETIME }, {}, server.ctx);
    mcp = await startMcpServer({ gatehouseUrl: server.url, identifier, clientId: resource.clientId, clientSecret, port, now: () => Date.now() + skew });
    callback = await startCallbackListener();
    documents = await startLoopbackHttps((req, res) => {
      const body = JSON.stringify(clientDocument);
      if (req.url !== '/mcp-client.json' || !clientDocument) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(body);
    });
    person = await personFor(kind.name, server);
  });
  after(async () => {
    await person?.close();
    await callback?.close();
    await documents?.close();
    await mcp?.close();
    await server?.close();
  });

  interface Variant {
    provider: TestOAuthProvider;
    /** The name the consent page and the console show for the client. */
    appName: string;
    /** The client id the authorization request must carry (undefined: whatever the SDK registered). */
    clientId?: string;
    note: string;
    /** More the consent page must say about this kind of client. */
    consentShows?: RegExp[];
    /** Names the consent page's screenshot (test-results/examples/mcp-consent-NAME.png). */
    screenshot: string;
    /** Sees every HTTP call the SDK made, at the end. */
    onCalls?: (calls: RecordedCall[]) => void;
  }

  /** The whole journey, for one way of getting a client id. */
  async function journey(variant: Variant): Promise<void> {
    const { provider, appName, note } = variant;
    skew = 0;
    syncClock();
    const recorder = recordingFetch();
    const connect = async () => {
      const client = new Client({ name: 'mcp-interop-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp.mcpUrl), { authProvider: provider, fetch: recorder.fetch }));
      return client;
    };

    // 1. No token: 401, discovery, and a redirect to Gatehouse's authorize endpoint.
    const first = new StreamableHTTPClientTransport(new URL(mcp.mcpUrl), { authProvider: provider, fetch: recorder.fetch });
    await assert.rejects(new Client({ name: 'mcp-interop-test', version: '1.0.0' }).connect(first), UnauthorizedError);
    assert.ok(recorder.calls.some((call) => call.url.href === mcp.mcpUrl && call.status === 401), 'the first MCP request was refused with 401');
    const seen = recorder.calls.map((call) => `${call.method} ${call.status} ${call.url.pathname}`);
    assert.ok(seen.includes('GET 200 /.well-known/oauth-protected-resource/mcp'), seen.join(', '));
    assert.ok(seen.includes('GET 200 /.well-known/oauth-authorization-server'), seen.join(', '));
    const authorizeUrl = provider.authorizationUrls[0];
    assert.ok(authorizeUrl, 'the SDK asked for the authorization page');
    assert.equal(authorizeUrl.origin + authorizeUrl.pathname, `${server.url}/api/developers/oauth2/authorize`);
    const query = authorizeUrl.searchParams;
    const clientId = query.get('client_id') ?? '';
    if (variant.clientId !== undefined) assert.equal(clientId, variant.clientId);
    assert.equal(query.get('resource'), mcp.mcpUrl, 'RFC 8707: the MCP server is named as the resource');
    assert.equal(query.get('code_challenge_method'), 'S256');
    assert.deepEqual(query.get('scope')?.split(' ').sort(), ['mcp:tools', 'mcp:write', 'offline_access']);

    // 2. The person signs in and allows; the browser comes back to the client's loopback listener.
    const consent = await person.authorize(authorizeUrl, `mcp-consent-${variant.screenshot}`);
    if (consent !== undefined) {
      assert.match(consent, new RegExp(appName.replace(/[()]/g, '\\$&')));
      assert.match(consent, /On Notes \(MCP\)/);
      for (const description of Object.values(SCOPE_DESCRIPTIONS)) assert.match(consent, new RegExp(description));
      for (const expected of variant.consentShows ?? []) assert.match(consent, expected);
    }
    const response = await callback.next();
    assert.equal(response.searchParams.get('state'), provider.expectedState);
    assert.equal(response.searchParams.get('iss'), server.url, 'RFC 9207');
    const code = response.searchParams.get('code');
    assert.ok(code, `a code in ${response.href}`);
    syncClock();
    await first.finishAuth(code);
    const issued = provider.savedTokens.at(-1);
    assert.ok(issued?.access_token && issued.refresh_token, 'an access token and a refresh token');
    assert.equal(claimsOf(issued.access_token).aud, mcp.mcpUrl, 'the token is for the MCP server alone');
    assert.equal(claimsOf(issued.access_token).client_id, clientId);
    assert.equal(issued.expires_in, TOKEN_LIFETIME);

    // 3. Reconnect and use the tools.
    const client = await connect();
    assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name).sort(), ['add_note', 'search_notes']);
    assert.match(textOf(await client.callTool({ name: 'add_note', arguments: { text: note } })), /Saved note #\d+/);
    assert.match(textOf(await client.callTool({ name: 'search_notes', arguments: { query: note } })), new RegExp(note));

    // 4. The access token expires (on the MCP server's clock): the SDK refreshes and calls again.
    skew = (TOKEN_LIFETIME + 10) * 1000;
    syncClock();
    const savedSoFar = provider.savedTokens.length;
    assert.match(textOf(await client.callTool({ name: 'search_notes', arguments: { query: note } })), new RegExp(note));
    assert.equal(provider.savedTokens.length, savedSoFar + 1, 'new tokens were saved');
    const refreshed = provider.savedTokens.at(-1);
    assert.ok(refreshed?.refresh_token && refreshed.refresh_token !== issued.refresh_token, 'a public client gets a rotated refresh token');
    assert.notEqual(refreshed.access_token, issued.access_token);
    const refresh = recorder.calls.find((call) => call.form?.get('grant_type') === 'refresh_token');
    assert.equal(refresh?.status, 200);
    assert.equal(refresh?.form?.get('resource'), mcp.mcpUrl, 'the refresh names the MCP server too');

    // 5. The person revokes the connection in the console: the next call is refused, and the SDK
    // (whose refresh token is dead too) reports that it needs the person again.
    const app = await server.store.apps.byClientId(clientId);
    assert.ok(app, `Gatehouse knows the client ${clientId}`);
    await person.revoke(appName, app.id);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const probe = await fetch(mcp.mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${refreshed.access_token}`, 'content-type': 'application/json' }, body: '{}' });
      if (probe.status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await assert.rejects(client.callTool({ name: 'search_notes', arguments: {} }), UnauthorizedError);
    const refused = recorder.calls.filter((call) => call.form?.get('grant_type') === 'refresh_token').at(-1);
    assert.equal(refused?.status, 400, 'the refresh token was refused');
    assert.equal(provider.authorizationUrls.length, 2, 'the SDK asks the person to authorize again');
    variant.onCalls?.(recorder.calls);
    await client.close();
  }

  it('connects with a pre-registered public app: 401 → discovery → sign-in → tools → refresh → revoked', { timeout: 90_000 }, async (t) => {
    if (person.skip) return t.skip(person.skip);
    // A public app registered in the console for the client's loopback redirect (any port, RFC 8252 §7.3).
    const { app } = await registerApp({ tenantId: server.tenant.id, name: 'Desktop MCP client', redirectUris: ['http://127.0.0.1/callback'] }, server.ctx);
    const provider = new TestOAuthProvider({ redirectUrl: callback.redirectUrl, clientId: app.clientId });
    await journey({ provider, appName: 'Desktop MCP client', clientId: app.clientId, note: 'Buy oat milk', screenshot: 'pre-registered' });
  });

  it('connects with a client ID metadata document on loopback: the SDK uses its URL as client id', { timeout: 90_000 }, async (t) => {
    if (person.skip) return t.skip(person.skip);
    const clientId = `${documents.origin}/mcp-client.json`;
    clientDocument = { client_id: clientId, client_name: 'Notes agent (metadata document)', redirect_uris: [callback.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
    const provider = new TestOAuthProvider({ redirectUrl: callback.redirectUrl, clientMetadataUrl: clientId });
    await journey({ provider, appName: 'Notes agent (metadata document)', clientId,
      note: 'Call the plumber',
      screenshot: 'metadata-document',
      consentShows: [/127\.0\.0\.1:\d+ says it is Notes agent \(metadata document\)/, /Not verified/, /send you back to a program on this computer/],
    });
    const app = await server.store.apps.byClientId(clientId);
    assert.equal(app?.registration, 'metadata_document');
    assert.equal(app?.tenantId, null, 'a document client belongs to no account');
  });

  it('connects by dynamic client registration: the SDK registers itself at POST /oauth2/register', { timeout: 90_000 }, async (t) => {
    if (person.skip) return t.skip(person.skip);
    const provider = new TestOAuthProvider({ redirectUrl: callback.redirectUrl, clientName: 'Notes agent (registered itself)' });
    let registrations: number[] = [];
    await journey({
      provider,
      appName: 'Notes agent (registered itself)',
      note: 'Renew the passport',
      screenshot: 'registered',
      consentShows: [/registered by the client itself, not verified/, new RegExp(`Sends you back to ${new URL(callback.redirectUrl).host.replace(/\./g, '\\.')}`)],
      onCalls: (calls) => {
        registrations = calls.filter((call) => call.method === 'POST' && call.url.pathname === '/oauth2/register').map((call) => call.status);
      },
    });
    assert.deepEqual(registrations, [201], 'the SDK registered once, before the first authorization');
    const info = provider.clientInformation();
    assert.ok(info && !('client_secret' in info && info.client_secret), 'a public client: no secret');
    const app = await server.store.apps.byClientId(info.client_id);
    assert.equal(app?.registration, 'dynamic');
    assert.equal(app?.tenantId, null, 'a registered client belongs to no account');
    assert.deepEqual(app?.redirectUris, [callback.redirectUrl]);
  });
});
