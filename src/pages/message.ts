// Plain message pages: errors that must not redirect, and the home page.
import { html, type Html } from './html.ts';
import { layout } from './layout.ts';

export function errorPage(title: string, message: string): string {
  return layout({
    title,
    body: html`<section class="card narrow"><h1>${title}</h1><p class="error" role="alert">${message}</p>
<p class="muted">If you came here from an app, tell its developer; the app's settings and its sign-in link do not match.</p></section>`,
  });
}

export function messagePage(title: string, body: Html, signedInAs?: { username: string; tenant: string; csrf: string }): string {
  return layout({ title, body: html`<section class="card narrow"><h1>${title}</h1>${body}</section>`, signedInAs });
}
