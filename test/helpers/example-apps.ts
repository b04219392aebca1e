// What the browser tests of examples/ share: a free port for an example, an app registered for
// its redirect URL, a fetch that records the SDK's calls, and screenshots and page checks
// (test-results/examples/).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { redirectUriOf, type ExampleKind } from '../../examples/shared/settings.ts';
import { BACKCHANNEL_LOGOUT_PATH, SIGNED_OUT_PATH } from '../../examples/webservice/sign-in.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { pageProblems } from '../e2e/page-checks.ts';
import type { TestServer } from './server.ts';

/**
 * Registers an app in the test server's tenant whose redirect URL is the example's on this port;
 * the web service's also gets its post-logout URI and back-channel logout URI, as the demo's has.
 */
export async function registerExampleApp(server: TestServer, kind: ExampleKind, port: number, name: string) {
  const { app, clientSecret } = await registerApp({ tenantId: server.tenant.id, name, redirectUris: [redirectUriOf(kind, port)] }, server.ctx);
  if (kind === 'webservice') {
    const origin = `http://localhost:${port}`;
    await server.store.apps.update(app.id, { postLogoutRedirectUris: [origin + SIGNED_OUT_PATH], backchannelLogoutUri: origin + BACKCHANNEL_LOGOUT_PATH }, server.clock.now());
  }
  return { clientId: app.clientId, clientSecret };
}

export interface RecordedCall {
  method: string;
  url: URL;
  status: number;
  /** The form the SDK posted (token, revoke, token_info). */
  form?: URLSearchParams;
  /** The JSON answer of the token endpoint. */
  tokens?: { access_token?: string; refresh_token?: string; scope?: string };
}

/** A fetch for the SDK that passes every call on and remembers it. */
export function recordingFetch(): { fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    calls,
    async fetch(input, init) {
      const request = new Request(input, init);
      const isForm = request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded') ?? false;
      const form = isForm ? new URLSearchParams(await request.clone().text()) : undefined;
      const response = await fetch(request);
      const url = new URL(request.url);
      const tokens = url.pathname.endsWith('/oauth2/token') && response.ok ? ((await response.clone().json()) as RecordedCall['tokens']) : undefined;
      calls.push({ method: request.method, url, status: response.status, ...(form ? { form } : {}), ...(tokens ? { tokens } : {}) });
      return response;
    },
  };
}

const SCREENSHOTS = new URL('../../test-results/examples/', import.meta.url);

/** A full-page PNG of what the browser shows now, for people to look at. */
export async function exampleScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: fileURLToPath(new URL(`${name}.png`, SCREENSHOTS)), fullPage: true });
}

/**
 * An example's own page at desktop and phone width: screenshots of both, and the problems a person
 * would notice (unlabelled fields, faint text, sideways scrolling, small controls), in words.
 */
export async function inspectExamplePage(page: Page, name: string): Promise<string[]> {
  const original = page.viewportSize();
  const problems: string[] = [];
  for (const [width, height, suffix] of [[1280, 860, ''], [375, 740, '-375']] as const) {
    await page.setViewportSize({ width, height });
    problems.push(...(await pageProblems(page)).map((problem) => `${name} @${width}px: ${problem}`));
    await exampleScreenshot(page, `${name}${suffix}`);
  }
  if (original) await page.setViewportSize(original);
  return problems;
}

/** Script errors and console errors (CSP refusals land there) of a page, for an assertion at the end. */
export function pageTrouble(page: Page): string[] {
  const trouble: string[] = [];
  page.on('pageerror', (error) => trouble.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    // A refused request is asserted where it matters (the 401s the apps recover from are expected).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) trouble.push(`console: ${message.text()}`);
  });
  return trouble;
}
