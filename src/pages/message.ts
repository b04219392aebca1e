// Plain message pages: errors that must not redirect, and the home page.
import { html, type Html } from './html.ts';
import { layout } from './layout.ts';

/** An error page: what went wrong, and optionally what the person can do about it. */
export function errorPage(title: string, message: string, hint?: string): string {
  return layout({
    title,
    body: html`<section class="card narrow"><h1>${title}</h1><p class="alert" role="alert">${message}</p>
${hint ? html`<p class="muted">${hint}</p>` : ''}<p class="small"><a href="/">Go to the Gatehouse start page</a></p></section>`,
  });
}

export function messagePage(title: string, body: Html, signedInAs?: { username: string; tenant: string; csrf: string }): string {
  return layout({ title, body: html`<section class="card narrow"><h1>${title}</h1>${body}</section>`, signedInAs });
}
