// A small authorization server for the kit's tests, obeying the contract Gatehouse serves:
// RFC 8414 discovery, JWKS, the revocation feed (snapshot, cursor, long poll, has_more,
// resource_deleted, Basic credentials) and RFC 7662 introspection. Counts every call so tests
// can see what the kit asks for; `feedDown` makes the feed answer 503.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { claimsOf, createKey, mintToken, nowSeconds, type MintOptions, type TestKey } from './fake-signer.ts';

export const AUDIENCE = 'https://notes.example.com/api';

interface Revocation {
  fid: string;
  jti?: string;
  revoked_at: number;
  reason: string;
}

export class FakeAuthorizationServer {
  readonly server: Server = createServer((req, res) => void this.#route(req, res));
  readonly credentials = { clientId: `rs_${randomBytes(10).toString('hex')}`, clientSecret: randomBytes(32).toString('hex') };
  readonly calls = { discovery: 0, jwks: 0, feed: 0, introspection: 0 };
  /** Keys published in the JWKS; the first signs by default. */
  published: TestKey[] = [];
  readonly revocations: Revocation[] = [];
  /** Revocations per feed page, so has_more can be tested. */
  pageSize = 100;
  feedDown = false;
  introspectionDown = false;
  /** What discovery says the issuer is, when not the truth. */
  metadataIssuer: string | undefined;
  /** The next feed call with a cursor answers 400 invalid_request, as for a cursor the server no longer knows. */
  rejectNextCursor = false;
  resourceDeleted = false;
  /** Feed requests as received: their query, for checking cursors and waits. */
  readonly feedQueries: URLSearchParams[] = [];
  readonly #waiters = new Set<() => void>();
  issuer = '';

  static async start(): Promise<FakeAuthorizationServer> {
    const fake = new FakeAuthorizationServer();
    fake.published.push(await createKey('RS256'));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.issuer = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  mint(options: MintOptions = {}): Promise<string> {
    return mintToken(this.issuer, AUDIENCE, options.key ?? (this.published[0] as TestKey), options);
  }

  /** Records a revocation of the token's family (as Gatehouse does) and wakes long polls at once. */
  revoke(token: string, reason = 'revoked_by_user', withJti = false): void {
    const claims = claimsOf(token);
    this.revocations.push({ fid: String(claims.fid), ...(withJti ? { jti: String(claims.jti) } : {}), revoked_at: nowSeconds(), reason });
    this.#wake();
  }

  deleteResource(): void {
    this.resourceDeleted = true;
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  async close(): Promise<void> {
    this.#wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  #authorized(req: IncomingMessage): boolean {
    const [scheme, value] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'basic' || !value) return false;
    const [id, secret] = Buffer.from(value, 'base64').toString('utf8').split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    return id === this.credentials.clientId && secret === this.credentials.clientSecret;
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    if (url.pathname === '/.well-known/oauth-authorization-server') {
      this.calls.discovery += 1;
      return this.#json(res, 200, {
        issuer: this.metadataIssuer ?? this.issuer,
        jwks_uri: `${this.issuer}/.well-known/jwks.json`,
        introspection_endpoint: `${this.issuer}/oauth2/introspect`,
        revocation_feed_endpoint: `${this.issuer}/oauth2/revocations`,
      });
    }
    if (url.pathname === '/.well-known/jwks.json') {
      this.calls.jwks += 1;
      return this.#json(res, 200, { keys: this.published.map((key) => key.publicJwk) });
    }
    if (url.pathname === '/oauth2/revocations') return this.#feed(req, res, url);
    if (url.pathname === '/oauth2/introspect' && req.method === 'POST') return this.#introspect(req, res);
    this.#json(res, 404, { error: 'not_found' });
  }

  async #feed(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    this.calls.feed += 1;
    this.feedQueries.push(url.searchParams);
    if (this.feedDown) return this.#json(res, 503, { error: 'temporarily_unavailable' });
    if (!this.#authorized(req)) return this.#json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const after = url.searchParams.get('after');
    if (after !== null && this.rejectNextCursor) {
      this.rejectNextCursor = false;
      return this.#json(res, 400, { error: 'invalid_request', error_description: 'Unknown cursor' });
    }
    // The cursor is opaque to the kit; here it is `c` and the count of revocations seen.
    if (after !== null && !/^c\d+$/.test(after)) return this.#json(res, 400, { error: 'invalid_request', error_description: 'Unknown cursor' });
    const from = after === null ? 0 : Number(after.slice(1));
    const wait = Math.min(30, Math.max(0, Number(url.searchParams.get('wait') ?? 0) || 0));
    if (after !== null && from >= this.revocations.length && !this.resourceDeleted && wait > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait * 1000);
        this.#waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (res.destroyed) return;
    const page = this.revocations.slice(from, from + this.pageSize);
    const cursor = `c${from + page.length}`;
    this.#json(res, 200, { revocations: page, cursor, has_more: from + page.length < this.revocations.length, resource_deleted: this.resourceDeleted });
  }

  async #introspect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.calls.introspection += 1;
    if (this.introspectionDown) return this.#json(res, 503, { error: 'temporarily_unavailable' });
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (!this.#authorized(req)) return this.#json(res, 401, { error: 'invalid_client' });
    const token = new URLSearchParams(body).get('token') ?? '';
    const claims = token.split('.').length === 3 ? claimsOf(token) : undefined;
    const revoked = claims !== undefined && this.revocations.some((r) => r.fid === claims.fid);
    const active = claims !== undefined && !revoked && !this.resourceDeleted && Number(claims.exp) > nowSeconds() && claims.aud === AUDIENCE;
    this.#json(res, 200, active ? { active: true, ...claims } : { active: false });
  }
}
