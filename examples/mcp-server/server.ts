// The MCP server: the notes tools over streamable HTTP at the server's URL (e.g.
// http://localhost:4599/mcp), behind Gatehouse with @gatehouse/resource. Every MCP request needs a
// token whose `aud` is that URL and which holds `mcp:tools` (401 with `resource_metadata`
// otherwise, which is how an MCP client finds Gatehouse); calling add_note needs `mcp:write` too
// (403 insufficient_scope naming both, which MCP clients answer by asking for more). The RFC 9728
// document is served at /.well-known/oauth-protected-resource/mcp.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createVerifier, type Verified, type Verifier } from '@gatehouse/resource';
import { authenticateRequest, sendRefusal, serveMetadata } from '@gatehouse/resource/node';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { closeServer, listen, type RunningExample } from '../shared/http.ts';
import { NoteStore, notesMcpServer, scopesForMessages, TOOLS_SCOPE, WRITE_SCOPE } from './tools.ts';

export interface McpServerSettings {
  /** Gatehouse's PUBLIC_URL (its issuer). */
  gatehouseUrl: string;
  /** This server's URL, registered with `gatehouse resources create --identifier`: the tokens' `aud`. */
  identifier: string;
  /** The credentials `gatehouse resources create` printed, for the revocation feed. */
  clientId: string;
  clientSecret: string;
  port: number;
  /** The verifier's clock (milliseconds), for tests that need a token to expire. */
  now?: () => number;
}

const MAX_BODY = 256 * 1024;

// Browser-based MCP clients (an inspector, a web IDE) call from another origin. The token travels
// in a header, never in a cookie, so any origin may ask; the challenge headers must be readable.
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept, mcp-protocol-version, mcp-session-id, last-event-id',
  'access-control-expose-headers': 'www-authenticate, mcp-session-id, mcp-protocol-version',
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** JSON-RPC's own error shape, for what never reaches the MCP transport. */
const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

/** The parsed body, or a reason it cannot be one. */
async function jsonBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY) return { ok: false, status: 413, message: `The body may be at most ${MAX_BODY} bytes` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'Parse error: the body is not JSON' };
  }
}

/** The MCP SDK's view of the verified token, for tools that want it (`extra.authInfo`). */
function authInfoOf(auth: Verified, identifier: string) {
  return { token: auth.token, clientId: auth.claims.client_id, scopes: auth.claims.scope.split(' ').filter(Boolean), expiresAt: auth.claims.exp, resource: new URL(identifier) };
}

export async function startMcpServer(settings: McpServerSettings): Promise<RunningExample & { verifier: Verifier; mcpUrl: string }> {
  const identifier = new URL(settings.identifier);
  const mcpPath = identifier.pathname;
  const verifier = createVerifier({
    issuer: settings.gatehouseUrl,
    audience: settings.identifier,
    credentials: { clientId: settings.clientId, clientSecret: settings.clientSecret },
    scopes: { plain: [TOOLS_SCOPE, WRITE_SCOPE] },
    resourceName: 'Notes (MCP example)',
    ...(settings.now ? { now: settings.now } : {}),
  });
  const notes = new NoteStore();

  async function answerMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    // The token first: a client without one learns where to get it before anything is read.
    const auth = await authenticateRequest(verifier, req, res, { scope: TOOLS_SCOPE });
    if (!auth) return;
    // Stateless: every POST stands alone, so there is no stream to GET and no session to DELETE.
    if (req.method !== 'POST') return sendJson(res, 405, rpcError(-32000, 'Method not allowed: this server answers POST only'), { allow: 'POST, OPTIONS' });
    const body = await jsonBody(req);
    if (!body.ok) return sendJson(res, body.status, rpcError(-32700, body.message));
    const refusal = verifier.checkScope(auth, scopesForMessages(body.value), 'POST');
    if (refusal) return sendRefusal(res, refusal);

    const server = notesMcpServer(notes, `${auth.claims.tenant}/${auth.claims.sub}`);
    // Host checks keep a web page that rebinds its own name to 127.0.0.1 from reaching the server.
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, enableDnsRebindingProtection: true, allowedHosts: [identifier.host] });
    res.once('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(Object.assign(req, { auth: authInfoOf(auth, settings.identifier) }), res, body.value);
  }

  const { server, port } = await listen(async (req, res) => {
    if (serveMetadata(verifier, req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path === mcpPath) return answerMcp(req, res);
    sendJson(res, 404, { error: 'not_found', error_description: `the MCP endpoint is ${settings.identifier}` });
  }, settings.port);
  // Discovery, keys and the feed now, so a wrong setting shows at start and not at the first request.
  await verifier.start().catch(async (error: unknown) => {
    await closeServer(server);
    throw error;
  });
  return {
    url: `http://localhost:${port}`,
    mcpUrl: settings.identifier,
    port,
    verifier,
    async close() {
      await verifier.close();
      await closeServer(server);
    },
  };
}
