// What the consent page says about a client known only by its metadata document: nobody
// registered or verified it, so the host of its client_id (the one thing that is certain: the
// document was served from there) is shown prominently, and a client that can only send the
// user back to their own machine gets a warning.
import type { App } from '../domain/app.ts';
import { html } from './html.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackRedirect(uri: string): boolean {
  try {
    const { protocol, hostname } = new URL(uri);
    return (protocol === 'http:' || protocol === 'https:') && (LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost'));
  } catch {
    return false;
  }
}

/** The host, and port when it has one, of a document client's id. */
export const documentHost = (app: App): string => new URL(app.clientId).host;

/** The consent page's notice for a metadata-document client; nothing for any other app. */
export function documentClientNotice(app: App) {
  if (app.registration !== 'metadata_document') return '';
  const loopbackOnly = app.redirectUris.length > 0 && app.redirectUris.every(isLoopbackRedirect);
  return html`<div class="client-origin">
    <p class="client-host"><strong>${documentHost(app)}</strong> says it is <strong>${app.name}</strong></p>
    <p class="small muted">Not verified: this app was not registered here. It describes itself in a document at <code>${app.clientId}</code>, and only its address is certain.</p>
    ${loopbackOnly ? html`<p class="client-warning" role="note"><strong>It will send you back to a program on this computer</strong> (localhost). Allow only if you started that program yourself just now.</p>` : ''}
  </div>`;
}
