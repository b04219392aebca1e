// What the protocol reports for operators' metrics, optionally (like `audit`): the core calls
// these hooks and knows nothing of Prometheus; src/ops/metrics.ts turns them into counters.
import type { App } from '../domain/app.ts';

export type LoginOutcome = 'success' | 'failure' | 'throttled';

export interface Metrics {
  /** A token response was sent, by grant type (a registered grant's `type`, grants/index.ts) and the app (`clientLabel`). */
  tokensIssued(grantType: string, clientId: string): void;
  /** A spent refresh token came back outside the retry window: its family was revoked. */
  refreshTokenReuse(): void;
  /** An authorization code was redeemed a second time: its family was revoked. */
  codeReplay(): void;
  /** A sign-in form was posted: signed in, refused, or refused for too many attempts. */
  login(outcome: LoginOutcome): void;
}

/**
 * How metrics name an app: a console app by its client id; clients that registered themselves or
 * are known by a metadata document by their kind alone, since anyone can make more of them and a
 * label per client would let them grow the metrics without bound.
 */
export const clientLabel = (app: Pick<App, 'clientId' | 'registration'>): string => (app.registration === 'console' ? app.clientId : `(${app.registration})`);
