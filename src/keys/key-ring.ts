// The signing key ring: the newest active key signs, every unretired key verifies and is
// published in the JWKS. Private keys are kept encrypted in the store.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Store } from '../store/types.ts';
import { decrypt, encrypt } from './encryption.ts';

export type SigningAlg = 'RS256' | 'ES256' | 'EdDSA';

export interface LoadedKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: JWK;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export class KeyRing {
  private constructor(
    private readonly keys: LoadedKey[],
  ) {}

  /** Loads the stored keys, generating the first one when there is none. */
  static async load(store: Store, secret: string, alg: SigningAlg = 'RS256', now = new Date()): Promise<KeyRing> {
    let stored = (await store.keys.list()).filter((k) => k.retiredAt === null);
    if (stored.length === 0) {
      await store.keys.add(await generateSigningKey(alg, secret, now));
      stored = (await store.keys.list()).filter((k) => k.retiredAt === null);
    }
    const keys = await Promise.all(
      stored.map(async (k): Promise<LoadedKey> => {
        const keyAlg = k.alg as SigningAlg;
        const privateJwk = JSON.parse(decrypt(k.privateJwkEncrypted, secret)) as JWK;
        const publicJwk = JSON.parse(k.publicJwk) as JWK;
        return {
          kid: k.kid,
          alg: keyAlg,
          publicJwk,
          privateKey: (await importJWK(privateJwk, keyAlg)) as CryptoKey,
          publicKey: (await importJWK(publicJwk, keyAlg)) as CryptoKey,
        };
      }),
    );
    return new KeyRing(keys);
  }

  /** The key that signs new tokens: the newest. */
  get signing(): LoadedKey {
    const key = this.keys[0];
    if (!key) throw new Error('the key ring is empty');
    return key;
  }

  byKid(kid: string): LoadedKey | undefined {
    return this.keys.find((k) => k.kid === kid);
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })) };
  }
}

export async function generateSigningKey(alg: SigningAlg, secret: string, now: Date) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg,
    publicJwk: JSON.stringify(publicJwk),
    privateJwkEncrypted: encrypt(JSON.stringify(privateJwk), secret),
    createdAt: now,
    retiredAt: null,
  };
}
