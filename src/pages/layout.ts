// The page frame shared by login, consent and error pages: no scripts, no third-party content.
import { type Html, html } from './html.ts';

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
<title>${title} · Gatehouse</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<header class="top">
  <a class="brand" href="/">Gatehouse</a>
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
