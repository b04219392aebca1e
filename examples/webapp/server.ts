// The example web app's static server: bundles src/app.ts (with @gatehouse/client) by esbuild at
// start, and serves the page at /webapp, which is also its redirect URL. No server-side OAuth.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Endpoints } from '@gatehouse/client';
import { build } from 'esbuild';
import { clientConfigFor } from '../shared/gatehouse.ts';
import { closeServer, listen, send, type RunningExample } from '../shared/http.ts';
import { redirectUriOf, type ExampleSettings } from '../shared/settings.ts';
import type { PageConfig } from './src/page-config.ts';

export const WEBAPP_SCOPE = 'profile source:w offline_access';

const here = (path: string) => new URL(path, import.meta.url);

/** The browser code as one ES module: the app and the SDK, no CDN, nothing fetched at run time. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [here('./src/app.ts').pathname],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  return output.text;
}

/** Where the page sends requests: the API, and the token, token_info and revoke endpoints. */
function apiOrigins(baseUrl: string, endpoints: Partial<Endpoints> = {}): string[] {
  const urls = [baseUrl, endpoints.token, endpoints.tokenInfo, endpoints.revoke].filter((url): url is string => url !== undefined);
  return [...new Set(urls.map((url) => new URL(url).origin))];
}

export async function startWebappExample(settings: Pick<ExampleSettings, 'gatehouseUrl' | 'clientId' | 'port' | 'tenant'>): Promise<RunningExample> {
  const [script, template, style] = await Promise.all([bundle(), readFile(here('./index.html'), 'utf8'), readFile(here('../shared/style.css'), 'utf8')]);
  let page = '';
  let csp = '';
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed', { allow: 'GET, HEAD' });
    if (path === '/') return send(response, 302, 'text/plain; charset=utf-8', '', { location: '/webapp' });
    if (path === '/webapp') return send(response, 200, 'text/html; charset=utf-8', page, { 'content-security-policy': csp });
    if (path === '/webapp/app.js') return send(response, 200, 'text/javascript; charset=utf-8', script);
    if (path === '/webapp/style.css') return send(response, 200, 'text/css; charset=utf-8', style);
    if (path === '/favicon.ico') return send(response, 204, 'image/x-icon', '');
    return send(response, 404, 'text/plain; charset=utf-8', 'Not found: the app lives at /webapp');
  };
  const { server, port } = await listen(handler, settings.port);
  try {
    // Port 0 (tests) is known only now, and the redirect URL names it.
    const client = await clientConfigFor(settings, redirectUriOf('webapp', port));
    const config: PageConfig = {
      client: { baseUrl: client.baseUrl, issuer: client.issuer, requireIss: client.requireIss, clientId: client.clientId, redirectUri: client.redirectUri, endpoints: client.endpoints },
      scope: WEBAPP_SCOPE,
      ...(settings.tenant === undefined ? {} : { tenant: settings.tenant }),
    };
    // JSON inside a script element: "<" escaped so no value can end the element.
    page = template.replace('__CONFIG__', () => JSON.stringify(config).replace(/</g, '\\u003c'));
    // The page may talk to Gatehouse and nothing else; it loads only its own script and style.
    csp = [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `connect-src ${apiOrigins(client.baseUrl, client.endpoints).join(' ')}`,
      "img-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return { url: `http://localhost:${port}`, port, close: () => closeServer(server) };
}
