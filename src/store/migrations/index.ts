// Migrations in order. Each receives a context that hides the few dialect differences.
import type { Migration } from './context.ts';
import * as initial from './001-initial.ts';
import * as expiryIndexes from './002-expiry-indexes.ts';
import * as refreshRotation from './003-refresh-rotation.ts';
import * as auditLog from './004-audit-log.ts';
import * as appPlatform from './005-app-platform.ts';
import * as liveRefreshTokenIndex from './006-live-refresh-token-index.ts';
import * as appGrantTypes from './007-app-grant-types.ts';
import * as clientTokenFamilies from './008-client-token-families.ts';
import * as defaultEscalationPolicies from './009-default-escalation-policies.ts';
import * as consoleFlashes from './010-console-flashes.ts';
import * as resourceServers from './011-resource-servers.ts';
import * as revocationFeed from './012-revocation-feed.ts';
import * as openClients from './013-open-clients.ts';
import * as clientAssertions from './014-client-assertions.ts';
import * as serviceTokens from './015-service-tokens.ts';
import * as deviceCodes from './016-device-codes.ts';
import * as registrationTokens from './017-registration-tokens.ts';
import * as oidcSessions from './018-oidc-sessions.ts';
import * as oidcAppSettings from './019-oidc-app-settings.ts';
import * as logoutDeliveries from './020-logout-deliveries.ts';
import * as oidcClaims from './021-oidc-claims.ts';
import * as phoneNumbers from './022-phone-numbers.ts';
import * as signInMethods from './023-sign-in-methods.ts';
import * as secondFactors from './024-second-factors.ts';
import * as passkeys from './025-passkeys.ts';
import * as mfaPolicy from './026-mfa-policy.ts';

export type { Migration, MigrationContext } from './context.ts';

export const MIGRATIONS: readonly Migration[] = [
  { name: '001-initial', up: initial.up },
  { name: '002-expiry-indexes', up: expiryIndexes.up },
  { name: '003-refresh-rotation', up: refreshRotation.up },
  { name: '004-audit-log', up: auditLog.up },
  { name: '005-app-platform', up: appPlatform.up },
  { name: '006-live-refresh-token-index', up: liveRefreshTokenIndex.up },
  { name: '007-app-grant-types', up: appGrantTypes.up },
  { name: '008-client-token-families', up: clientTokenFamilies.up },
  { name: '009-default-escalation-policies', up: defaultEscalationPolicies.up },
  { name: '010-console-flashes', up: consoleFlashes.up },
  { name: '011-resource-servers', up: resourceServers.up },
  { name: '012-revocation-feed', up: revocationFeed.up },
  { name: '013-open-clients', up: openClients.up },
  { name: '014-client-assertions', up: clientAssertions.up },
  { name: '015-service-tokens', up: serviceTokens.up },
  { name: '016-device-codes', up: deviceCodes.up },
  { name: '017-registration-tokens', up: registrationTokens.up },
  { name: '018-oidc-sessions', up: oidcSessions.up },
  { name: '019-oidc-app-settings', up: oidcAppSettings.up },
  { name: '020-logout-deliveries', up: logoutDeliveries.up },
  { name: '021-oidc-claims', up: oidcClaims.up },
  { name: '022-phone-numbers', up: phoneNumbers.up },
  { name: '023-sign-in-methods', up: signInMethods.up },
  { name: '024-second-factors', up: secondFactors.up },
  { name: '025-passkeys', up: passkeys.up },
  { name: '026-mfa-policy', up: mfaPolicy.up },
];
