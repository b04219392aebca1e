// The whole PKCE round trip for a browser app in two calls: startAuthorization keeps the verifier
// and state in sessionStorage across the redirect; finishAuthorization checks the callback and
// exchanges the code. Built only from the exported primitives.
import { buildAuthorizeUrl, handleCallback } from './authorize.ts';
import type { ClientConfig } from './config.ts';
import { CallbackValidationError } from './errors.ts';
import { createPkcePair, createState } from './pkce.ts';
import type { WebStorageLike } from './storage.ts';
import { exchangeCode, type TokenSet } from './tokens.ts';

export interface PendingStorageOptions {
  /** Where the verifier and state wait for the callback (default: sessionStorage). */
  storage?: WebStorageLike;
  /** Default `gatehouse.pending`. */
  key?: string;
}

interface Pending {
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

function pendingStore(options: PendingStorageOptions): { storage: WebStorageLike; key: string } {
  const storage = options.storage ?? globalThis.sessionStorage;
  if (!storage) throw new TypeError('no sessionStorage here: pass options.storage');
  return { storage, key: options.key ?? 'gatehouse.pending' };
}

/** Creates PKCE and state, remembers them, and returns the authorize URL to send the user to. */
export async function startAuthorization(
  config: ClientConfig,
  params: { scope: string | readonly string[]; redirectUri?: string; extraParams?: Record<string, string> } & PendingStorageOptions,
): Promise<string> {
  const { storage, key } = pendingStore(params);
  const redirectUri = params.redirectUri ?? config.redirectUri;
  if (!redirectUri) throw new TypeError('startAuthorization needs a redirectUri (in the config or the call)');
  const pkce = await createPkcePair();
  const state = createState();
  const pending: Pending = { state, codeVerifier: pkce.verifier, redirectUri };
  storage.setItem(key, JSON.stringify(pending));
  return buildAuthorizeUrl(config, { scope: params.scope, state, codeChallenge: pkce.challenge, redirectUri, extraParams: params.extraParams });
}

function readPending(storage: WebStorageLike, key: string): Pending | undefined {
  try {
    const value: unknown = JSON.parse(storage.getItem(key) ?? 'null');
    if (value === null || typeof value !== 'object') return undefined;
    const p = value as Record<string, unknown>;
    return typeof p.state === 'string' && typeof p.codeVerifier === 'string' && typeof p.redirectUri === 'string'
      ? { state: p.state, codeVerifier: p.codeVerifier, redirectUri: p.redirectUri }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * On the redirect page: checks the callback URL against what startAuthorization remembered
 * (state, iss, error) and exchanges the code. The remembered values are used once, then deleted.
 */
export async function finishAuthorization(config: ClientConfig, callbackUrl: string | URL, options: PendingStorageOptions = {}): Promise<TokenSet> {
  const { storage, key } = pendingStore(options);
  const pending = readPending(storage, key);
  storage.removeItem(key);
  if (!pending) throw new CallbackValidationError('no_pending_authorization', 'no authorization was started in this browser tab');
  const { code } = handleCallback(config, callbackUrl, { expectedState: pending.state });
  return exchangeCode(config, { code, codeVerifier: pending.codeVerifier, redirectUri: pending.redirectUri });
}
