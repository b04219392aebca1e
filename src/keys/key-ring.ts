// The signing key ring, kept in step with the store while the server runs: the newest unretired
// key signs; retired keys verify (and stay in the JWKS) until their last token has expired.
// Reloads come on a timer and, rate limited, when a token names a kid the ring does not know.
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { SigningKey } from '../domain/signing-key.ts';
import type { Store } from '../store/store.ts';
import { decrypt } from './encryption.ts';
import { generateSigningKey, isSigningAlg, type SigningAlg } from './generate-key.ts';
import { pickSigningKey, verifyingUntil } from './key-states.ts';

export { generateSigningKey, type SigningAlg } from './generate-key.ts';

export interface LoadedKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: JWK;
  /** node:crypto keys: signing and verifying synchronously is what keeps the token paths fast. */
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface KeyRingOptions {
  /** Algorithm of a key generated on an empty store. */
  alg?: SigningAlg;
  clock?: { now(): Date };
  /** How long an access token lives: a retired key verifies this long after it stopped signing. */
  accessTokenLifetimeSeconds?: number;
  /** Seconds between reloads from the store; 0 turns the timer off. */
  reloadIntervalSeconds?: number;
  /** At most one reload for an unknown kid per this many seconds, so junk kids cannot hammer the store. */
  unknownKidReloadSeconds?: number;
  /** Told about failed background reloads (the ring keeps its keys meanwhile). */
  onReloadError?: (error: unknown) => void;
}

export const DEFAULT_RELOAD_INTERVAL_SECONDS = 60;
export const DEFAULT_UNKNOWN_KID_RELOAD_SECONDS = 5;
const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
// RFC 7638 thumbprints are 43 characters; anything unlike a kid is not worth a store query.
const PLAUSIBLE_KID = /^[A-Za-z0-9_-]{1,128}$/;

interface RingEntry extends LoadedKey {
  /** Undefined for the signing key. */
  verifyUntil?: number;
}

const reportToStderr = (error: unknown) =>
  process.stderr.write(`gatehouse: could not reload signing keys: ${error instanceof Error ? error.message : String(error)}\n`);

export class KeyRing {
  private entries: RingEntry[] = [];
  /** Imported keys by kid, so a reload does not decrypt and import every key again. */
  private readonly imported = new Map<string, LoadedKey>();
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;
  private lastUnknownKidReload = Number.NEGATIVE_INFINITY;
  private closed = false;
  private readonly clock: { now(): Date };
  private readonly alg: SigningAlg;
  private readonly reloadIntervalSeconds: number;
  private readonly unknownKidReloadMs: number;
  private onReloadError: (error: unknown) => void;
  /** Seconds a retired key keeps verifying: the token lifetime plus one reload interval, for instances that signed with it before they noticed the rotation. */
  readonly verificationWindowSeconds: number;

  private constructor(
    private readonly store: Store,
    private readonly secret: string,
    options: KeyRingOptions,
  ) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.alg = options.alg ?? 'RS256';
    this.reloadIntervalSeconds = nonNegative(options.reloadIntervalSeconds ?? DEFAULT_RELOAD_INTERVAL_SECONDS, 'reloadIntervalSeconds');
    this.unknownKidReloadMs = nonNegative(options.unknownKidReloadSeconds ?? DEFAULT_UNKNOWN_KID_RELOAD_SECONDS, 'unknownKidReloadSeconds') * 1000;
    const lifetime = nonNegative(options.accessTokenLifetimeSeconds ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS, 'accessTokenLifetimeSeconds');
    this.verificationWindowSeconds = lifetime + this.reloadIntervalSeconds;
    this.onReloadError = options.onReloadError ?? reportToStderr;
  }

  /** Loads the stored keys (generating the first on an empty store) and starts the reload timer. */
  static async load(store: Store, secret: string, options: KeyRingOptions = {}): Promise<KeyRing> {
    const ring = new KeyRing(store, secret, options);
    await ring.reload();
    ring.scheduleReload();
    return ring;
  }

  /** The key that signs new tokens. */
  get signing(): LoadedKey {
    const key = this.entries[0];
    if (!key) throw new Error('the key ring is empty');
    return key;
  }

  /** A key that may verify tokens now, from what the ring holds (no store access). */
  byKid(kid: string): LoadedKey | undefined {
    const now = this.clock.now().getTime();
    return this.entries.find((k) => k.kid === kid && (k.verifyUntil === undefined || now < k.verifyUntil));
  }

  /**
   * Like byKid, but an unknown kid first reloads the ring (at most once per
   * unknownKidReloadSeconds), so a token signed by a key another instance just rotated in verifies.
   */
  async verificationKey(kid: string): Promise<LoadedKey | undefined> {
    const known = this.byKid(kid);
    if (known || this.closed || !PLAUSIBLE_KID.test(kid)) return known;
    if (!this.reloading) {
      const now = this.clock.now().getTime();
      if (now - this.lastUnknownKidReload < this.unknownKidReloadMs) return undefined;
      this.lastUnknownKidReload = now;
    }
    await this.reloadReportingErrors();
    return this.byKid(kid);
  }

  /** The public keys that may verify tokens now, as a JWKS. */
  jwks(): { keys: JWK[] } {
    const now = this.clock.now().getTime();
    const live = this.entries.filter((k) => k.verifyUntil === undefined || now < k.verifyUntil);
    return { keys: live.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })) };
  }

  /** Reads the keys from the store again; concurrent callers share one reload. */
  reload(): Promise<void> {
    this.reloading ??= this.readStore().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /**
   * Makes a new key (of `alg`, by default the current key's algorithm) the signing key, in the
   * store and here. Returns the kids that stopped signing; other instances follow on their next reload.
   */
  async rotate(alg: SigningAlg = this.signing.alg): Promise<{ signing: LoadedKey; retired: string[] }> {
    const now = this.clock.now();
    const before = (await this.store.keys.list()).filter((k) => k.retiredAt === null).map((k) => k.kid);
    await this.store.keys.rotate(await generateSigningKey(alg, this.secret, now), now);
    await this.reload();
    return { signing: this.signing, retired: before };
  }

  /** Where failed background reloads are reported (the server's logger, once it exists). */
  reportReloadErrorsTo(handler: (error: unknown) => void): void {
    this.onReloadError = handler;
  }

  /** Stops the reload timer; the ring keeps answering with the keys it has. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async reloadReportingErrors(): Promise<void> {
    try {
      await this.reload();
    } catch (error) {
      this.onReloadError(error);
    }
  }

  private scheduleReload(): void {
    if (this.closed || this.reloadIntervalSeconds === 0) return;
    this.timer = setTimeout(() => {
      void this.reloadReportingErrors().then(() => this.scheduleReload());
    }, this.reloadIntervalSeconds * 1000);
    // A pending reload must never keep a finished process (or test run) alive.
    this.timer.unref();
  }

  private async readStore(): Promise<void> {
    const now = this.clock.now();
    let stored = await this.store.keys.list();
    let signing = pickSigningKey(stored);
    if (!signing) {
      await this.store.keys.add(await generateSigningKey(this.alg, this.secret, now));
      // Another instance may have generated one at the same moment: read again and take the
      // newest, as every instance will.
      stored = await this.store.keys.list();
      signing = pickSigningKey(stored);
      if (!signing) throw new Error('no signing key after generating one');
    }
    const winner = signing;
    if (stored.some((k) => k.retiredAt === null && k.kid !== winner.kid)) await this.store.keys.retireAllExcept(winner.kid, now);

    const entries: RingEntry[] = [];
    for (const key of stored) {
      if (key.kid === winner.kid) {
        entries.unshift(await this.imports(key));
        continue;
      }
      const verifyUntil = verifyingUntil(key, winner, this.verificationWindowSeconds).getTime();
      if (verifyUntil > now.getTime()) entries.push({ ...(await this.imports(key)), verifyUntil });
    }
    for (const kid of this.imported.keys()) if (!entries.some((e) => e.kid === kid)) this.imported.delete(kid);
    this.entries = entries;
  }

  private async imports(key: SigningKey): Promise<LoadedKey> {
    const cached = this.imported.get(key.kid);
    if (cached) return cached;
    if (!isSigningAlg(key.alg)) throw new Error(`signing key ${key.kid} has an unsupported algorithm ${key.alg}`);
    const privateJwk = JSON.parse(decrypt(key.privateJwkEncrypted, this.secret)) as JWK;
    const publicJwk = JSON.parse(key.publicJwk) as JWK;
    const loaded: LoadedKey = {
      kid: key.kid,
      alg: key.alg,
      publicJwk,
      privateKey: createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' }),
      publicKey: createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' }),
    };
    this.imported.set(key.kid, loaded);
    return loaded;
  }
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new Error(`KeyRing option ${name} must be a number of seconds, 0 or more`);
  return value;
}
