// The little HTTP the example servers need, on node:http alone: listening on loopback, answering
// with security headers, reading cookies and forms, escaping HTML.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningExample {
  /** http://localhost:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (the browser reaches it as http://localhost:PORT); port 0 picks a free one. */
export async function listen(handler: RequestListener, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    // One failing request must not take the example down; the visitor gets a plain 500.
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      console.error(`${request.method} ${request.url?.split('?')[0]}: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Something went wrong in the example app; see its console.');
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function send(response: ServerResponse, status: number, type: string, body: string | Uint8Array, headers: Record<string, string | string[]> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...headers });
  response.end(body);
}

export function redirect(response: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  response.writeHead(303, { ...SECURITY_HEADERS, location, ...headers });
  response.end();
}

export function cookies(request: IncomingMessage): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) found.set(part.slice(0, at).trim(), decodeURIComponent(part.slice(at + 1).trim()));
  }
  return found;
}

/** A host-only, HttpOnly, SameSite=Lax cookie (Lax: sent on the redirect back from Gatehouse, not on cross-site POSTs). */
export function cookie(name: string, value: string, options: { path?: string; maxAgeSeconds?: number } = {}): string {
  const maxAge = options.maxAgeSeconds === undefined ? '' : `; Max-Age=${options.maxAgeSeconds}`;
  return `${name}=${encodeURIComponent(value)}; Path=${options.path ?? '/'}; HttpOnly; SameSite=Lax${maxAge}`;
}

export async function readForm(request: IncomingMessage, limit = 10_000): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > limit) break;
  }
  return new URLSearchParams(body);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
