// A signing key as stored: the public JWK, and the private one encrypted at rest.

export interface SigningKey {
  kid: string;
  alg: string;
  publicJwk: string;
  privateJwkEncrypted: string;
  createdAt: Date;
  /** When the key stopped signing; it still verifies for one access-token lifetime (and a reload interval) after. */
  retiredAt: Date | null;
}

