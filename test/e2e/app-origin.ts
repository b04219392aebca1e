// Answers for the apps' origin (http://localhost:4597), where nothing listens. Playwright's
// page.route never sees a request reached through a redirect, and the authorization response is
// exactly that, so this pauses requests with CDP's Fetch domain, which sees redirects too.
import type { Page } from 'playwright-core';

export const APP_ORIGIN = 'http://localhost:4597';

export interface AppResponse {
  status: number;
  contentType: string;
  body: string;
}

/** Serves the app origin from `respond` and returns the list of URLs the browser asked it for. */
export async function serveAppOrigin(page: Page, respond: (url: URL) => AppResponse): Promise<URL[]> {
  const cdp = await page.context().newCDPSession(page);
  const seen: URL[] = [];
  cdp.on('Fetch.requestPaused', (event) => {
    const url = new URL(event.request.url);
    const answer: AppResponse =
      url.pathname === '/favicon.ico' ? { status: 404, contentType: 'text/plain', body: '' } : (seen.push(url), respond(url));
    cdp
      .send('Fetch.fulfillRequest', {
        requestId: event.requestId,
        responseCode: answer.status,
        responseHeaders: [{ name: 'content-type', value: answer.contentType }],
        body: Buffer.from(answer.body).toString('base64'),
      })
      // The page may close while a request is paused; nothing is waiting for the answer then.
      .catch(() => undefined);
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${APP_ORIGIN}/*`, requestStage: 'Request' }] });
  return seen;
}

/** The backend app's redirect target: nothing to show, the URL is what matters. */
export const plainOk = (): AppResponse => ({ status: 200, contentType: 'text/plain', body: 'ok' });
