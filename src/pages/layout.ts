// The page frame shared by login, consent, error and console pages: one stylesheet, at most our own
// small script file (never inline), no third-party content.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { projectFile } from '../paths.ts';
import { type Html, html } from './html.ts';

// Assets are cached for an hour; their hash in the URL makes a new version load at once.
const versionOf = (file: string) =>
  createHash('sha256')
    .update(readFileSync(projectFile(file)))
    .digest('hex')
    .slice(0, 12);
const STYLE_VERSION = versionOf('src/pages/style.css');
const SCRIPT_VERSION = versionOf('src/pages/console.js');

/** The passkey pages' two scripts: @simplewebauthn/browser's bundle, then ours that uses it. */
export const WEBAUTHN_BUNDLE_FILE = 'node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js';
export const PASSKEYS_SCRIPT_FILE = 'src/pages/passkeys.js';
const PASSKEY_SCRIPTS = html`<script src="/assets/simplewebauthn-browser.js?v=${versionOf(WEBAUTHN_BUNDLE_FILE)}" defer></script>
<script src="/assets/passkeys.js?v=${versionOf(PASSKEYS_SCRIPT_FILE)}" defer></script>`;

// A shield with a keyhole, inline so it needs no image request.
const MARK = html`<svg class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 1.5 3.5 5v6.2c0 5.3 3.6 10 8.5 11.3 4.9-1.3 8.5-6 8.5-11.3V5z"/><path fill="#14213d" d="M12 7.2a2.3 2.3 0 0 0-1.15 4.3v3.8h2.3v-3.8A2.3 2.3 0 0 0 12 7.2z"/></svg>`;

export interface SignedInAs {
  username: string;
  /** The account, as shown: its name, or its slug. */
  tenant: string;
  csrf: string;
  /** Where the sign-out form posts (default /logout). */
  logoutAction?: string;
}

export interface LayoutOptions {
  title: string;
  body: Html;
  /** Who is signed in, for the header. */
  signedInAs?: SignedInAs;
  /** Section links under the header (the console's). */
  nav?: Html;
  /** Loads /assets/console.js (copy buttons and other small enhancements). */
  script?: boolean;
  /** Loads the passkey scripts (registering and signing in with passkeys). */
  passkeys?: boolean;
}

export function layout({ title, body, signedInAs, nav, script, passkeys }: LayoutOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<title>${title === 'Gatehouse' ? title : `${title} · Gatehouse`}</title>
<link rel="stylesheet" href="/assets/style.css?v=${STYLE_VERSION}">
${script ? html`<script src="/assets/console.js?v=${SCRIPT_VERSION}" defer></script>` : ''}
${passkeys ? PASSKEY_SCRIPTS : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="${signedInAs ? '/console' : '/'}">${MARK}<span>Gatehouse</span></a>
  ${
    signedInAs
      ? html`<form class="signed-in" method="post" action="${signedInAs.logoutAction ?? '/logout'}">
      ${nav ? '' : html`<a class="console-link" href="/console">Console</a>`}
      <span class="who"><span class="who-user">${signedInAs.username}</span> <span class="who-tenant">${signedInAs.tenant}</span></span>
      <input type="hidden" name="csrf" value="${signedInAs.csrf}">
      <button type="submit" class="link">Sign out</button>
    </form>`
      : ''
  }
</header>
${nav ?? ''}
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>
`.value;
}
