// The page frame shared by login, consent and error pages: no scripts, no third-party content.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Html, html } from './html.ts';

// The stylesheet is cached for an hour; its hash in the URL makes a new version load at once.
const STYLE_VERSION = createHash('sha256')
  .update(readFileSync(new URL('./style.css', import.meta.url)))
  .digest('hex')
  .slice(0, 12);

// A shield with a keyhole, inline so it needs no image request.
const MARK = html`<svg class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 1.5 3.5 5v6.2c0 5.3 3.6 10 8.5 11.3 4.9-1.3 8.5-6 8.5-11.3V5z"/><path fill="#14213d" d="M12 7.2a2.3 2.3 0 0 0-1.15 4.3v3.8h2.3v-3.8A2.3 2.3 0 0 0 12 7.2z"/></svg>`;

export interface LayoutOptions {
  title: string;
  body: Html;
  /** Who is signed in, for the header. */
  signedInAs?: { username: string; tenant: string; csrf: string };
}

export function layout({ title, body, signedInAs }: LayoutOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<title>${title} · Gatehouse</title>
<link rel="stylesheet" href="/assets/style.css?v=${STYLE_VERSION}">
</head>
<body>
<header class="top">
  <a class="brand" href="/">${MARK}<span>Gatehouse</span></a>
  ${
    signedInAs
      ? html`<form class="signed-in" method="post" action="/logout">
      <span>${signedInAs.username} · ${signedInAs.tenant}</span>
      <input type="hidden" name="csrf" value="${signedInAs.csrf}">
      <button type="submit" class="link">Sign out</button>
    </form>`
      : ''
  }
</header>
<main>
${body}
</main>
</body>
</html>
`.value;
}
