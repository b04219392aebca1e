// The device authorization endpoint (RFC 8628 §3.1–3.2): a device without a browser asks for a
// device code (to poll with) and a user code (for its user to type on /device). The client
// authenticates as at the token endpoint; scope and resource read as at the authorization endpoint.
import { authenticateClient, type ClientCredentials } from './client-auth.ts';
import { secondsFrom, type OAuthContext } from './context.ts';
import { OAuthError, invalidScope } from './errors.ts';
import { DEVICE_CODE_GRANT_TYPE } from './grants/device-code.ts';
import { resourceScopesOf, scopeString, splitScope } from './grant-scope.ts';
import { requestedResources } from './resources.ts';
import { TOKEN_PREFIX, randomToken, sha256Hex } from './secrets.ts';
import { formatUserCode, newUserCode, userCodeHash } from './user-code.ts';
import { OAUTH_PATHS } from './metadata.ts';

/** Seconds a device code lives (RFC 8628 §3.2 expires_in). */
export const DEVICE_CODE_LIFETIME = 600;
/** Seconds a device waits between polls, until slow_down makes it longer. */
export const DEVICE_POLL_INTERVAL = 5;
/** Where people type the user code: on this server, under the issuer. */
export const DEVICE_VERIFICATION_PATH = '/device';

export interface DeviceAuthorizationRequest {
  scope?: string;
  /** RFC 8707, repeatable. */
  resource: readonly string[];
  client: ClientCredentials;
}

export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** A user code collides with a live one about once in 10^10; a few tries are plenty. */
const USER_CODE_ATTEMPTS = 5;

export async function handleDeviceAuthorization(req: DeviceAuthorizationRequest, ctx: OAuthContext): Promise<DeviceAuthorizationResponse> {
  const { app } = await authenticateClient(req.client, ctx, `${ctx.issuer}${OAUTH_PATHS.deviceAuthorization}`);
  // As at the token endpoint: a disabled app starts nothing.
  if (app.disabledAt !== null) throw new OAuthError('invalid_client', 'This app is disabled; an admin of its account can enable it again', { status: 401 });
  if (!app.grantTypes.includes(DEVICE_CODE_GRANT_TYPE)) {
    throw new OAuthError('unauthorized_client', `This app may not use the device flow (allow the grant type ${DEVICE_CODE_GRANT_TYPE})`);
  }
  // As at the authorization endpoint: a scope is required, and every one must be known.
  if (req.scope === undefined) throw invalidScope('scope is required, e.g. "profile source:w"');
  const { resources, named } = await requestedResources(req.resource, app, ctx);
  const scopes = splitScope(req.scope, resources, named);

  const now = ctx.clock.now();
  const deviceCode = randomToken(TOKEN_PREFIX.deviceCode);
  for (let attempt = 0; attempt < USER_CODE_ATTEMPTS; attempt++) {
    const userCode = newUserCode();
    const issued = await ctx.store.deviceCodes.issue({
      deviceCodeHash: sha256Hex(deviceCode),
      userCodeHash: userCodeHash(userCode),
      appId: app.id,
      scope: scopeString(scopes),
      resources: resourceScopesOf(scopes),
      interval: DEVICE_POLL_INTERVAL,
      createdAt: now,
      expiresAt: secondsFrom(now, DEVICE_CODE_LIFETIME),
    });
    if (!issued) continue;
    const shown = formatUserCode(userCode);
    const verificationUri = `${ctx.issuer}${DEVICE_VERIFICATION_PATH}`;
    return {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${shown}`,
      expires_in: DEVICE_CODE_LIFETIME,
      interval: DEVICE_POLL_INTERVAL,
    };
  }
  throw new OAuthError('temporarily_unavailable', 'No free user code was found; try again');
}
