// The console's Security page: a person's own second factors. The authenticator app (TOTP):
// set up with a QR code (inline SVG, drawn by the qrcode package, so the strict CSP needs nothing
// more) or the key typed in, confirmed with a code; turned off with a code or the password. And
// the recovery codes: how many are left, new ones on demand, shown once right after they are made.
// Passkeys have their own page (passkeys.ts); this one says how many and links there.
import { Html, html } from '../html.ts';
import { groupedSecret } from '../../platform/totp.ts';
import { copyField, date, errorSummary, textField, type FieldErrors } from './parts.ts';
import { consolePage, type Viewer } from './shell.ts';

export const SECURITY_PATH = '/console/security';
/** The person's passkeys, a page of its own (passkeys.ts). */
export const PASSKEYS_PATH = `${SECURITY_PATH}/passkeys`;

export interface SecurityPageOptions {
  viewer: Viewer;
  totpOn: boolean;
  confirmedAt?: Date;
  recoveryCodesLeft: number;
  /** How many passkeys the person has (managed on their own page). */
  passkeyCount: number;
  /** A pending enrolment: the secret, and its otpauth URI drawn as a QR code (SVG markup from the qrcode package). */
  enrolment?: { secret: string; qrSvg: string };
  /** New recovery codes, this once. */
  recoveryCodes?: readonly string[];
  notice?: string;
  errors?: FieldErrors;
  /** The account requires a second factor this person has none of: the console opens only this page until they set one up. */
  mustEnrol?: boolean;
}

/** Why a person whom the account's MFA policy covers sees only this page. */
const enrolBanner = (): Html => html`<div class="error-summary" role="alert" aria-labelledby="must-enrol-title">
  <h2 id="must-enrol-title">Set up a second factor to continue</h2>
  <p>Your account requires a second factor. Before you can use the console or sign in to apps, set up an authenticator app
  below, or <a href="${PASSKEYS_PATH}">add a passkey</a>. Then go back to what you were doing.</p>
</div>`;

const csrfField = (viewer: Viewer) => html`<input type="hidden" name="csrf" value="${viewer.csrf}">`;

function enrolmentCard(o: SecurityPageOptions, enrolment: NonNullable<SecurityPageOptions['enrolment']>): Html {
  return html`<section class="card" aria-labelledby="totp-setup">
  <h2 id="totp-setup">Set up your authenticator app</h2>
  <ol class="steps">
    <li>Open an authenticator app on your phone (such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis) and add an account.</li>
    <li>Scan this QR code:
      <div class="qr" role="img" aria-label="QR code for your authenticator app">${new Html(enrolment.qrSvg)}</div>
      Or type in this key (spaces do not matter):
      ${copyField({ id: 'totp-secret', label: 'Key', value: groupedSecret(enrolment.secret) })}
    </li>
    <li>Enter the 6-digit code the app shows, to prove it works:</li>
  </ol>
  <form method="post" action="${SECURITY_PATH}/totp/confirm" class="stack" novalidate>
    ${csrfField(o.viewer)}
    ${textField({ id: 'confirm-code', name: 'code', label: 'Code', error: o.errors?.confirm, autocomplete: 'one-time-code', attrs: html` inputmode="numeric" spellcheck="false"` })}
    <div class="form-actions"><button type="submit" class="primary">Turn on</button></div>
  </form>
</section>`;
}

function totpCard(o: SecurityPageOptions): Html {
  if (!o.totpOn) {
    // While setting up, the setup card says it all.
    if (o.enrolment) return html``;
    return html`<section class="card" aria-labelledby="totp-heading">
  <h2 id="totp-heading">Authenticator app <span class="badge">Off</span></h2>
  <p>With an authenticator app, signing in asks for a code from your phone after your password, so a stolen password alone is not enough.</p>
  <form method="post" action="${SECURITY_PATH}/totp" class="form-actions">${csrfField(o.viewer)}<button type="submit" class="primary">Set up an authenticator app</button></form>
</section>`;
  }
  return html`<section class="card" aria-labelledby="totp-heading">
  <h2 id="totp-heading">Authenticator app <span class="badge verified">On</span></h2>
  <p>Signing in asks for a code from your authenticator app after your password${o.confirmedAt ? html` (on since ${date(o.confirmedAt)})` : ''}.</p>
  ${o.enrolment ? '' : html`<form method="post" action="${SECURITY_PATH}/totp" class="form-actions">${csrfField(o.viewer)}<button type="submit" class="secondary">Move to another app or phone</button></form>`}
  <h3 class="section-gap">Turn off</h3>
  <p class="muted small">Prove it is you with a current code, or with your password if you lost your phone. Your recovery codes stop working too.</p>
  <form method="post" action="${SECURITY_PATH}/totp/disable" class="stack" novalidate>
    ${csrfField(o.viewer)}
    ${textField({ id: 'disable-code', name: 'code', label: 'Code from your app', error: o.errors?.disable, autocomplete: 'one-time-code', attrs: html` inputmode="numeric" spellcheck="false"` })}
    ${textField({ id: 'disable-password', name: 'password', type: 'password', label: 'Or your password', autocomplete: 'current-password' })}
    <div class="form-actions"><button type="submit" class="danger-outline">Turn off the authenticator app</button></div>
  </form>
</section>`;
}

function recoveryCard(o: SecurityPageOptions): Html {
  if (!o.totpOn) return html``;
  const fresh = o.recoveryCodes;
  return html`<section class="card" aria-labelledby="recovery-heading">
  <h2 id="recovery-heading">Recovery codes</h2>
  ${
    fresh
      ? html`<div class="notice" role="status"><p><strong>Save these codes now.</strong> They are shown only this once. Each works once, instead of a code from your app.</p>
  <ul class="recovery-codes mono" aria-label="Your recovery codes">${fresh.map((code) => html`<li>${code}</li>`)}</ul></div>`
      : ''
  }
  <p>If you lose your phone, a recovery code signs you in instead of a code from the app. <strong>${o.recoveryCodesLeft} of 10</strong> ${o.recoveryCodesLeft === 1 ? 'is' : 'are'} left.</p>
  <form method="post" action="${SECURITY_PATH}/recovery-codes" class="form-actions">${csrfField(o.viewer)}<button type="submit" class="secondary">Make new recovery codes</button></form>
  <p class="hint">New codes replace the old ones, which stop working at once.</p>
</section>`;
}

function passkeysCard(o: SecurityPageOptions): Html {
  const n = o.passkeyCount;
  return html`<section class="card" aria-labelledby="passkeys-heading">
  <h2 id="passkeys-heading">Passkeys ${n > 0 ? html`<span class="badge verified">${n} ${n === 1 ? 'passkey' : 'passkeys'}</span>` : html`<span class="badge">None</span>`}</h2>
  <p>${
    n > 0
      ? html`After your password, signing in asks for one of your passkeys (or another second factor you set up). A passkey also signs you in on its own, without your password.`
      : html`A passkey uses your device's screen lock or a security key. It signs you in without your password; once you have one, signing in with your password asks for it as the second step.`
  }</p>
  <p><a href="${PASSKEYS_PATH}">${n > 0 ? 'Manage your passkeys' : 'Add a passkey'}</a></p>
</section>`;
}

export function securityPage(o: SecurityPageOptions): string {
  const errors = o.errors ?? {};
  const body = html`${o.mustEnrol ? enrolBanner() : ''}${errorSummary(errors, { confirm: 'confirm-code', disable: 'disable-code' })}
<p class="lead">How you sign in to ${o.viewer.tenantName}: your password, and a second factor if you set one up.</p>
${o.enrolment ? enrolmentCard(o, o.enrolment) : ''}
${totpCard(o)}
${recoveryCard(o)}
${passkeysCard(o)}`;
  return consolePage({ viewer: o.viewer, section: 'security', title: 'Security', notice: o.notice, body, width: 'medium' });
}
