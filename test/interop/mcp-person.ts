// The person at the MCP client's side in the interop test: opens the authorization URL the SDK
// produced, signs in on Gatehouse's login page, allows on the consent page (the browser then lands
// on the client's loopback redirect), and later revokes the connection in the console. On SQLite
// that person uses Chromium; on PostgreSQL the same pages are driven over plain HTTP.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Browserless, formFields } from '../helpers/browserless.ts';
import { exampleScreenshot } from '../helpers/example-apps.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { PASSWORD, type TestServer } from '../helpers/server.ts';
import type { StoreKindName } from '../helpers/stores.ts';
import { signIn } from '../e2e/browser-steps.ts';

export interface Person {
  /** Set when this person cannot act here (no Chromium): skip with it. */
  skip?: string;
  /** Signs in and allows; resolves with the consent page's text (undefined over plain HTTP) once the browser left for the redirect. */
  authorize(url: URL, screenshot?: string): Promise<string | undefined>;
  /** Revokes the app's access in the console's App connections. */
  revoke(appName: string, appId: number): Promise<void>;
  close(): Promise<void>;
}

async function chromiumPerson(server: TestServer, browser: Browser): Promise<Person> {
  const context: BrowserContext = await browser.newContext();
  const page: Page = await context.newPage();
  return {
    async authorize(url, screenshot) {
      await page.goto(url.href);
      if (await page.getByLabel('Password').count()) await signIn(page);
      const consent = await page.locator('section.consent').innerText();
      if (screenshot) await exampleScreenshot(page, screenshot);
      await Promise.all([page.waitForURL((at) => at.hostname === '127.0.0.1'), page.getByRole('button', { name: 'Allow' }).click()]);
      return consent;
    },
    async revoke(appName) {
      await page.goto(`${server.url}/console/connections`);
      const card = page.locator('.connection', { hasText: appName });
      await Promise.all([page.waitForURL(`${server.url}/console/connections/*/revoke`), card.getByRole('link', { name: /Revoke access/ }).click()]);
      await Promise.all([page.waitForURL(`${server.url}/console/connections`), page.getByRole('button', { name: 'Revoke access' }).click()]);
      const notice = await page.getByRole('status').first().innerText();
      if (!notice.includes(`The access of ${appName} was revoked`)) throw new Error(`the console said: ${notice}`);
    },
    close: () => context.close(),
  };
}

function httpPerson(server: TestServer): Person {
  const agent = new Browserless(server.url);
  return {
    async authorize(url) {
      const { location, response } = await agent.authorize(url.search.slice(1), { tenant: 'acme', username: 'jane', password: PASSWORD });
      if (!location) throw new Error(`no redirect from the authorization: status ${response.status}`);
      await fetch(location);
      return undefined;
    },
    async revoke(_appName, appId) {
      const path = `/console/connections/${appId}/revoke`;
      const page = await agent.request(path);
      if (page.status !== 200) throw new Error(`${path}: ${page.status}`);
      const done = await agent.request(path, { form: formFields(await page.text(), path) });
      if (done.status !== 303) throw new Error(`revoking answered ${done.status}`);
    },
    close: async () => undefined,
  };
}

export async function personFor(store: StoreKindName, server: TestServer): Promise<Person> {
  if (store !== 'sqlite') return httpPerson(server);
  const browser = await launchChromium();
  if (!browser) return { skip: CHROMIUM_MISSING, authorize: async () => undefined, revoke: async () => undefined, close: async () => undefined };
  const person = await chromiumPerson(server, browser);
  return { ...person, close: async () => (await person.close(), await browser.close()) };
}
