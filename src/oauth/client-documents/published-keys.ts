// A client's published JWK Set (its jwks_uri), fetched with the same defences as its metadata
// document: a jwks_uri is as much a URL anyone may choose, so it must not reach private addresses
// either. For the private_key_jwt key cache to use as its fetcher.
import type { JsonWebKeySet } from '../../domain/app.ts';
import type { AddressRules } from './address-policy.ts';
import type { Resolver } from './checked-address.ts';
import { fetchGuardedJson } from './fetch-document.ts';
import { DocumentFetchError } from './fetch-errors.ts';

/** A key set is larger than a document: a few RSA keys with certificate chains. */
export const KEY_SET_MAX_BYTES = 64 * 1024;

/** The JWK Set at `url`, or a DocumentFetchError whose reason can be shown to the client. */
export async function fetchPublishedKeySet(url: string, rules: AddressRules & { resolver?: Resolver; timeoutMs?: number; ca?: string | Buffer }): Promise<JsonWebKeySet> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DocumentFetchError('is not a URL', 'refused');
  }
  if (parsed.protocol !== 'https:' && !(rules.allowLoopback && parsed.protocol === 'http:')) throw new DocumentFetchError('must use https', 'refused');
  const { body } = await fetchGuardedJson(parsed, { ...rules, maxBytes: KEY_SET_MAX_BYTES, accept: 'application/jwk-set+json, application/json' });
  const keys = body.keys;
  if (!Array.isArray(keys) || keys.some((key) => key === null || typeof key !== 'object' || Array.isArray(key))) throw new DocumentFetchError('is not a JWK Set ({"keys": [...]})', 'refused');
  return { keys: keys as Record<string, unknown>[] };
}
