// The second step of sign-in: one page per method (the authenticator app's code, or a recovery
// code), a plain form that works without JavaScript, with links to the user's other methods.
import type { SecondFactorMethod } from '../domain/second-factor.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';

export const SECOND_FACTOR_PATH = '/login/second-factor';

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

const METHODS: Record<SecondFactorMethod, { heading: string; lead: string; label: string; switchTo: string; input: ReturnType<typeof html> }> = {
  totp: {
    heading: 'Enter the code from your authenticator app',
    lead: 'Open the authenticator app on your phone and enter the 6-digit code it shows for Gatehouse.',
    label: 'Code',
    switchTo: 'Use your authenticator app instead',
    input: html`inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*"`,
  },
  recovery: {
    heading: 'Enter a recovery code',
    lead: 'Use one of the recovery codes you saved when you set up your authenticator app. Each code works once.',
    label: 'Recovery code',
    switchTo: 'Use a recovery code instead',
    input: html`autocomplete="off" autocapitalize="none" spellcheck="false"`,
  },
};

export function secondFactorPage(o: SecondFactorPageOptions): string {
  const m = METHODS[o.method];
  const others = o.methods.filter((method) => method !== o.method);
  const body = html`<section class="card narrow">
  <h1>${m.heading}</h1>
  <p class="lead">${m.lead}</p>
  <p class="muted">Signing in as <strong>${o.username}</strong>.</p>
  ${o.error ? html`<p class="alert" role="alert" id="code-error">${o.error}</p>` : ''}
  <form method="post" action="${SECOND_FACTOR_PATH}" class="stack"${o.error ? html` aria-describedby="code-error"` : ''}>
    <input type="hidden" name="csrf" value="${o.csrf}">
    <input type="hidden" name="method" value="${o.method}">
    <input type="hidden" name="return_to" value="${o.returnTo}">
    <div class="field">
      <label for="code">${m.label}</label>
      <input id="code" name="code" required autofocus ${m.input}>
    </div>
    <button type="submit" class="primary">Continue</button>
  </form>
  ${others.length > 0 ? html`<ul class="plain other-methods">${others.map((method) => html`<li><a href="${SECOND_FACTOR_PATH}?method=${method}">${METHODS[method].switchTo}</a></li>`)}</ul>` : ''}
  <p class="muted small"><a href="/login?return_to=${encodeURIComponent(o.returnTo)}">Start again with your password</a></p>
</section>`;
  return layout({ title: m.heading, body });
}
