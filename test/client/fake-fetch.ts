// A scripted stand-in for fetch and the clock, so unit tests see every request the SDK sends and
// decide every answer (and when it arrives).

export interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  /** The form body, decoded (empty for other bodies). */
  form: URLSearchParams;
}

type Answer = (request: SeenRequest) => Response | Promise<Response>;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export class FakeFetch {
  readonly requests: SeenRequest[] = [];
  private readonly routes = new Map<string, Answer>();

  /** Answers requests whose URL path is `path`. */
  on(path: string, answer: Answer): this {
    this.routes.set(path, answer);
    return this;
  }

  /** Requests to `path`, in order. */
  to(path: string): SeenRequest[] {
    return this.requests.filter((r) => new URL(r.url).pathname === path);
  }

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const body = await request.text();
    const seen: SeenRequest = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      form: request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body) : new URLSearchParams(),
    };
    this.requests.push(seen);
    const answer = this.routes.get(new URL(request.url).pathname);
    if (!answer) return new Response('not found', { status: 404 });
    return answer(seen);
  };
}

/** A clock the test moves by hand (ms since the epoch). */
export class FakeClock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  readonly now = () => this.time;
  advance(seconds: number): void {
    this.time += seconds * 1000;
  }
}

/** A promise and the functions that settle it, to hold an answer back until the test lets it go. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A token response as Gatehouse sends it. */
export function tokenResponse(access: string, refresh?: string, expiresIn = 3600): Response {
  return json(
    200,
    { token_type: 'Bearer', access_token: access, expires_in: expiresIn, scope: 'profile offline_access', ...(refresh ? { refresh_token: refresh, refresh_token_expires_in: 31536000 } : {}) },
    { 'cache-control': 'no-store' },
  );
}
