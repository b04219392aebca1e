// A signed-in browser session; its id is stored only as a hash.

export interface Session {
  idHash: string;
  tenantId: number;
  userId: number;
  createdAt: Date;
  expiresAt: Date;
  /** How the user signed in (RFC 8176 `amr` values); unset: a password. */
  amr?: string[];
}


/**
 * What a console action leaves for the page it redirects to, sealed (see platform/console-flash.ts):
 * read once, by the same session, on that path, before it expires.
 */
export interface SealedFlash {
  sessionIdHash: string;
  path: string;
  sealed: string;
  expiresAt: Date;
}

/** A console action's result for the page it redirects to: a notice, and a value shown only once. */
export interface Flash {
  notice: string;
  /** A new client secret, right after it was made. */
  secret?: string;
  /** New recovery codes, right after they were made. */
  recoveryCodes?: string[];
}
