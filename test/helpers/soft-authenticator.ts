// A software WebAuthn authenticator for tests without a browser: ES256 keys from node:crypto,
// attestation 'none' for registration and signed assertions, with everything a test may want to
// get wrong (origin, RP id, counter, flags) under its control.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/** Just enough CBOR (RFC 8949) for attestation objects and COSE keys: maps, text, bytes, integers. */
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor> | { [key: string]: Cbor };
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

export interface CeremonyOptions {
  /** The page's origin as the browser would report it. */
  origin: string;
  /** The RP id the authenticator signs for (default: the origin's hostname). */
  rpId?: string;
  userVerified?: boolean;
}

const FLAGS = { up: 0x01, uv: 0x04, be: 0x08, bs: 0x10, at: 0x40 };

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  /** The signature counter; the next assertion signs counter + 1 unless told otherwise. */
  counter = 0;
  /** The user handle it stored at registration. */
  userHandle: string | undefined;

  /** `synced`: reports the credential as backed up (a synced passkey). */
  constructor(private readonly synced = false) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicJwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  private flags(o: CeremonyOptions, extra = 0): number {
    return FLAGS.up | (o.userVerified === false ? 0 : FLAGS.uv) | (this.synced ? FLAGS.be | FLAGS.bs : 0) | extra;
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private static count(n: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  }

  /** A registration response (attestation 'none') to options from the server. */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }, o: CeremonyOptions): Record<string, unknown> {
    this.userHandle = options.user.id;
    const rpId = o.rpId ?? new URL(o.origin).hostname;
    const cose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(this.publicJwk.x, 'base64url')], [-3, Buffer.from(this.publicJwk.y, 'base64url')]]));
    const idLength = Buffer.from([this.credentialId.length >> 8, this.credentialId.length & 255]);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags(o, FLAGS.at)]), SoftAuthenticator.count(this.counter), Buffer.alloc(16), idLength, this.credentialId, cose]);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, o.origin)), attestationObject: b64url(cbor({ fmt: 'none', attStmt: {}, authData })), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** An assertion answering `challenge`; the counter goes up by one unless `counter` is given. */
  assert(challenge: string, o: CeremonyOptions & { counter?: number }): Record<string, unknown> {
    const rpId = o.rpId ?? new URL(o.origin).hostname;
    this.counter = o.counter ?? this.counter + 1;
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags(o)]), SoftAuthenticator.count(this.counter)]);
    const clientDataJSON = this.clientData('webauthn.get', challenge, o.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), ...(this.userHandle ? { userHandle: this.userHandle } : {}) },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
