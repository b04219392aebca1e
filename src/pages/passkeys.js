// Passkeys in the browser, loaded as a file after @simplewebauthn/browser's bundle (the pages' CSP
// allows no inline script): "Sign in with a passkey" on the sign-in page and "Add a passkey" in the
// console. Without this script (or without WebAuthn) their buttons stay disabled and a note says why.
'use strict';

(() => {
  const webauthn = window.SimpleWebAuthnBrowser;
  const supported = Boolean(webauthn && webauthn.browserSupportsWebAuthn());

  /** POSTs JSON with the CSRF header; the answer's JSON, or an Error carrying the server's one-line refusal. */
  const post = async (url, csrf, body) => {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ ...body, csrf }),
    });
    if (!response.ok) throw new Error((await response.text()) || `The server answered ${response.status}.`);
    return response.json();
  };

  /** What to tell the person when the browser's part failed (cancelled, timed out, no passkey). */
  const explain = (error) => {
    if (error && error.name === 'NotAllowedError') return 'The passkey request was cancelled or timed out. Try again.';
    if (error && error.name === 'InvalidStateError') return 'This passkey is registered already.';
    return (error && error.message) || 'Something went wrong. Try again.';
  };

  /** Wires one passkey control: enables it, runs `ceremony` on activation, shows errors in its status line. */
  const wire = (root, event, ceremony) => {
    const button = root.querySelector('[data-passkey-button]');
    const status = root.querySelector('[data-passkey-status]');
    const note = root.querySelector('[data-passkey-note]');
    if (!button) return;
    if (!supported) {
      // The note may say what works instead (data-otherwise); that stays true without WebAuthn.
      if (note) note.textContent = ['This browser does not support passkeys.', note.dataset.otherwise].filter(Boolean).join(' ');
      return;
    }
    if (note) note.hidden = true;
    button.disabled = false;
    const target = event === 'submit' ? root : button;
    target.addEventListener(event, async (e) => {
      e.preventDefault();
      if (status) status.textContent = '';
      button.disabled = true;
      try {
        const next = await ceremony(root.dataset);
        window.location.assign(next.redirect);
      } catch (error) {
        if (status) status.textContent = explain(error);
        button.disabled = false;
      }
    });
  };

  for (const root of document.querySelectorAll('[data-passkey-signin]')) {
    wire(root, 'click', async (data) => {
      const optionsJSON = await post(data.optionsUrl, data.csrf, {});
      const response = await webauthn.startAuthentication({ optionsJSON });
      return post(data.verifyUrl, data.csrf, { response, return_to: data.returnTo });
    });
  }

  for (const root of document.querySelectorAll('form[data-passkey-register]')) {
    wire(root, 'submit', async (data) => {
      const optionsJSON = await post(data.optionsUrl, data.csrf, {});
      const response = await webauthn.startRegistration({ optionsJSON });
      const name = root.querySelector('input[name="name"]');
      return post(data.verifyUrl, data.csrf, { response, name: name ? name.value : '' });
    });
  }
})();
