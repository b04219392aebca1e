// What a person does in the browser during an authorization: open the app's link, sign in on the
// login page, and look at the result. Shared by the browser tests.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { PASSWORD, type TestServer } from '../helpers/server.ts';

export const AUTHORIZE_PATH = '/api/developers/oauth2/authorize';

export function authorizeUrl(server: TestServer, params: Record<string, string>): string {
  return `${server.url}${AUTHORIZE_PATH}?${new URLSearchParams(params).toString()}`;
}

/** Fills the login form by its visible labels (so a missing label fails the test) and submits it. */
export async function signIn(page: Page, account = 'acme', username = 'jane', password = PASSWORD): Promise<void> {
  await page.getByLabel('Account').fill(account);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname === AUTHORIZE_PATH), page.getByRole('button', { name: 'Sign in' }).click()]);
}

const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url);
export const WIDTHS = [375, 1440] as const;

/** Full-page PNGs at phone and desktop width, for people to look at (test-results/ is gitignored). */
export async function screenshotAtWidths(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 600 ? 740 : 900 });
    await page.screenshot({ path: fileURLToPath(new URL(`${name}-${width}.png`, SCREENSHOTS)), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}
