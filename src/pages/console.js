// Gatehouse console enhancements, loaded as a file (the pages' CSP allows no inline script).
// Everything works without it; it adds copy buttons and masks a new secret behind Show/Hide.
'use strict';

(() => {
  const status = document.getElementById('copy-status');

  /** Announces a short message to screen readers (the live region lives in the page). */
  const announce = (text) => {
    if (status) status.textContent = text;
  };

  const copyText = async (text, source) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Older browsers or an insecure origin: select the field and copy the selection.
      if (!(source instanceof HTMLInputElement) || source.type !== 'text') return false;
      source.focus();
      source.select();
      return document.execCommand('copy');
    }
  };

  for (const button of document.querySelectorAll('button[data-copy]')) {
    const source = document.getElementById(button.dataset.copy ?? '');
    if (!(source instanceof HTMLInputElement)) continue;
    // Only the visible word changes; the hidden rest of the name says what is copied.
    const word = button.querySelector('.copy-label') ?? button;
    const label = word.textContent;
    button.hidden = false;
    button.addEventListener('click', async () => {
      const ok = await copyText(source.value, source);
      const what = button.dataset.what ?? 'Value';
      word.textContent = ok ? 'Copied' : 'Copy failed';
      announce(ok ? `${what} copied to the clipboard` : `Could not copy; select the ${what.toLowerCase()} and copy it by hand`);
      setTimeout(() => {
        word.textContent = label;
      }, 2000);
    });
  }

  // A secret is readable without script; with it, it starts masked and Show/Hide toggles it.
  for (const button of document.querySelectorAll('button[data-reveal]')) {
    const field = document.getElementById(button.dataset.reveal ?? '');
    if (!(field instanceof HTMLInputElement)) continue;
    field.type = 'password';
    button.hidden = false;
    button.addEventListener('click', () => {
      const show = field.type === 'password';
      field.type = show ? 'text' : 'password';
      button.textContent = show ? 'Hide' : 'Show';
    });
  }
})();
