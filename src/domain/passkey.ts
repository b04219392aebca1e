// A user's passkeys (WebAuthn credentials, docs/security.md) and the challenges their ceremonies
// answer. The public key is not secret; the credential id is the authenticator's, base64url.

/** Where a credential lives: on one device, or synced between a person's devices (backed up). */
export type PasskeyDeviceType = 'singleDevice' | 'multiDevice';

export interface Passkey {
  id: number;
  userId: number;
  /** The credential id, base64url, unique on the server. */
  credentialId: string;
  /** The COSE public key. */
  publicKey: Buffer;
  /** The authenticator's signature counter as last seen (0: it keeps none). */
  signCount: number;
  /** The transports the browser reported at registration (hints for the next sign-in). */
  transports: string[];
  /** The user's name for it. */
  name: string;
  /** The authenticator model's AAGUID (all zeros when it does not say). */
  aaguid: string;
  backedUp: boolean;
  deviceType: PasskeyDeviceType;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewPasskey = Omit<Passkey, 'id' | 'lastUsedAt'>;

/** What a WebAuthn challenge is for: creating a credential, or signing in with one. */
export type WebAuthnPurpose = 'registration' | 'authentication';

/**
 * A challenge handed to a browser: for one purpose, bound to one browser (its session, or its
 * pending sign-in), for a known user or (passwordless) for whoever answers; used at most once.
 */
export interface WebAuthnChallenge {
  /** Whom it is bound to: `session:` and a session id hash, or `browser:` and a cookie's hash. */
  binding: string;
  purpose: WebAuthnPurpose;
  /** base64url, as sent in the options. */
  challenge: string;
  userId: number | null;
  expiresAt: Date;
}
