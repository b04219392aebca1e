// Drives the login and consent pages over plain HTTP, the way a browser would: a cookie jar,
// the forms' hidden fields, and no automatic redirects so each step can be inspected.

const unescape = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden inputs of the form whose action matches. */
export function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form with action ${action} in page:\n${html.slice(0, 500)}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescape(m[1] ?? '')] = unescape(m[2] ?? '');
  }
  return fields;
}

export class Browserless {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Gecko/20100101 Firefox/128.0',
  ) {}

  async request(path: string, init: { method?: string; form?: Record<string, string>; host?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.host) headers.host = init.host;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(new URL(path, this.baseUrl), { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
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
      const fields = formFields(html, '/api/developers/oauth2/authorize');
      response = await this.request('/api/developers/oauth2/authorize', {
        form: { ...fields, decision: options.decision ?? 'allow' },
        host: options.host,
      });
    }
    const location = response.headers.get('location');
    return { location: location ? new URL(location) : undefined, response };
  }
}
