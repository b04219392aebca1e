// The store's part of back-channel logout (Store['logouts'], docs/oidc.md): what an ended session
// does to the token families it signed in, and the queue of logout tokens still to be delivered.
// Claiming is one statement, so of several instances sharing the database only one sends each.

/** A logout token still to be delivered to one app, for one ended session. */
export interface LogoutDelivery {
  id: number;
  appId: number;
  userId: number;
  /** The ended session's sid, as the app's ID tokens carried it. */
  sid: string;
  /** Attempts made so far, the one just claimed included. */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
}

export interface Logouts {
  /**
   * Queues a delivery for every app with a back-channel logout URI that the session signed in
   * through OpenID Connect (a token family with this sid and `openid` in its scope), in one
   * statement, due at `now`; an app already queued for the sid is not queued twice. Returns how
   * many were queued.
   */
  enqueueForSession(sid: string, now: Date): Promise<number>;
  /**
   * Revokes the session's live OpenID Connect families whose scope lacks `offline_access`
   * (Back-Channel Logout §2.7), as families.revoke does, in one transaction; families without
   * `openid` (plain OAuth, ilert's) are never touched. Returns the ids revoked.
   */
  revokeSessionFamilies(sid: string, now: Date): Promise<string[]>;
  /**
   * Claims up to `limit` deliveries due at `now`, in one statement: each counts one more attempt
   * and is not due again before `leaseUntil` (so an instance that dies mid-delivery leaves it to
   * be retried). Concurrent claims never return the same delivery.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<LogoutDelivery[]>;
  /** Records a failed attempt: why, and when to try again. */
  retryLater(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  /** Removes a delivery: its token was delivered, or given up on. */
  remove(id: number): Promise<void>;
  /** Every queued delivery, oldest first (the CLI and tests look). */
  pending(): Promise<LogoutDelivery[]>;
}
