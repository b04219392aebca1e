// A browser in miniature for preparing benchmark data over HTTP: a cookie jar, the hidden fields of
// a page's form, no automatic redirects (each step is checked, as test/helpers/browserless.ts does).
const unescape = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden inputs of the form whose action matches; throws when the page has no such form. */
export function hiddenFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`expected a form posting to ${action}, got:\n${html.slice(0, 400)}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescape(m[1] ?? '')] = unescape(m[2] ?? '');
  }
  return fields;
}

export class CookieClient {
  private readonly jar = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  ) {}

  async request(path: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (this.jar.size > 0) headers.cookie = this.cookieHeader();
    let body: string | undefined;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(new URL(path, this.baseUrl), { method: form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  /** The Cookie header this browser sends now. */
  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }
}

/** Throws unless the response has the status; the message shows the start of its body. */
export async function expectStatus(response: Response, status: number, step: string): Promise<Response> {
  if (response.status !== status) {
    const body = await response.text().catch(() => '');
    throw new Error(`${step}: expected HTTP ${status}, got ${response.status}: ${body.slice(0, 300)}`);
  }
  return response;
}
