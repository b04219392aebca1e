// Redirect URI rules (RFC 9700 §4.1, RFC 8252 §7.3): exact string match against the registered
// list, except that a loopback IP literal may come back on any port.

const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_LENGTH = 2000;

/** Why a URI cannot be registered, or undefined when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > MAX_LENGTH) return `must be at most ${MAX_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.hash !== '' || uri.includes('#')) return 'must not contain a fragment';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.protocol === 'http:') {
    const host = url.hostname;
    if (!LOCAL_NAMES.has(host) && !host.endsWith('.localhost')) {
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
  let a: URL;
  let b: URL;
  try {
    a = new URL(registered);
    b = new URL(requested);
  } catch {
    return false;
  }
  if (a.protocol !== 'http:' || b.protocol !== 'http:') return false;
  if (!LOOPBACK_IPS.has(a.hostname) || a.hostname !== b.hostname) return false;
  // Compare everything but the port, as strings, so nothing is normalised away.
  const withoutPort = (u: URL, raw: string) => raw.replace(`${u.protocol}//${u.host}`, '');
  return withoutPort(a, registered) === withoutPort(b, requested) && rawHasNoUserinfo(requested);
}

function rawHasNoUserinfo(raw: string): boolean {
  const afterScheme = raw.slice(raw.indexOf('//') + 2);
  const authority = afterScheme.split(/[/?#]/, 1)[0] ?? '';
  return !authority.includes('@');
}
