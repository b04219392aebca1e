// Sends one logout token to an app's backchannel_logout_uri (Back-Channel Logout 1.0 §2.5): a
// form POST of `logout_token`, 5 s in all, no redirects followed; 200 or 204 is delivered. A URI
// an app chose for itself (dynamic registration, a metadata document) gets the guard of client
// ID metadata documents: its host's addresses checked (public only, loopback when
// GATEHOUSE_CIMD_ALLOW_LOOPBACK) and the socket pinned to them. Console apps' URIs are trusted.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkedAddresses, pinnedLookup, systemResolver, type Resolver } from '../oauth/client-documents/checked-address.ts';
import { withSignal } from '../oauth/client-documents/fetch-document.ts';
import { DocumentFetchError } from '../oauth/client-documents/fetch-errors.ts';

export const BACKCHANNEL_TIMEOUT_MS = 5000;

export interface BackchannelPostSettings {
  /** Check and pin the host's addresses (an app that registered itself). */
  guarded: boolean;
  allowLoopback: boolean;
  resolver?: Resolver;
  timeoutMs?: number;
  /** Certificate authorities to trust instead of the system's (tests). */
  ca?: string | Buffer;
}

/** Why a token was not delivered; `final` when trying again cannot help (the address is refused). */
export class DeliveryError extends Error {
  constructor(
    readonly reason: string,
    readonly final = false,
  ) {
    super(reason);
    this.name = 'DeliveryError';
  }
}

/** Resolves when the app answered 200 or 204; otherwise throws a DeliveryError saying why. */
export async function postLogoutToken(uri: string, logoutToken: string, settings: BackchannelPostSettings): Promise<void> {
  const url = new URL(uri);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DeliveryError(`${url.protocol} is not an http(s) URI`, true);
  const timeoutMs = settings.timeoutMs ?? BACKCHANNEL_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = () => new DeliveryError(`no answer within ${timeoutMs} ms`);
  const lookup = settings.guarded ? await guardedLookup(url, settings, signal, timedOut) : undefined;
  const body = new URLSearchParams({ logout_token: logoutToken }).toString();
  const status = await new Promise<number>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Gatehouse', 'cache-control': 'no-store' };
    const outgoing = send(url, { method: 'POST', headers, signal, ...(lookup ? { lookup } : {}), ...(settings.ca === undefined ? {} : { ca: settings.ca }) });
    outgoing.on('response', (response) => {
      // Only the status matters; the body is read away and dropped.
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', (error) => reject(signal.aborted ? timedOut() : new DeliveryError(`the connection failed (${(error as NodeJS.ErrnoException).code ?? error.message})`)));
    outgoing.end(body);
  });
  if (status === 200 || status === 204) return;
  if (status >= 300 && status < 400) throw new DeliveryError(`it answered with a redirect (HTTP ${status}), and redirects are not followed`);
  throw new DeliveryError(`it answered HTTP ${status}`);
}

async function guardedLookup(url: URL, settings: BackchannelPostSettings, signal: AbortSignal, timedOut: () => Error): Promise<ReturnType<typeof pinnedLookup>> {
  try {
    const addresses = await withSignal(checkedAddresses(url.hostname, { allowLoopback: settings.allowLoopback }, settings.resolver ?? systemResolver), signal, timedOut);
    return pinnedLookup(addresses);
  } catch (error) {
    if (error instanceof DocumentFetchError) throw new DeliveryError(error.reason, error.kind === 'refused');
    throw error;
  }
}
