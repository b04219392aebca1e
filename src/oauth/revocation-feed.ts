// The revocation feed (docs/resources.md): a resource server, with its own credentials, reads the
// token families revoked for it after its cursor — long-polling with `wait` — so it can refuse
// revoked tokens without asking per request. Steps: authenticate the resource → read the cursor
// and wait → sequence and read its entries → wait for more when there are none → answer.
import type { RevocationEntry } from '../domain/resource-server.ts';
import type { ClientCredentials } from './client-auth.ts';
import type { OAuthContext } from './context.ts';
import { invalidRequest } from './errors.ts';
import type { FeedWatch } from './feed-watch.ts';
import { authenticateResource } from './resource-auth.ts';
import { knownResource } from './resources.ts';

/** Most entries in one answer; `has_more` says to ask again at once. */
export const FEED_PAGE_SIZE = 500;
export const MAX_WAIT_SECONDS = 30;
const CURSOR = /^c1\.(\d{1,15})$/;

export interface FeedParams {
  after?: string;
  wait?: string;
}

export interface FeedAnswer {
  revocations: { fid: string; revoked_at: number; reason: string }[];
  cursor: string;
  has_more: boolean;
  resource_deleted: boolean;
}

export const encodeCursor = (seq: number): string => `c1.${seq}`;

export function decodeCursor(value: string): number {
  const match = CURSOR.exec(value);
  if (!match) throw invalidRequest('after must be a cursor this feed gave (c1.<number>)');
  return Number(match[1]);
}

/** Seconds to hold the request open: 0 to 30 (out of range is clamped); not a number is invalid_request. */
export function waitSeconds(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw invalidRequest('wait must be a number of seconds (0 to 30)');
  return Math.max(0, Math.min(MAX_WAIT_SECONDS, Number(value)));
}

const answerOf = (entries: RevocationEntry[], cursor: number, deleted: boolean): FeedAnswer => {
  const page = entries.slice(0, FEED_PAGE_SIZE);
  return {
    revocations: page.map((e) => ({ fid: e.familyId, revoked_at: Math.floor(e.revokedAt.getTime() / 1000), reason: e.reason })),
    cursor: encodeCursor(page.at(-1)?.seq ?? cursor),
    has_more: entries.length > FEED_PAGE_SIZE,
    resource_deleted: deleted,
  };
};

export async function readRevocationFeed(credentials: ClientCredentials, params: FeedParams, ctx: OAuthContext, watch: FeedWatch, signal?: AbortSignal): Promise<FeedAnswer> {
  const server = await authenticateResource(credentials, ctx);
  const after = params.after === undefined ? undefined : decodeCursor(params.after);
  const wait = waitSeconds(params.wait);
  const deleted = server.deletedAt !== null;
  const feed = ctx.store.revocationFeed;
  const head = await feed.sequence();
  if (after !== undefined && after > head) throw invalidRequest('after is ahead of this feed: it is a cursor of another server, or made up');

  if (after === undefined) {
    // A follower starting up: every revocation whose tokens may still be alive, then the head.
    const since = new Date(ctx.clock.now().getTime() - knownResource(server, ctx).accessTokenLifetime * 1000);
    const entries = await feed.since(server.id, since, FEED_PAGE_SIZE + 1);
    return answerOf(entries, head, deleted);
  }

  const deadline = Date.now() + wait * 1000;
  let seen = Math.max(head, after);
  for (;;) {
    const entries = await feed.after(server.id, after, FEED_PAGE_SIZE + 1);
    const left = deadline - Date.now();
    if (entries.length > 0 || deleted || left <= 0 || watch.closed || signal?.aborted) return answerOf(entries, after, deleted);
    await watch.waitPast(seen, left, signal);
    seen = await feed.latest();
  }
}
