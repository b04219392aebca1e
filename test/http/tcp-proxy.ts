// A TCP forwarder between a test server and PostgreSQL that a test can cut and restore, to
// simulate an outage without touching the real database server.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** open: forwards. reset: drops every connection, and each new one at once. silent: accepts and never answers. */
export type ProxyMode = 'open' | 'reset' | 'silent';

export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private mode: ProxyMode = 'open';

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  /** Cuts every open connection and answers new ones as `mode` says. */
  cut(mode: Exclude<ProxyMode, 'open'>): void {
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.cut('reset');
    this.mode = 'open';
  }

  async close(): Promise<void> {
    this.cut('reset');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    this.track(client);
    if (this.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    if (this.mode === 'silent') return;
    const upstream = createConnection(target);
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
