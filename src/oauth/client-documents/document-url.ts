// Which client_ids are client ID metadata documents, and which of those URLs may be used: https
// with a path (draft-ietf-oauth-client-id-metadata-document §3), no credentials, no fragment, no
// dot segments, written in the URL's normal form so that one document is one client. With the
// development setting, http://localhost and http://127.0.0.1 URLs too.

/** The longest client_id URL accepted (apps.client_id holds it). */
export const MAX_DOCUMENT_URL_LENGTH = 255;

const DEVELOPMENT_HOSTS = new Set(['localhost', '127.0.0.1']);

/** Whether a client_id names a document (and is then resolved by fetching it) rather than a registered app. */
export function isDocumentClientId(clientId: string): boolean {
  return /^https?:\/\//i.test(clientId);
}

/** The URL to fetch, or why this client_id cannot be a client ID metadata document. */
export function documentUrl(clientId: string, rules: { allowLoopback: boolean }): { url: URL } | { problem: string } {
  if (clientId.length > MAX_DOCUMENT_URL_LENGTH) return { problem: `it is longer than ${MAX_DOCUMENT_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return { problem: 'it is not a valid URL' };
  }
  const development = rules.allowLoopback && url.protocol === 'http:' && DEVELOPMENT_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !development) {
    return { problem: rules.allowLoopback ? 'it must use https (or http on localhost or 127.0.0.1)' : 'it must use https' };
  }
  if (url.username !== '' || url.password !== '') return { problem: 'it must not contain a user name or password' };
  if (clientId.includes('#')) return { problem: 'it must not contain a fragment' };
  const rawPath = clientId.slice(clientId.indexOf('//') + 2).replace(/^[^/?]*/, '').replace(/\?.*$/, '');
  if (rawPath.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) return { problem: 'its path must not contain . or .. segments' };
  if (url.pathname === '/' || url.pathname === '') return { problem: 'it must have a path (such as /client.json), not just a host' };
  if (url.href !== clientId) return { problem: `it must be written in its normal form (${url.href})` };
  return { url };
}
