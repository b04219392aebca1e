// Drives the login and consent pages over plain HTTP, the way a browser would: a cookie jar,
// the forms' hidden fields, and no automatic redirects so each step can be inspected.
import { request as httpRequest } from 'node:http';

const unescape = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden inputs of the form whose action matches. */
export function formFields(html: string, action: string): Record<string, string> {
  return Object.fromEntries(formPairs(html, action));
}

/** The hidden fields in order, repeats kept (the consent form repeats `resource`). */
export function formPairs(html: string, action: string): [string, string][] {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form with action ${action} in page:\n${html.slice(0, 500)}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  return [...form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescape(m[1] ?? ''), unescape(m[2] ?? '')]);
}

/** An authorize query built the way ilert's samples build it: URLSearchParams (spaces become `+`). */
export function authorizeQuery(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.append(name, value);
  return query.toString();
}

export interface Account {
  tenant: string;
  username: string;
  password: string;
}

/** An HTTP request whose Host header is set explicitly (acme.localhost on a loopback server). */
function requestWithHost(url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
        }
        const status = incoming.statusCode ?? 500;
        const content = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(content, { status, headers: responseHeaders }));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export class Browserless {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Gecko/20100101 Firefox/128.0',
  ) {}

  /** `json`: a JSON body; `headers`: more request headers (e.g. X-CSRF-Token). */
  async request(path: string, init: { method?: string; form?: Record<string, string> | [string, string][]; json?: unknown; headers?: Record<string, string>; host?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.host) headers.host = init.host;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const url = new URL(path, this.baseUrl);
    const method = init.method ?? (body ? 'POST' : 'GET');
    // fetch always sends the URL's own Host, so a tenant host needs node:http.
    const response = init.host ? await requestWithHost(url, method, headers, body) : await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async signIn(tenant: string, username: string, password: string, returnTo = '/', host?: string): Promise<Response> {
    const page = await (await this.request(`/login?return_to=${encodeURIComponent(returnTo)}`, { host })).text();
    const fields = formFields(page, '/login');
    return this.request('/login', { form: { ...fields, tenant, username, password }, host });
  }

  /**
   * Opens an authorize URL, signs in if asked, and answers the consent page if shown.
   * Returns the final redirect to the client (its Location), or the last response when there is none.
   */
  async authorize(
    query: string,
    options: { tenant: string; username: string; password: string; decision?: 'allow' | 'deny'; host?: string },
  ): Promise<{ location?: URL; response: Response }> {
    const path = `/api/developers/oauth2/authorize?${query}`;
    let response = await this.request(path, { host: options.host });
    let html = response.status === 200 ? await response.text() : '';
    if (html.includes('action="/login"')) {
      const fields = formFields(html, '/login');
      const form: Record<string, string> = { ...fields, username: options.username, password: options.password };
      if (html.includes('name="tenant"')) form.tenant = options.tenant;
      response = await this.request('/login', { form, host: options.host });
      if (response.status !== 303) return { response };
      response = await this.request(response.headers.get('location') ?? '/', { host: options.host });
      html = response.status === 200 ? await response.text() : '';
    }
    if (html.includes('name="decision"')) {
      const fields = formPairs(html, '/api/developers/oauth2/authorize');
      response = await this.request('/api/developers/oauth2/authorize', {
        form: [...fields, ['decision', options.decision ?? 'allow']],
        host: options.host,
      });
    }
    const location = response.headers.get('location');
    return { location: location ? new URL(location) : undefined, response };
  }

  /** Authorizes (signing in and allowing as needed) and returns the code; throws when there is none. */
  async authorizeCode(query: string, account: Account & { host?: string }): Promise<string> {
    const { location, response } = await this.authorize(query, account);
    const code = location?.searchParams.get('code');
    if (!code) throw new Error(`no code: status ${response.status}, location ${location?.toString() ?? '(none)'}`);
    return code;
  }

  /** Puts a cookie into the jar, as if the server had set it (e.g. a session started by a test). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  /** The cookies the jar holds, by name. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}
