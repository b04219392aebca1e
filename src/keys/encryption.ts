// AES-256-GCM for what is kept encrypted at rest: private keys (under GATEHOUSE_SECRET) and console
// flashes (under the session id, which only the browser holds). The cipher key is derived with
// HKDF, each purpose with its own label, so a secret is never used directly as a cipher key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What a sealed value is for; each purpose derives its own cipher key from the same secret. */
export interface Purpose {
  info: string;
  /** Said when a value cannot be opened. */
  failure: string;
}

export const SIGNING_KEYS: Purpose = {
  info: 'gatehouse signing-key encryption v1',
  failure: 'cannot decrypt the signing key: GATEHOUSE_SECRET differs from the one it was encrypted with',
};

function deriveKey(secret: string, purpose: Purpose): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), purpose.info, 32));
}

/** Returns `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
export function encrypt(plaintext: string, secret: string, purpose: Purpose = SIGNING_KEYS): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function decrypt(sealed: string, secret: string, purpose: Purpose = SIGNING_KEYS): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unrecognised encrypted key format');
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, purpose), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(purpose.failure);
  }
}
