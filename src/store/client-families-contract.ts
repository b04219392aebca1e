// The store's part of client_credentials (Store['clientFamilies']): an app's own token families,
// one per app and resource, reused while live (areas/client-families.ts says why).
import type { RevocationReason } from '../domain/tokens.ts';

/** What a client_credentials grant asks of its app's own family. */
export interface ClientFamilyClaim {
  appId: number;
  resourceId: number;
  /** The app's service scopes for the resource: what the family may mint. */
  scope: string;
  /** The id a new family gets. */
  newFamilyId: string;
  now: Date;
  /** When the access token about to be minted expires: the family is kept at least that long. */
  tokensUntil: Date;
}

export interface ClientFamilies {
  /**
   * The app's live own family for the resource, or a new one (`newFamilyId`) when it has none,
   * its scope set to `scope` and its tokens kept until at least `tokensUntil`, in one write
   * transaction: concurrent grants share one family. Undefined when the app is gone or disabled.
   */
  claim(claim: ClientFamilyClaim): Promise<string | undefined>;
  /** Revokes the app's live own families for any of these resources; returns their ids. */
  revokeForResources(appId: number, resourceIds: readonly number[], reason: RevocationReason, now: Date): Promise<string[]>;
}
