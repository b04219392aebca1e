// The one Store implementation, over Kysely, for SQLite and PostgreSQL alike.
import type { Kysely } from 'kysely';
import { appStore } from './areas/apps.ts';
import { appDisablingStore } from './areas/app-disabling.ts';
import { clientFamilyStore } from './areas/client-families.ts';
import { auditStore } from './areas/audit.ts';
import { grantStore } from './areas/grants.ts';
import { housekeepingStore } from './areas/housekeeping.ts';
import { tenantStore, userStore } from './areas/identity.ts';
import { alertSourceStore, escalationPolicyStore } from './areas/resources.ts';
import { keyStore } from './areas/keys.ts';
import { sessionStore } from './areas/sessions.ts';
import { logoutStore } from './areas/logouts.ts';
import { consoleFlashStore } from './areas/console-flashes.ts';
import { pendingSignInStore, secondFactorStore } from './areas/second-factors.ts';
import { passkeyStore, webauthnChallengeStore } from './areas/passkeys.ts';
import { statusStore } from './areas/status.ts';
import { codeStore } from './areas/codes.ts';
import { deviceCodeStore } from './areas/device-codes.ts';
import { familyStore } from './areas/families.ts';
import { refreshTokenStore } from './areas/refresh-tokens.ts';
import { resourceServerStore } from './areas/resource-servers.ts';
import { revocationFeedStore } from './areas/revocation-feed.ts';
import { clientAssertionStore } from './areas/client-assertions.ts';
import { registrationTokenStore } from './areas/registration-tokens.ts';
import { RevokedFamilies } from './sql/revoked-families.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

export function kyselyStore(db: Kysely<Database>, dialect: Store['dialect']): Store {
  // One cache per Store object: per instance, as the revocation check wants it.
  const revoked = new RevokedFamilies();
  return {
    dialect,
    tenants: tenantStore(db),
    users: userStore(db),
    apps: { ...appStore(db, revoked), ...appDisablingStore(db, revoked) },
    resourceServers: resourceServerStore(db, revoked),
    revocationFeed: revocationFeedStore(db),
    clientAssertions: clientAssertionStore(db),
    registrationTokens: registrationTokenStore(db),
    codes: codeStore(db),
    deviceCodes: deviceCodeStore(db),
    families: familyStore(db, revoked),
    clientFamilies: clientFamilyStore(db, revoked),
    refreshTokens: refreshTokenStore(db),
    grants: grantStore(db),
    keys: keyStore(db),
    sessions: sessionStore(db),
    logouts: logoutStore(db, revoked),
    passkeys: passkeyStore(db),
    webauthnChallenges: webauthnChallengeStore(db),
    consoleFlashes: consoleFlashStore(db),
    secondFactors: secondFactorStore(db),
    pendingSignIns: pendingSignInStore(db),
    status: statusStore(db),
    escalationPolicies: escalationPolicyStore(db),
    alertSources: alertSourceStore(db),
    housekeeping: housekeepingStore(db),
    audit: auditStore(db),
    close: () => db.destroy(),
  };
}
