// A client's JWK Set for private_key_jwt, as registered inline: public keys only (a private
// member would mean the client leaked its key to us), each one node:crypto can load, few and small.
import { createPublicKey, type JsonWebKey } from 'node:crypto';

const MAX_KEYS = 10;
const MAX_BYTES = 16 * 1024;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const KEY_TYPES = new Set(['RSA', 'EC', 'OKP']);

/** Why a value is not an acceptable JWK Set, or undefined when it is. */
export function jwksProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be a JWK Set: an object with "keys"';
  const keys = (value as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) return 'must hold at least one key in "keys"';
  if (keys.length > MAX_KEYS) return `may hold at most ${MAX_KEYS} keys`;
  if (JSON.stringify(value).length > MAX_BYTES) return `must be at most ${MAX_BYTES / 1024} kB`;
  for (const [i, key] of keys.entries()) {
    if (key === null || typeof key !== 'object' || Array.isArray(key)) return `keys[${i}] must be a JWK object`;
    const jwk = key as Record<string, unknown>;
    if (typeof jwk.kty !== 'string' || !KEY_TYPES.has(jwk.kty)) return `keys[${i}] must be an RSA, EC or OKP key`;
    if (PRIVATE_MEMBERS.some((name) => name in jwk)) return `keys[${i}] holds private key material; register only the public key`;
    try {
      createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch {
      return `keys[${i}] is not a valid public key`;
    }
  }
  return undefined;
}
