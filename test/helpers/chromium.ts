// Launches the system Chromium (Debian's `chromium` package) for browser tests. Never downloads a
// browser: when it is missing, CI fails loudly and a developer's machine skips with a reason.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { trackClosable } from './processes.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_MISSING = `${CHROMIUM_PATH} is missing; install it with "apt-get install -y chromium" to run the browser tests`;

// Quiet and offline: nothing but the pages under test talks to the network.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** The browser, or undefined (skip the test with CHROMIUM_MISSING) when Chromium is absent outside CI. */
export async function launchChromium(): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM_PATH)) {
    if (process.env.CI === 'true') throw new Error(`${CHROMIUM_MISSING} (browser tests must not be skipped in CI)`);
    return undefined;
  }
  // Closed when the file's tests are over even if a test timed out before its after-hook could.
  return trackClosable(await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS }));
}
