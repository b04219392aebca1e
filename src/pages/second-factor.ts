// The second step of sign-in: one page per method — the authenticator app's code or a recovery
// code (a plain form that works without JavaScript), or a passkey (a button that src/pages/passkeys.js
// runs; without the script it stays disabled and says what else works) — with links to the user's
// other methods.
import type { CodeMethod, SecondFactorMethod } from '../domain/second-factor.ts';
import { html, type Html } from './html.ts';
import { layout } from './layout.ts';

export const SECOND_FACTOR_PATH = '/login/second-factor';
/** Where the passkey page's script gets its challenge and sends the authenticator's answer. */
export const SECOND_FACTOR_PASSKEY_PATHS = { options: `${SECOND_FACTOR_PATH}/passkey/options`, verify: `${SECOND_FACTOR_PATH}/passkey` } as const;

export interface SecondFactorPageOptions {
  csrf: string;
  method: SecondFactorMethod;
  /** Every method the user may use; the others are offered as links. */
  methods: readonly SecondFactorMethod[];
  /** Carried so that an expired step can send the user back to the same sign-in. */
  returnTo: string;
  username: string;
  error?: string;
}

interface MethodText {
  heading: string;
  lead: string;
  switchTo: string;
}

const METHODS: Record<SecondFactorMethod, MethodText> = {
  totp: {
    heading: 'Enter the code from your authenticator app',
    lead: 'Open the authenticator app on your phone and enter the 6-digit code it shows for Gatehouse.',
    switchTo: 'Use your authenticator app instead',
  },
  passkey: {
    heading: 'Use your passkey',
    lead: "Confirm it is you with your device's screen lock or your security key.",
    switchTo: 'Use a passkey instead',
  },
  recovery: {
    heading: 'Enter a recovery code',
    lead: 'Use one of the recovery codes you saved when you set up your authenticator app. Each code works once.',
    switchTo: 'Use a recovery code instead',
  },
};

const CODE_FIELDS: Record<CodeMethod, { label: string; input: Html }> = {
  totp: { label: 'Code', input: html`inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*"` },
  recovery: { label: 'Recovery code', input: html`autocomplete="off" autocapitalize="none" spellcheck="false"` },
};

function codeForm(o: SecondFactorPageOptions, method: CodeMethod): Html {
  const field = CODE_FIELDS[method];
  return html`<form method="post" action="${SECOND_FACTOR_PATH}" class="stack"${o.error ? html` aria-describedby="code-error"` : ''}>
    <input type="hidden" name="csrf" value="${o.csrf}">
    <input type="hidden" name="method" value="${method}">
    <input type="hidden" name="return_to" value="${o.returnTo}">
    <div class="field">
      <label for="code">${field.label}</label>
      <input id="code" name="code" required autofocus ${field.input}>
    </div>
    <button type="submit" class="primary">Continue</button>
  </form>`;
}

/** The passkey button: the script enables it; without it the note says what still works. */
function passkeyButton(o: SecondFactorPageOptions): Html {
  const without = o.methods.includes('totp')
    ? 'Without it, use your authenticator app instead.'
    : 'Use a browser with JavaScript turned on, or a recovery code.';
  return html`<div class="stack passkey-step" data-passkey-signin data-csrf="${o.csrf}" data-return-to="${o.returnTo}" data-options-url="${SECOND_FACTOR_PASSKEY_PATHS.options}" data-verify-url="${SECOND_FACTOR_PASSKEY_PATHS.verify}">
    <button type="button" class="primary" data-passkey-button disabled>Use a passkey</button>
    <p class="alert passkey-status" role="alert" data-passkey-status></p>
    <p class="muted small" data-passkey-note data-otherwise="${without}">Using a passkey needs JavaScript and a browser that supports passkeys. ${without}</p>
  </div>`;
}

export function secondFactorPage(o: SecondFactorPageOptions): string {
  const m = METHODS[o.method];
  const others = o.methods.filter((method) => method !== o.method);
  const body = html`<section class="card narrow">
  <h1>${m.heading}</h1>
  <p class="lead">${m.lead}</p>
  <p class="muted">Signing in as <strong>${o.username}</strong>.</p>
  ${o.error ? html`<p class="alert" role="alert" id="code-error">${o.error}</p>` : ''}
  ${o.method === 'passkey' ? passkeyButton(o) : codeForm(o, o.method)}
  ${others.length > 0 ? html`<ul class="plain other-methods">${others.map((method) => html`<li><a href="${SECOND_FACTOR_PATH}?method=${method}">${METHODS[method].switchTo}</a></li>`)}</ul>` : ''}
  <p class="muted small"><a href="/login?return_to=${encodeURIComponent(o.returnTo)}">Start again with your password</a></p>
</section>`;
  return layout({ title: m.heading, body, passkeys: o.method === 'passkey' });
}
