// Who a token acts for: a user who signed in and consented, or an app acting for itself (client
// credentials; RFC 9068 §2.2: its `sub` is the client id). Defined once: families store it (a
// family without a user is the app's own), the core mints and checks tokens by it, and the
// resource API serves a caller by it.
import type { App } from './app.ts';
import type { User } from './identity.ts';

export type Subject = { kind: 'user'; userId: number } | { kind: 'client'; appId: number };

/** A subject with its record loaded, as a resource server serves it. */
export type SubjectRecord = { kind: 'user'; user: User } | { kind: 'client'; app: App };
