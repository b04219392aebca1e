// What the consent page says of a client that registered itself (RFC 7591): no account vouches
// for it and nobody checked it, so instead of an owner it says so, and names the host the browser
// will be sent back to, the one thing about such a client a person can judge.
import type { App } from '../domain/app.ts';
import { html, type Html } from './html.ts';

/** The host of the redirect URI in use (`host:port` for loopback), or the URI's scheme for a private-scheme app. */
export function redirectHost(redirectUri: string | undefined): string | undefined {
  if (redirectUri === undefined) return undefined;
  try {
    const url = new URL(redirectUri);
    return url.host !== '' ? url.host : url.protocol.replace(/:$/, '');
  } catch {
    return undefined;
  }
}

/** The line under the app's name on the consent page, for a self-registered client. */
export function selfRegisteredMeta(app: App, redirectUri: string | undefined): Html {
  const host = redirectHost(redirectUri);
  return html`<p class="app-meta">registered by the client itself, not verified<span class="badge">Unverified</span></p>
      ${host ? html`<p class="app-meta">Sends you back to <strong>${host}</strong></p>` : ''}`;
}

export const isSelfRegistered = (app: App): boolean => app.registration === 'dynamic';
