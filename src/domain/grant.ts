// Consents: what a user granted an app, and the connections page's view of them.
import type { ResourceScope } from './resource-server.ts';

export interface Grant {
  userId: number;
  appId: number;
  scope: string;
  /** What was granted on each resource (a scope name may mean different things on two). */
  resources: ResourceScope[];
  clientDescription: string;
  connectedAt: Date;
  lastActivityAt: Date;
}

/** A user's grant with what the connections page shows of its app. */
export interface Connection extends Grant {
  appName: string;
  appClientId: string;
  appDescription: string;
  appVerified: boolean;
  appIconUpdatedAt: Date | null;
}

