// The published keys (jwks_uri) of clients known by their metadata document: the private_key_jwt
// key cache, with a fetcher that applies the document defences, since such a jwks_uri is a URL
// the client chose and no one reviewed. Apps registered in a console keep the plain fetcher.
import type { App } from '../../domain/app.ts';
import { ClientKeyCache, JwksUnavailable, clientKeysFor } from '../client-jwks.ts';
import type { OAuthContext } from '../context.ts';
import { DocumentFetchError } from './fetch-errors.ts';
import { fetchPublishedKeySet } from './published-keys.ts';

const caches = new WeakMap<OAuthContext, ClientKeyCache>();

function guardedCacheFor(ctx: OAuthContext): ClientKeyCache {
  let cache = caches.get(ctx);
  if (cache) return cache;
  const settings = ctx.clientDocuments?.settings;
  const rules = { allowLoopback: settings?.allowLoopback ?? false, resolver: settings?.resolver, ca: settings?.ca, timeoutMs: settings?.timeoutMs };
  const fetcher = async (url: string) => {
    try {
      return await fetchPublishedKeySet(url, rules);
    } catch (error) {
      // The key cache words what it cannot read as JwksUnavailable ("The app's jwks_uri … <reason>").
      if (error instanceof DocumentFetchError) throw new JwksUnavailable(error.reason);
      throw error;
    }
  };
  caches.set(ctx, (cache = new ClientKeyCache(fetcher, () => ctx.clock.now().getTime())));
  return cache;
}

/** The key cache for this app's jwks_uri: guarded for a metadata-document client, the usual one otherwise. */
export function clientKeyCacheFor(app: App, ctx: OAuthContext): ClientKeyCache {
  return app.registration === 'metadata_document' ? guardedCacheFor(ctx) : clientKeysFor(ctx);
}
