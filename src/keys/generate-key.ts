// Creates a signing key pair whose private half is encrypted before it leaves this function.
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { SigningKey } from '../domain/signing-key.ts';
import { encrypt } from './encryption.ts';

export type SigningAlg = 'RS256' | 'ES256' | 'EdDSA';

export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256', 'EdDSA'];

export function isSigningAlg(value: string): value is SigningAlg {
  return (SIGNING_ALGS as readonly string[]).includes(value);
}

/** A new key, ready to store: the kid is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(alg: SigningAlg, secret: string, now: Date): Promise<SigningKey> {
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
