// What the race tests ask of a store, shared by the test process and race-worker.ts processes.
import type { StoreOptions } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { onBuiltInApi } from '../helpers/grant-merge.ts';

export type WorkerTask =
  /** Waits for a `{"op":"go"}` command, then opens (and so migrates) the database. */
  | { task: 'migrate'; options: StoreOptions }
  /** A running instance: a server on a loopback port, and store commands. */
  | { task: 'instance'; options: StoreOptions; secret: string; publicUrl: string };

export type WorkerCommand =
  | { op: 'go' }
  | { op: 'grants'; userId: number; appId: number; scopes: string[] }
  | { op: 'refresh-tokens'; maxLive: number; tokens: RaceToken[] };

export interface RaceToken {
  tokenHash: string;
  familyId: string;
  appId: number;
  userId: number;
  createdAtMs: number;
}

/** Folds scope words together, as the consent step does with ScopeSet. */
export const unionOfWords = onBuiltInApi((a, b) => [...new Set(`${a} ${b}`.split(' ').filter(Boolean))].sort().join(' '));

/** Stores the tokens concurrently, as that many token requests would. */
export function issueAll(store: Store, tokens: RaceToken[], maxLive: number): Promise<boolean[]> {
  return Promise.all(
    tokens.map((t) => {
      const createdAt = new Date(t.createdAtMs);
      const token = { tokenHash: t.tokenHash, familyId: t.familyId, appId: t.appId, userId: t.userId, scope: 'profile', createdAt, expiresAt: new Date(t.createdAtMs + 86_400_000) };
      return store.refreshTokens.issue(token, maxLive, createdAt);
    }),
  );
}

export function upsertAll(store: Store, userId: number, appId: number, scopes: string[]): Promise<void[]> {
  return Promise.all(scopes.map((scope) => store.grants.upsert({ userId, appId, scope, clientDescription: 'race' }, new Date(), unionOfWords)));
}

