// Redirect URI rules (RFC 9700 §4.1, RFC 8252 §7.3): exact string match against the registered
// list, except that a loopback IP literal may come back on any port.

const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_LENGTH = 2000;

/**
 * A URL a client registers (a redirect URI, a jwks_uri), read: absolute, at most `maxLength`
 * characters, without a fragment or credentials. The URL, or why it is none.
 */
export function registeredUrl(uri: string, maxLength: number): URL | string {
  if (uri.length > maxLength) return `must be at most ${maxLength} characters`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.hash !== '' || uri.includes('#')) return 'must not contain a fragment';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  return url;
}

/** Whether an http URL's host is this machine, where http is allowed (RFC 8252 §7.3). */
export const isLocalHost = (hostname: string): boolean => LOCAL_NAMES.has(hostname) || hostname.endsWith('.localhost');
/**
 * Why a URL the server fetches or sends a browser to on the web (a jwks_uri, a post-logout or
 * back-channel logout URI) cannot be registered: it must be https, or http on localhost or a
 * loopback address. Undefined when it can.
 */
export function webUrlProblem(uri: string, maxLength = MAX_LENGTH): string | undefined {
  const url = registeredUrl(uri, maxLength);
  if (typeof url === 'string') return url;
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url.hostname))) return undefined;
  return 'must use https (or http on localhost or a loopback address)';
}

/** Why a URI cannot be registered, or undefined when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  const url = registeredUrl(uri, MAX_LENGTH);
  if (typeof url === 'string') return url;
  if (url.protocol === 'http:') {
    if (!isLocalHost(url.hostname)) {
      return 'may use http only for localhost or a loopback address; use https';
    }
  } else if (url.protocol !== 'https:' && !/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) {
    // Custom schemes for native apps must be reverse domain names (RFC 8252 §7.1).
    return 'must use https, http on loopback, or a reverse-domain private scheme';
  }
  if (/^(javascript|data|vbscript|file):$/i.test(url.protocol)) return 'uses a forbidden scheme';
  return undefined;
}

/** Whether a requested redirect_uri matches one registered for the client. */
export function matchesRegisteredUri(registered: readonly string[], requested: string): boolean {
  for (const candidate of registered) {
    if (candidate === requested) return true;
    if (loopbackMatch(candidate, requested)) return true;
  }
  return false;
}

function loopbackMatch(registered: string, requested: string): boolean {
  const a = splitLoopback(registered);
  const b = splitLoopback(requested);
  // Everything but the port is compared as raw strings, so nothing is normalised away.
  return a !== undefined && b !== undefined && a.host === b.host && a.rest === b.rest;
}

/** `http://<loopback IP>[:port]<rest>` split into host and rest, or undefined for anything else. */
function splitLoopback(raw: string): { host: string; rest: string } | undefined {
  if (!raw.startsWith('http://')) return undefined;
  const afterScheme = raw.slice('http://'.length);
  const end = afterScheme.search(/[/?#]/);
  const authority = end === -1 ? afterScheme : afterScheme.slice(0, end);
  const rest = end === -1 ? '' : afterScheme.slice(end);
  // The literal as written (no userinfo, no 127.1 or hex spellings), then any decimal port.
  const match = /^(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/.exec(authority);
  if (!match?.[1] || !LOOPBACK_IPS.has(match[1])) return undefined;
  if (match[2] !== undefined && Number(match[2]) > 65535) return undefined;
  return { host: match[1], rest };
}
