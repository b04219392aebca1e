// A loopback HTTP server that serves client ID metadata documents (and the bad answers the
// fetch must refuse): each path answers what the test set for it, and every request is counted.
// Closed with its connections when the test file ends, even after a timeout.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackClosable } from './processes.ts';

export interface DocumentAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON (Content-Type application/json unless headers say otherwise). */
  body?: unknown;
  /** Never answer (a slow host). */
  hang?: boolean;
}

export interface DocumentServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The URL of a path on this server. */
  url(path: string): string;
  /** What a path answers from now on. */
  serve(path: string, answer: DocumentAnswer | ((request: IncomingMessage) => DocumentAnswer)): void;
  /** Requests received so far, per path. */
  hits(path: string): number;
  /** The Host headers received. */
  hosts: string[];
  close(): Promise<void>;
}

/** The metadata document of a public client at `clientId`, with these changes. */
export function clientDocument(clientId: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { client_id: clientId, client_name: 'Example Agent', redirect_uris: ['http://127.0.0.1:7777/callback'], token_endpoint_auth_method: 'none', ...changes };
}

export async function startDocumentServer(): Promise<DocumentServer> {
  const answers = new Map<string, DocumentAnswer | ((request: IncomingMessage) => DocumentAnswer)>();
  const counts = new Map<string, number>();
  const hosts: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    hosts.push(request.headers.host ?? '');
    const found = answers.get(path);
    const answer = typeof found === 'function' ? found(request) : (found ?? { status: 404, body: { error: 'not found' } });
    if (answer.hang) return;
    const isText = typeof answer.body === 'string' || Buffer.isBuffer(answer.body);
    const body = answer.body === undefined ? '' : isText ? (answer.body as string | Buffer) : JSON.stringify(answer.body);
    response.writeHead(answer.status ?? 200, { ...(isText ? {} : { 'content-type': 'application/json' }), ...answer.headers });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const documentServer: DocumentServer = {
    origin,
    url: (path) => `${origin}${path}`,
    serve: (path, answer) => void answers.set(path, answer),
    hits: (path) => counts.get(path) ?? 0,
    hosts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return trackClosable(documentServer);
}
