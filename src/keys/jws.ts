// Compact JWS (RFC 7515) for our own access tokens, signed and verified synchronously with
// node:crypto KeyObjects: the WebCrypto path costs 3–4× more per verification, on every API call.
// Only the ring's algorithms exist here, and a token's `alg` must equal its key's: no `none`, no
// algorithm confusion.
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { SigningAlg } from './generate-key.ts';

/** node:crypto's digest and signature encoding for each JWS algorithm. */
const SCHEME: Record<SigningAlg, { digest: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  RS256: { digest: 'sha256' },
  // JWS wants r‖s (RFC 7518 §3.4), not DER.
  ES256: { digest: 'sha256', dsaEncoding: 'ieee-p1363' },
  EdDSA: { digest: null },
};

const json = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function signCompact(header: Record<string, unknown> & { alg: SigningAlg }, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${json(header)}.${json(payload)}`;
  const { digest, dsaEncoding } = SCHEME[header.alg];
  const signature = cryptoSign(digest, Buffer.from(input, 'ascii'), dsaEncoding ? { key, dsaEncoding } : key);
  return `${input}.${signature.toString('base64url')}`;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A JSON object from one base64url segment, or undefined. */
function decodeObject(segment: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface DecodedJws {
  header: Record<string, unknown>;
  /** Everything verification needs, kept so the header is parsed once. */
  signingInput: string;
  payloadSegment: string;
  signature: Buffer;
}

/** Splits and decodes a compact JWS without trusting it; undefined when it is not one. */
export function decodeCompact(token: string): DecodedJws | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  if (!BASE64URL.test(payloadSegment) || !BASE64URL.test(signatureSegment) || signatureSegment.length === 0) return undefined;
  const header = decodeObject(headerSegment);
  if (!header) return undefined;
  return { header, signingInput: `${headerSegment}.${payloadSegment}`, payloadSegment, signature: Buffer.from(signatureSegment, 'base64url') };
}

/** The payload when the signature is valid for `key` under `alg` (which the header must name). */
export function verifyCompact(jws: DecodedJws, alg: SigningAlg, key: KeyObject): Record<string, unknown> | undefined {
  if (jws.header.alg !== alg) return undefined;
  const { digest, dsaEncoding } = SCHEME[alg];
  let valid = false;
  try {
    valid = cryptoVerify(digest, Buffer.from(jws.signingInput, 'ascii'), dsaEncoding ? { key, dsaEncoding } : key, jws.signature);
  } catch {
    return undefined;
  }
  return valid ? decodeObject(jws.payloadSegment) : undefined;
}
