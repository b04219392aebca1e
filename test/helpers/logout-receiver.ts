// A relying party's back-channel logout endpoint for tests: a node:http server on 127.0.0.1 that
// records every POST (its logout_token) and answers with the status a test sets per path.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedLogout {
  path: string;
  contentType: string | undefined;
  logoutToken: string | undefined;
}

export class LogoutReceiver {
  readonly received: ReceivedLogout[] = [];
  /** The status each path answers (default 200). */
  readonly statusOf = new Map<string, number>();
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LogoutReceiver> {
    const server = createServer();
    const receiver = new LogoutReceiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const body = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        if (request.method === 'POST') receiver.received.push({ path, contentType: request.headers['content-type'], logoutToken: body.get('logout_token') ?? undefined });
        response.writeHead(receiver.statusOf.get(path) ?? 200, { 'cache-control': 'no-store' }).end();
        for (const wake of receiver.waiters.splice(0)) wake();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  /** The URI of one of its paths, e.g. uri('/backchannel'). */
  uri(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** What reached a path so far. */
  at(path: string): ReceivedLogout[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Waits (at most `ms`) until `count` POSTs reached the path; returns them. */
  async waitFor(path: string, count = 1, ms = 5000): Promise<ReceivedLogout[]> {
    const deadline = Date.now() + ms;
    while (this.at(path).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${path} received ${this.at(path).length} logout tokens, not ${count}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.at(path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
