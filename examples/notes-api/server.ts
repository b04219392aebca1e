// The notes API: a third-party API behind Gatehouse, protected with @gatehouse/resource in this
// one file. Every route checks the token's scopes (the `notes` family by method, `notes.export`
// for the export), learns of revocations from Gatehouse's feed, and publishes its RFC 9728
// metadata, so a client that knows only this API's URL finds where to get a token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createVerifier, type Verifier } from '@gatehouse/resource';
import { authenticateRequest, serveMetadata } from '@gatehouse/resource/node';
import { closeServer, listen, type RunningExample } from '../shared/http.ts';
import { Notebooks, scopeFor } from './notes.ts';

export interface NotesApiSettings {
  /** Gatehouse's PUBLIC_URL (its issuer). */
  gatehouseUrl: string;
  /** This API's identifier, as registered with `gatehouse resources create --identifier`: its base URL. */
  identifier: string;
  /** The credentials `gatehouse resources create` printed, for the revocation feed. */
  clientId: string;
  clientSecret: string;
  port: number;
}

const MAX_BODY = 64 * 1024;

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY) return undefined;
  }
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startNotesApi(settings: NotesApiSettings): Promise<RunningExample & { verifier: Verifier }> {
  const base = new URL(settings.identifier).pathname.replace(/\/$/, '');
  const verifier = createVerifier({
    issuer: settings.gatehouseUrl,
    audience: settings.identifier,
    credentials: { clientId: settings.clientId, clientSecret: settings.clientSecret },
    scopes: { families: ['notes'], plain: ['notes.export'] },
    resourceName: 'Notes (example)',
  });
  const notebooks = new Notebooks();
  const { server, port } = await listen(async (req, res) => {
    if (serveMetadata(verifier, req, res)) return;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith(`${base}/`)) return sendJson(res, 404, { error: 'not_found', error_description: `this API lives under ${base}/` });
    const route = path.slice(base.length);
    const method = req.method ?? 'GET';
    const auth = await authenticateRequest(verifier, req, res, { scope: scopeFor(method, route) });
    if (!auth) return;
    const body = method === 'POST' || method === 'PUT' ? await jsonBody(req) : undefined;
    const answer = notebooks.answer({ method, path: route, body, owner: `${auth.claims.tenant}/${auth.claims.sub}` });
    sendJson(res, answer.status, answer.body);
  }, settings.port);
  // Discovery, keys and the feed now, so a wrong setting shows at start and not at the first request.
  await verifier.start().catch(async (error: unknown) => {
    await closeServer(server);
    throw error;
  });
  return {
    url: `http://localhost:${port}`,
    port,
    verifier,
    async close() {
      await verifier.close();
      await closeServer(server);
    },
  };
}
