// The store contract: the operations the protocol and the platform need, named by what they do.
// Anything that must be atomic is one method here, so no caller can race it. The entities it
// reads and writes are the domain's (src/domain/).
import type { AlertSource, AlertSourceInput, EscalationPolicy } from '../domain/alert-source.ts';
import type { App, AppChanges, NewApp } from '../domain/app.ts';
import type { AuditEvent, AuditFilter, StoredAuditEvent } from '../domain/audit.ts';
import type { Connection, Grant } from '../domain/grant.ts';
import type { NewResourceServer, ResourceServer, ResourceServerChanges, RevocationEntry } from '../domain/resource-server.ts';
import type { AppUsage, RegistrationTokens } from './registration-contract.ts';
import type { MfaPolicy, NewUser, Tenant, User, UserChanges, UserWithPassword } from '../domain/identity.ts';
import type { SealedFlash, Session } from '../domain/session.ts';
import type { SigningKey } from '../domain/signing-key.ts';
import type { ClientFamilies } from './client-families-contract.ts';
import type { Logouts } from './logout-contract.ts';
import type { PendingSignIns, SecondFactors } from './second-factor-contract.ts';
import type { Passkeys, WebAuthnChallenges } from './passkeys-contract.ts';
import type { DeviceCodeStore } from './device-code-store.ts';
import type { AuthorizationCode, NewAuthorizationCode, NewRefreshToken, NewTokenFamily, RefreshToken, RevocationReason, TokenFamily } from '../domain/tokens.ts';

/** What a consent covers: the whole scope, and each resource's part of it. */
export type GrantedScopes = Pick<Grant, 'scope' | 'resources'>;

/** What redeeming a code stores, atomically with marking it used. */
export interface CodeRedemption {
  /** The client proved its secret: refreshing the family will need it too. */
  confidential: boolean;
  refreshToken?: NewRefreshToken;
  maxLivePerAppUser: number;
}

export type ConsumeCodeResult =
  | { status: 'consumed'; code: AuthorizationCode }
  | { status: 'replayed'; familyId: string }
  | { status: 'unknown' };

/** What rotating a refresh token came to: only one caller ever gets 'rotated' for a token. */
export type RotateRefreshTokenResult =
  | { status: 'rotated' }
  /** Already rotated by someone else (a retry, a race, or a replay): the spent token as stored. */
  | { status: 'spent'; token: RefreshToken }
  /** Unknown, expired, revoked, or its family was revoked meanwhile: nothing was stored. */
  | { status: 'refused' };

export interface PurgeOptions {
  /**
   * Access-token lifetime in seconds (default 3600). Expired codes and refresh tokens are kept at
   * least this long, and so are the token families they could have minted access tokens for: an
   * access token is active only while its family exists.
   */
  accessTokenLifetimeSeconds?: number;
  /** Wall-clock milliseconds one purge may spend before it stops early (default 5000). */
  budgetMs?: number;
}

/** Rows one purge deleted, by kind. */
export interface PurgeCounts {
  codes: number;
  sessions: number;
  refreshTokens: number;
  families: number;
  flashes: number;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  tenants: {
    /** Creates the tenant and its default escalation policy (DEFAULT_ESCALATION_POLICY), in one transaction. */
    create(input: { slug: string; name: string }, now: Date): Promise<Tenant>;
    bySlug(slug: string): Promise<Tenant | undefined>;
    byId(id: number): Promise<Tenant | undefined>;
    /** Every tenant, by slug. */
    list(): Promise<Tenant[]>;
    /** The account's MFA policy, read fresh each time (another instance may have just changed it). */
    mfaPolicy(tenantId: number): Promise<MfaPolicy>;
    setMfaPolicy(tenantId: number, policy: MfaPolicy): Promise<void>;
    count(): Promise<number>;
  };

  users: {
    create(input: NewUser, now: Date): Promise<User>;
    byId(id: number): Promise<User | undefined>;
    /** With the password hash: only the login step asks for it. */
    forLogin(tenantId: number, username: string): Promise<UserWithPassword | undefined>;
    /** A tenant's users, by username. */
    listByTenant(tenantId: number): Promise<User[]>;
    update(id: number, changes: UserChanges, now: Date): Promise<User | undefined>;
  };

  /** With the reads and the write of self-registered clients' use (registration-contract.ts). */
  apps: AppUsage & {
    create(input: NewApp, now: Date): Promise<App>;
    byClientId(clientId: string): Promise<App | undefined>;
    byId(id: number): Promise<App | undefined>;
    byName(name: string): Promise<App | undefined>;
    /** Apps of one tenant, or of every tenant when `tenantId` is undefined; newest first. */
    list(tenantId?: number): Promise<App[]>;
    update(id: number, changes: AppChanges, now: Date): Promise<App | undefined>;
    /** Stores (or, with null, removes) the app's icon as PNG bytes. */
    setIcon(id: number, png: Buffer | null, now: Date): Promise<void>;
    icon(id: number): Promise<{ png: Buffer; updatedAt: Date } | undefined>;
    /**
     * Deletes the app with everything issued for it (codes, token families, refresh tokens,
     * grants, icon) in one transaction; its access tokens die with their families. Returns the
     * ids of the families deleted, or undefined when there was no such app.
     */
    delete(id: number, now?: Date): Promise<string[] | undefined>;
    /** Disables (a date) or enables (null) the app; disabling revokes all its live families at once (areas/app-disabling.ts). Their ids, or undefined: no such app. */
    setDisabled(id: number, disabledAt: Date | null, now: Date): Promise<string[] | undefined>;
  };

  /** An app's own token families (client_credentials): see client-families-contract.ts. */
  clientFamilies: ClientFamilies;

  /** Initial access tokens for dynamic client registration: see registration-contract.ts. */
  registrationTokens: RegistrationTokens;

  resourceServers: {
    /** Registers a resource; undefined when a live one already has the identifier. */
    create(input: NewResourceServer, now: Date): Promise<ResourceServer | undefined>;
    /** Live resources, the built-in API first, then in order of registration. */
    list(): Promise<ResourceServer[]>;
    byId(id: number): Promise<ResourceServer | undefined>;
    byIds(ids: readonly number[]): Promise<ResourceServer[]>;
    /** The live resource with this identifier (never the built-in API, whose identifier is not stored). */
    byIdentifier(identifier: string): Promise<ResourceServer | undefined>;
    /** By its credentials' client id, deleted ones included (their credentials still read the feed). */
    byClientId(clientId: string): Promise<ResourceServer | undefined>;
    update(id: number, changes: ResourceServerChanges, now: Date): Promise<ResourceServer | undefined>;
    /**
     * Deletes a resource (not the built-in API), leaving a tombstone, and in one transaction
     * revokes every live family that could mint its tokens and clears it as apps' default.
     * Returns the ids of the families revoked, or undefined when there was no such live resource.
     */
    delete(id: number, now: Date): Promise<string[] | undefined>;
  };

  /** What resource servers hear of revocations (docs/resources.md, the revocation feed). */
  revocationFeed: {
    /**
     * Gives every committed entry without a place its `seq`, in one serialized step (any instance
     * may run it, at any time), and returns the highest `seq` there is.
     */
    sequence(): Promise<number>;
    /** The highest `seq` (0: none yet). */
    latest(): Promise<number>;
    /** A resource's sequenced entries after `seq`, in order, at most `limit`. */
    after(resourceId: number, seq: number, limit: number): Promise<RevocationEntry[]>;
    /** A resource's sequenced entries revoked at or after `since`, in order, at most `limit`. */
    since(resourceId: number, since: Date, limit: number): Promise<RevocationEntry[]>;
    /** Deletes sequenced entries revoked before `before`, at most `batchSize`; returns how many. */
    prune(before: Date, batchSize?: number): Promise<number>;
  };

  /** Client assertion ids already used (private_key_jwt, RFC 7523 §3: a `jti` is accepted once). */
  clientAssertions: {
    /** Records the client's assertion id in one statement; false when it was recorded before (a replay). */
    use(clientId: string, jtiHash: string, expiresAt: Date): Promise<boolean>;
    /** Deletes ids of assertions expired at `now`, at most `batchSize`; returns how many. */
    prune(now: Date, batchSize?: number): Promise<number>;
  };

  codes: {
    /** Stores a code and creates its (not yet used) token family in one transaction. */
    issue(code: NewAuthorizationCode, family: NewTokenFamily): Promise<void>;
    /** Reads a code without using it, so a request that fails its checks does not burn it. */
    find(codeHash: string): Promise<{ code: AuthorizationCode; consumed: boolean } | undefined>;
    /** Marks the code used and returns it in one statement; a second call reports the replay. */
    consume(codeHash: string, now: Date, redemption?: CodeRedemption): Promise<ConsumeCodeResult>;
  };

  /** Device codes (RFC 8628): the contract is device-code-store.ts's. */
  deviceCodes: DeviceCodeStore;

  families: {
    /** Starts a family that no code precedes: an app's own (userId null; see domain/subject.ts). */
    create(family: NewTokenFamily): Promise<void>;
    byId(id: string): Promise<TokenFamily | undefined>;
    /** Revokes the family and every refresh token in it. */
    revoke(id: string, reason: RevocationReason, now: Date): Promise<void>;
    /**
     * Revokes every live family of an app, of a user, or of one user's use of one app (both
     * given), with their refresh tokens, in one transaction. Returns the ids it revoked.
     */
    revokeWhere(owner: { appId?: number; userId?: number }, reason: RevocationReason, now: Date): Promise<string[]>;
    /** A missing family counts as revoked: purged or deleted with its app. */
    isRevoked(id: string): Promise<boolean>;
    /**
     * The user of a live family, in one query (the access-token check on every API call); undefined
     * when the family is revoked or missing, and for a family of the app itself (no user: ask
     * isRevoked). Disabled users are returned: the caller decides.
     */
    liveUser(id: string): Promise<User | undefined>;
    /**
     * Like liveUser, but only the user's id and whether they are disabled: what token_info and
     * introspection of an access token need, without reading the whole user row.
     */
    liveSubject(id: string): Promise<Pick<User, 'id' | 'disabled'> | undefined>;
  };

  refreshTokens: {
    /**
     * Stores a refresh token unless its family was revoked meanwhile (then returns false), and
     * revokes the families of the oldest live tokens beyond `maxLivePerAppUser`.
     */
    issue(token: NewRefreshToken, maxLivePerAppUser: number, now: Date): Promise<boolean>;
    /**
     * Spends a live token and stores `next` as its successor in one transaction (unless the
     * family was revoked meanwhile). Of many concurrent calls for one token exactly one gets
     * 'rotated'; the others get 'spent'. Spent tokens do not count towards `maxLivePerAppUser`.
     */
    rotate(tokenHash: string, next: NewRefreshToken, maxLivePerAppUser: number, now: Date): Promise<RotateRefreshTokenResult>;
    byHash(tokenHash: string): Promise<RefreshToken | undefined>;
    /** The token with its family, in one query (the refresh grant needs both). */
    withFamily(tokenHash: string): Promise<{ token: RefreshToken; family: TokenFamily } | undefined>;
    touch(tokenHash: string, now: Date): Promise<void>;
  };

  grants: {
    /** Records consent, one row per user and app; `mergeScopes` folds a new consent into the stored one. */
    upsert(
      grant: Pick<Grant, 'scope'> & Partial<Pick<Grant, 'resources'>> & { userId: number; appId: number; clientDescription: string },
      now: Date,
      mergeScopes: (stored: GrantedScopes, added: GrantedScopes) => GrantedScopes,
    ): Promise<void>;
    find(userId: number, appId: number): Promise<Grant | undefined>;
    touch(userId: number, appId: number, now: Date): Promise<void>;
    /** The user's grants with their apps, most recently active first. */
    listForUser(userId: number): Promise<Connection[]>;
    /** Forgets the consent (the next authorize asks again); false when there was none. */
    delete(userId: number, appId: number): Promise<boolean>;
  };

  keys: {
    add(key: SigningKey): Promise<void>;
    /** Every key, newest first (ties broken by kid, so every instance orders them alike). */
    list(): Promise<SigningKey[]>;
    /** Makes `next` the signing key: retires every unretired key at `now` and adds `next`, in one transaction. */
    rotate(next: SigningKey, now: Date): Promise<void>;
    /**
     * Retires every unretired key but `kid` at `now`. Two instances that each generated a first key
     * (or two racing rotations) converge this way: all keep the newest, the others stop signing.
     */
    retireAllExcept(kid: string, now: Date): Promise<void>;
  };

  sessions: {
    create(session: Session): Promise<void>;
    byIdHash(idHash: string, now: Date): Promise<Session | undefined>;
    delete(idHash: string): Promise<void>;
    /** Ends every session of the user (disabled, or signed out everywhere); returns their id hashes. */
    deleteForUser(userId: number): Promise<string[]>;
  };

  /** Ended sessions' families and back-channel logout deliveries: see logout-contract.ts. */
  logouts: Logouts;

  /** A user's TOTP and recovery codes: see second-factor-contract.ts. */
  secondFactors: SecondFactors;
  /** Sign-ins waiting for their second step. */
  pendingSignIns: PendingSignIns;
  /** Users' passkeys and the challenges of their ceremonies: see passkeys-contract.ts. */
  passkeys: Passkeys;
  webauthnChallenges: WebAuthnChallenges;

  consoleFlashes: {
    /** Leaves the flash for the session's next visit to its path, replacing one left there before. */
    put(flash: SealedFlash): Promise<void>;
    /** Deletes and returns the sealed flash in one statement; undefined when there is none or it expired. */
    take(sessionIdHash: string, path: string, now: Date): Promise<string | undefined>;
  };

  escalationPolicies: {
    create(tenantId: number, name: string): Promise<EscalationPolicy>;
    byId(tenantId: number, id: number): Promise<EscalationPolicy | undefined>;
    /** A page of the tenant's policies, oldest (its default) first. */
    list(tenantId: number, startIndex: number, maxResults: number): Promise<EscalationPolicy[]>;
  };

  alertSources: {
    list(tenantId: number, startIndex: number, maxResults: number): Promise<AlertSource[]>;
    byIdOrKey(tenantId: number, idOrKey: string): Promise<AlertSource | undefined>;
    create(tenantId: number, input: AlertSourceInput, integrationKey: string, now: Date): Promise<AlertSource>;
    update(tenantId: number, id: number, input: AlertSourceInput, now: Date): Promise<AlertSource | undefined>;
    delete(tenantId: number, id: number): Promise<boolean>;
  };

  housekeeping: {
    /**
     * Deletes what can no longer matter, in batches of `batchSize` rows per statement: codes past
     * expiry by more than an hour, expired sessions, refresh tokens past expiry by more than an
     * access-token lifetime, and token families no code or refresh token refers to any more that are
     * older than an access-token lifetime, and expired console flashes. Safe to run from many instances at once.
     */
    purge(now: Date, batchSize?: number, options?: PurgeOptions): Promise<PurgeCounts>;
  };

  audit: {
    /** Appends an event; text longer than its column is cut. */
    record(event: AuditEvent): Promise<void>;
    /** Events newest first. */
    list(filter: AuditFilter): Promise<StoredAuditEvent[]>;
  };

  /** Cheap reads for readiness checks and metrics. */
  status: {
    /** Names of the migrations the database records; fails when the database is unreachable. */
    appliedMigrations(): Promise<string[]>;
    /** Sessions that have not expired at `now`. */
    activeSessions(now: Date): Promise<number>;
  };

  close(): Promise<void>;
}
