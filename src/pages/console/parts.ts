// Building blocks of the console's pages: labelled fields with their errors beside them, the error
// summary, notices, app icons, copyable values and dates, so every form reads and behaves alike.
import { html, type Html } from '../html.ts';

/** Form errors by field name; a form-wide error goes under `form`. */
export type FieldErrors = Partial<Record<string, string>>;

export interface FieldOptions {
  /** The element id; also the anchor the error summary links to. */
  id: string;
  name: string;
  label: string;
  value?: string;
  error?: string;
  hint?: Html | string;
  required?: boolean;
  autocomplete?: string;
  /** Extra attributes, already escaped (e.g. html` spellcheck="false"`). */
  attrs?: Html;
}

const describedBy = (o: { id: string; hint?: unknown; error?: string }) => {
  const ids = [o.hint ? `${o.id}-hint` : '', o.error ? `${o.id}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : '';
};

const invalid = (error: string | undefined) => (error ? html` aria-invalid="true"` : '');

/** The hint and error lines under a label. */
function aboutField(o: { id: string; hint?: Html | string; error?: string }): Html {
  return html`${o.hint ? html`<p class="hint" id="${o.id}-hint">${o.hint}</p>` : ''}${
    o.error ? html`<p class="field-error" id="${o.id}-error"><span class="visually-hidden">Error: </span>${o.error}</p>` : ''
  }`;
}

export function textField(o: FieldOptions & { type?: 'text' | 'password' | 'email' | 'date' }): Html {
  return html`<div class="field${o.error ? ' has-error' : ''}">
  <label for="${o.id}">${o.label}</label>
  ${aboutField(o)}
  <input id="${o.id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.required ? html` required` : ''}${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
  }${describedBy(o)}${invalid(o.error)}${o.attrs ?? ''}>
</div>`;
}

export function textArea(o: FieldOptions & { rows?: number }): Html {
  return html`<div class="field${o.error ? ' has-error' : ''}">
  <label for="${o.id}">${o.label}</label>
  ${aboutField(o)}
  <textarea id="${o.id}" name="${o.name}" rows="${o.rows ?? 4}"${o.required ? html` required` : ''}${describedBy(o)}${invalid(o.error)}${o.attrs ?? ''}>${o.value ?? ''}</textarea>
</div>`;
}

export function checkbox(o: Omit<FieldOptions, 'value' | 'required' | 'autocomplete'> & { checked: boolean }): Html {
  return html`<div class="field checkbox${o.error ? ' has-error' : ''}">
  <input id="${o.id}" name="${o.name}" type="checkbox" value="on"${o.checked ? html` checked` : ''}${describedBy(o)}${invalid(o.error)}${o.attrs ?? ''}>
  <div><label for="${o.id}">${o.label}</label>${aboutField(o)}</div>
</div>`;
}

interface Choice {
  type: 'checkbox' | 'radio';
  name: string;
  value: string;
  label: string;
  hint?: string;
  checked: boolean;
}

/** A fieldset of checkboxes or radio buttons, its legend the question. */
function choiceGroup(o: { id: string; legend: string; choices: readonly Choice[]; error?: string; hint?: string }): Html {
  return html`<fieldset class="field radios${o.error ? ' has-error' : ''}" id="${o.id}"${describedBy(o)}>
  <legend>${o.legend}</legend>
  ${aboutField(o)}
  ${o.choices.map(
    (choice, i) => html`<div class="radio">
    <input type="${choice.type}" id="${o.id}-${i}" name="${choice.name}" value="${choice.value}"${choice.checked ? html` checked` : ''}${
      choice.hint ? html` aria-describedby="${o.id}-${i}-hint"` : ''
    }>
    <div><label for="${o.id}-${i}">${choice.label}</label>${choice.hint ? html`<p class="hint" id="${o.id}-${i}-hint">${choice.hint}</p>` : ''}</div>
  </div>`,
  )}
</fieldset>`;
}

/** A group of checkboxes, each its own field name (a form field is sent once at most). */
export function checkboxes(o: {
  id: string;
  legend: string;
  options: readonly { name: string; label: string; hint?: string; checked: boolean }[];
  error?: string;
  hint?: string;
}): Html {
  return choiceGroup({ ...o, choices: o.options.map((option) => ({ ...option, type: 'checkbox', value: 'on' })) });
}

/** A group of radio buttons for one field. */
export function radios(o: {
  id: string;
  name: string;
  legend: string;
  value: string;
  options: readonly { value: string; label: string; hint?: string }[];
  error?: string;
  hint?: string;
}): Html {
  return choiceGroup({ ...o, choices: o.options.map((option) => ({ ...option, type: 'radio', name: o.name, checked: option.value === o.value })) });
}

export function select(o: FieldOptions & { options: readonly { value: string; label: string }[] }): Html {
  return html`<div class="field${o.error ? ' has-error' : ''}">
  <label for="${o.id}">${o.label}</label>
  ${aboutField(o)}
  <select id="${o.id}" name="${o.name}"${describedBy(o)}${invalid(o.error)}${o.attrs ?? ''}>
    ${o.options.map((option) => html`<option value="${option.value}"${option.value === o.value ? html` selected` : ''}>${option.label}</option>`)}
  </select>
</div>`;
}

/**
 * The errors of a form at its top, each a link to its field, announced when the page loads.
 * `fieldIds` maps field names to element ids; errors of unknown fields show as plain text.
 */
export function errorSummary(errors: FieldErrors, fieldIds: Record<string, string>): Html {
  const entries = Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (entries.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
  <h2 id="error-summary-title">${entries.length === 1 ? 'There is a problem' : `There are ${entries.length} problems`}</h2>
  <ul>${entries.map(([name, message]) => {
    const id = fieldIds[name];
    return html`<li>${id ? html`<a href="#${id}">${message}</a>` : message}</li>`;
  })}</ul>
</div>`;
}

/** A confirmation after an action ("Settings saved."), read out by screen readers. */
export function notice(text: string | Html | undefined): Html {
  return text ? html`<div class="notice" role="status">${text}</div>` : html``;
}

/** What the pages need to show an app's icon. */
export interface IconRef {
  clientId: string;
  name: string;
  iconUpdatedAt: Date | null;
}

/** The public, cacheable URL of an app's icon; the upload time versions it. */
export function appIconUrl(app: { clientId: string; iconUpdatedAt: Date }): string {
  return `/apps/${encodeURIComponent(app.clientId)}/icon.png?v=${app.iconUpdatedAt.getTime()}`;
}

const initial = (name: string) => (name.trim().slice(0, 1) || '?').toUpperCase();

/** The icon, or the name's first letter on a tinted square; decorative, as the name stands beside it. */
export function appIcon(app: IconRef, size: 'small' | 'large' = 'small'): Html {
  const px = size === 'large' ? 64 : 40;
  if (app.iconUpdatedAt) {
    return html`<img class="app-icon ${size}" src="${appIconUrl({ clientId: app.clientId, iconUpdatedAt: app.iconUpdatedAt })}" alt="" width="${px}" height="${px}">`;
  }
  return html`<span class="app-icon ${size}" aria-hidden="true">${initial(app.name)}</span>`;
}

/**
 * A read-only value with a Copy button (shown by the console script); the field itself can be
 * selected and copied without script. `secret` masks it behind Show/Hide once the script runs.
 */
export function copyField(o: { id: string; label: string; value: string; secret?: boolean; hint?: Html | string }): Html {
  return html`<div class="field copy-field">
  <label for="${o.id}">${o.label}</label>
  ${o.hint ? html`<p class="hint" id="${o.id}-hint">${o.hint}</p>` : ''}
  <div class="copy-row">
    <input id="${o.id}" type="text" readonly value="${o.value}" class="mono" spellcheck="false" autocomplete="off"${o.hint ? html` aria-describedby="${o.id}-hint"` : ''}>
    ${o.secret ? html`<button type="button" class="secondary" data-reveal="${o.id}" aria-controls="${o.id}" hidden>Show</button>` : ''}
    <button type="button" class="secondary" data-copy="${o.id}" data-what="${o.label}" hidden><span class="copy-label">Copy</span><span class="visually-hidden"> ${o.label}</span></button>
  </div>
</div>`;
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });

/** "4 Mar 2026", in a <time> element carrying the exact instant. */
export function date(value: Date): Html {
  return html`<time datetime="${value.toISOString()}">${DATE.format(value)}</time>`;
}

/** "4 Mar 2026, 14:05 UTC". */
export function dateTime(value: Date): Html {
  return html`<time datetime="${value.toISOString()}">${DATE_TIME.format(value)} UTC</time>`;
}
