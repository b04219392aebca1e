// Encodings the protocol needs, on Web APIs only (btoa, TextEncoder, URLSearchParams), so the same
// code runs in browsers and Node 20.

/** base64url without padding (RFC 4648 §5), as PKCE and most tokens use. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** application/x-www-form-urlencoded encoding of one value (space → `+`, `!'()*~` escaped). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * The HTTP Basic header for client credentials. RFC 6749 §2.3.1 says the id and secret are
 * form-url-encoded before they are joined and base64-encoded, so a `:` or non-ASCII character in
 * either survives the trip.
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
}

/** The bytes of a base64url string (padding optional); throws TypeError when it is not base64url. */
export function base64urlDecode(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new TypeError('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
